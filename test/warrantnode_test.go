package test

import (
	"io"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/scfledger/warrants/network/devnet/devnettest"
	"github.com/scfledger/warrants/test/testnet"
)

// warrantChaincodeCommand is the import path of the warrant chaincode's command.
const warrantChaincodeCommand = "github.com/scfledger/warrants/chaincode"

// warrantRunner builds the devnet command and the warrant chaincode, and
// returns a Runner for the test network (testConfig) kept in dir, in a
// process of its own that launches the chaincode, so that a test can kill
// the whole network at any moment and start it again on the same directory.
func warrantRunner(t *testing.T, dir string) *devnettest.Runner {
	t.Helper()
	cfg := testnet.Config()
	chaincode := devnettest.Build(t, warrantChaincodeCommand)
	for i := range cfg.Chaincodes {
		if cfg.Chaincodes[i].Name == testnet.ChaincodeName {
			cfg.Chaincodes[i].Command = []string{chaincode, "-association-msp=" + testnet.AssociationMSP}
		}
	}
	return devnettest.NewRunner(t, cfg, dir)
}

// chainOnProcess drives the warrant chaincode on a network running in
// another process, kept in dir; the connections close with the process's kill
// or stop, or with the chain's own close.
func chainOnProcess(t *testing.T, dir string, node *devnettest.Process) *chain {
	dial := func(id identity) (*client.Gateway, io.Closer, error) {
		return node.Connect(id.mspID, id.user)
	}
	return newChainWith(t, testnet.Config().Channel, dir, dial, nil)
}
