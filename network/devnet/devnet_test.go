package devnet_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/devnettest"
	"github.com/scfledger/warrants/network/devnet/internal/testcc/assetcc"
)

// The MSP IDs of the default network's peer organisations.
const (
	core  = "CoreEnterpriseMSP"
	bank  = "BankMSP"
	assoc = "AssociationMSP"
)

// testChaincode is the test asset chaincode's executable, built once for all
// tests: the networks that test launched chaincode processes run it.
var testChaincode string

// assetChaincode is the test asset chaincode created once for all tests:
// startNetwork serves it in-process to every peer of a network, so that a
// test that does not test chaincode processes launches none.
var assetChaincode shim.Chaincode

func TestMain(m *testing.M) {
	var err error
	if testChaincode, err = devnettest.BuildCached("github.com/scfledger/warrants/network/devnet/internal/testcc"); err != nil {
		fmt.Fprintln(os.Stderr, "test chaincode:", err)
		os.Exit(1)
	}
	if assetChaincode, err = contractapi.NewChaincode(&assetcc.AssetContract{}); err != nil {
		fmt.Fprintln(os.Stderr, "test chaincode:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// testConfig is the default network running the test chaincode as "basic",
// each peer launching its own process (startNetwork serves it in-process
// instead).
func testConfig(policy string) *config.Network {
	cfg := config.Default()
	cfg.Chaincodes = []config.Chaincode{{Name: "basic", Version: "1.0", Command: []string{testChaincode}, EndorsementPolicy: policy}}
	cfg.Orderer.BatchTimeout = config.Duration(10e6)
	return cfg
}

// startNetwork starts a network on free ports in dir (a temporary directory
// when empty) and closes it when the test ends. Its orgs and users have the
// keys and certificates every such network shares (devnettest.ShareCrypto). It
// serves every chaincode that
// cfg runs from the test chaincode's executable in-process instead, one
// server for all peers. Tests of launched chaincode processes start theirs
// with devnet.Start or startNetworkWith.
func startNetwork(t *testing.T, cfg *config.Network, dir string) *devnet.Network {
	t.Helper()
	inProcess := map[string]shim.Chaincode{}
	for _, cc := range cfg.Chaincodes {
		if slices.Equal(cc.Command, []string{testChaincode}) {
			inProcess[cc.Name] = assetChaincode
		}
	}
	if dir == "" {
		dir = t.TempDir()
	}
	require.NoError(t, devnettest.ShareCrypto(dir, cfg))
	network, err := devnet.Start(context.Background(), devnet.Options{Config: cfg, Dir: dir, FreePorts: true, InProcess: inProcess})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, network.Close()) })
	return network
}

func connect(t *testing.T, network *devnet.Network, mspID, user string) *client.Contract {
	t.Helper()
	return connectGateway(t, network, mspID, user).GetNetwork(network.Channel()).GetContract("basic")
}

// networkWithOneTransaction starts a MAJORITY network and commits one
// transaction (an event) as the bank's User1; it returns the bank's channel
// and the transaction's commit status.
func networkWithOneTransaction(t *testing.T) (*devnet.Network, *client.Network, *client.Status) {
	t.Helper()
	network := startNetwork(t, testConfig("MAJORITY Endorsement"), "")
	gateway, err := network.Connect("BankMSP", "User1")
	require.NoError(t, err)
	t.Cleanup(func() { _ = gateway.Close() })
	channel := gateway.GetNetwork(network.Channel())
	_, commit, err := channel.GetContract("basic").SubmitAsync("Emit", client.WithArguments("audit.logged", "payload"))
	require.NoError(t, err)
	status, err := commit.Status()
	require.NoError(t, err)
	require.True(t, status.Successful)
	return network, channel, status
}

// startNetworkWith starts a network on free ports with the given options and
// closes it when the test ends.
func startNetworkWith(t *testing.T, opts devnet.Options) *devnet.Network {
	t.Helper()
	opts.FreePorts = true
	network, err := devnet.Start(context.Background(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, network.Close()) })
	return network
}

// connectGateway connects a user to its org's peer and closes the connection
// when the test ends.
func connectGateway(t *testing.T, network *devnet.Network, mspID, user string, options ...client.ConnectOption) *devnet.Gateway {
	t.Helper()
	gateway, err := network.Connect(mspID, user, options...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = gateway.Close() })
	return gateway
}

