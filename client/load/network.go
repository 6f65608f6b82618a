package load

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

// DefaultBatchTimeout is the orderer batch timeout of a network StartNetwork
// starts when the configuration does not set one.
const DefaultBatchTimeout = 10 * time.Millisecond

// NetworkOptions tell StartNetwork how to run its network.
type NetworkOptions struct {
	// Config describes the network; nil means config.Default() with the orderer
	// batch timeout set to DefaultBatchTimeout. Its chaincode "warrant" is served
	// in-process whatever its address or command says.
	Config *config.Network
	// Dir keeps the network's files; empty means a temporary directory.
	Dir string
	// Logger receives the network's log lines; nil discards them.
	Logger *log.Logger
}

// StartNetwork starts a dev network on free ports with the warrant chaincode
// served in-process (contracts.New on a chaincode-as-a-service server inside
// this process, which the peers dial as they would a separate one). Close it
// when done.
func StartNetwork(ctx context.Context, opts NetworkOptions) (*devnet.Network, error) {
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
		cfg.Orderer.BatchTimeout = config.Duration(DefaultBatchTimeout)
	}
	if _, err := cfg.Chaincode(chaincodeName); err != nil {
		return nil, fmt.Errorf("load network: %w", err)
	}
	cc, err := contracts.New()
	if err != nil {
		return nil, err
	}
	network, err := devnet.Start(ctx, devnet.Options{
		Config:    cfg,
		Dir:       opts.Dir,
		FreePorts: true,
		InProcess: map[string]shim.Chaincode{chaincodeName: cc},
		Logger:    opts.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("start load network: %w", err)
	}
	return network, nil
}