// endorse builds and endorses a proposal without submitting it.
var endorse = devnettest.Endorse

// submitStatus submits an endorsed transaction and waits for its commit status.
var submitStatus = devnettest.SubmitStatus

// submitEverywhere submits a transaction, requires it to commit VALID and
// waits until the peer of every org has committed it, so that endorsements
// that follow read the same state on every peer.
func submitEverywhere(t *testing.T, network *devnet.Network, contract *client.Contract, function string, args ...string) []byte {
	t.Helper()
	result, commit, err := contract.SubmitAsync(function, client.WithArguments(args...))
	require.NoError(t, err)
	status, err := commit.Status()
	require.NoError(t, err)
	require.Equal(t, peer.TxValidationCode_VALID, status.Code, "%s%v", function, args)
	awaitEverywhere(t, network, commit)
	return result
}

// awaitEverywhere waits until the peer of every org has committed a
// transaction whose status the client has already asked for.
func awaitEverywhere(t *testing.T, network *devnet.Network, commit *client.Commit) {
	t.Helper()
	request, err := commit.Bytes()
	require.NoError(t, err)
	for _, org := range network.Material().Orgs {
		if org.Orderer {
			continue
		}
		gateway, err := network.Connect(org.MSPID, "Admin")
		require.NoError(t, err)
		elsewhere, err := gateway.NewCommit(request)
		require.NoError(t, err)
		_, err = elsewhere.Status()
		_ = gateway.Close()
		require.NoError(t, err)
	}
}

// commitCode is the validation code of a failed submit's *client.CommitError.
func commitCode(t *testing.T, err error) peer.TxValidationCode {
	t.Helper()
	var commitErr *client.CommitError
	require.ErrorAs(t, err, &commitErr)
	return commitErr.Code
}

// peerLedgerDir is where a network in dir keeps the ledger of an org's peer.
func peerLedgerDir(dir, domain string) string {
	return filepath.Join(dir, "ledgers", "peer0."+domain)
}

func TestSubmitAndEvaluate(t *testing.T) {
	t.Parallel()
	network := startNetwork(t, testConfig("MAJORITY Endorsement"), "")
	contract := connect(t, network, "CoreEnterpriseMSP", "User1")

	_, err := contract.SubmitTransaction("Put", "k1", "v1")
	require.NoError(t, err)
	value, err := contract.EvaluateTransaction("Get", "k1")
	require.NoError(t, err)
	require.Equal(t, "v1", string(value))

	t.Run("Async submit reports VALID with its block", func(t *testing.T) {
		_, commit, err := contract.SubmitAsync("Put", client.WithArguments("k2", "v2"))
		require.NoError(t, err)
		status, err := commit.Status()
		require.NoError(t, err)
		require.True(t, status.Successful)
		require.Equal(t, peer.TxValidationCode_VALID, status.Code)
		require.Greater(t, status.BlockNumber, uint64(0))
	})

	t.Run("A chaincode error's message reaches the client", func(t *testing.T) {
		_, err := contract.SubmitTransaction("Fail", "no such warrant")
		var endorseErr *client.EndorseError
		require.ErrorAs(t, err, &endorseErr)
		require.Contains(t, fmt.Sprint(endorseErr.Details()), "no such warrant")
	})
}

// assertNoError reports an error from a goroutine other than the test's.
func assertNoError(t *testing.T, err error) bool {
	t.Helper()
	if err != nil {
		t.Errorf("unexpected error: %v", err)
		return false
	}
	return true
}

// assertValid reports, from any goroutine, a transaction that did not commit VALID.
func assertValid(t *testing.T, status *client.Status) bool {
	t.Helper()
	if status.Code != peer.TxValidationCode_VALID {
		t.Errorf("transaction %s committed %s", status.TransactionID, status.Code)
		return false
	}
	return true
}

// record mirrors one key and value of the test chaincode's Range result.
type record struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// evaluateJSON evaluates a function and decodes its JSON result into v.
func evaluateJSON(t *testing.T, contract *client.Contract, v any, function string, args ...string) {
	t.Helper()
	result, err := contract.EvaluateTransaction(function, args...)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(result, v), "result: %s", result)
}
