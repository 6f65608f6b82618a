package devnet_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/devnettest"
)

// crashRoundsEnv sets how many times TestCrashRecovery kills the network; one by default.
const crashRoundsEnv = "SCF_CRASH_ROUNDS"

// TestCrashRecovery runs the network in a process of its own (the devnet
// command), kills it with SIGKILL while clients submit, and starts it again
// on the same directory: nothing a client saw commit is lost, and every
// peer's ledger still chains and holds exactly the state its valid
// transactions wrote.
func TestCrashRecovery(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the network in another process")
	}
	rounds := 1
	if value := os.Getenv(crashRoundsEnv); value != "" {
		var err error
		rounds, err = strconv.Atoi(value)
		require.NoError(t, err, crashRoundsEnv)
	}
	cfg := config.Default()
	cfg.Orderer.BatchTimeout = config.Duration(10 * time.Millisecond)
	// The chaincode runs apart from the network, as chaincode-as-a-service
	// does, and outlives every crash.
	cfg.Chaincodes = []config.Chaincode{{Name: "basic", Version: "1.0", Address: serveTestChaincode(t), EndorsementPolicy: "MAJORITY Endorsement"}}
	runner := devnettest.NewRunner(t, cfg, filepath.Join(t.TempDir(), "network"))

	seen := &committedWrites{values: map[string]string{}}
	for round := range rounds {
		node := runner.Start(t)
		seen.requireReadable(t, node, cfg)
		loadUntilKilled(t, node, cfg, round, seen, devnettest.KillPoint(rounds))
	}

	node := runner.Start(t)
	t.Run("Every write a client saw commit survives the crashes", func(t *testing.T) {
		seen.requireReadable(t, node, cfg)
	})
	t.Run("The restarted network commits new transactions", func(t *testing.T) {
		contract := basicContract(t, node, cfg, cfg.Orgs[0])
		for i := range 3 {
			key, value := fmt.Sprintf("crash/after/%d", i), "after"
			_, commit, err := contract.SubmitAsync("Put", client.WithArguments(key, value))
			require.NoError(t, err)
			status, err := commit.Status()
			require.NoError(t, err)
			require.Equal(t, peer.TxValidationCode_VALID, status.Code)
			seen.add(key, value, commit.TransactionID())
		}
	})
	node.Stop(t)

	t.Run("Every peer's ledger chains, agrees with the others and equals a replay of its valid writes", func(t *testing.T) {
		runner.RequireLedgers(t, func(org config.Org, store *devnettest.Ledger) {
			replayed, err := store.ReplayValidWrites("basic")
			require.NoError(t, err)
			committed, err := store.StateRange("basic", "", "", 0)
			require.NoError(t, err)
			state := map[string]string{}
			for _, kv := range committed {
				state[kv.Key] = string(kv.Value)
			}
			require.Equal(t, replayed, state, org.MSPID)
			for key, value := range seen.values {
				require.Equal(t, value, replayed[key], "%s: key %s", org.MSPID, key)
			}
			for _, txID := range seen.txIDs {
				code, found, err := store.TxStatus(txID)
				require.NoError(t, err)
				require.True(t, found, txID)
				require.Equal(t, peer.TxValidationCode_VALID, code, txID)
			}
		})
	})
}

// committedWrites are the writes clients saw commit VALID.
type committedWrites struct {
	mu     sync.Mutex
	values map[string]string
	txIDs  []string
}

func (c *committedWrites) add(key, value, txID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values[key] = value
	c.txIDs = append(c.txIDs, txID)
}

func (c *committedWrites) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.txIDs)
}

// requireReadable reads every committed write back through every org's peer.
func (c *committedWrites) requireReadable(t *testing.T, node *devnettest.Process, cfg *config.Network) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, org := range cfg.Orgs {
		var records []record
		evaluateJSON(t, basicContract(t, node, cfg, org), &records, "Range", "crash/", "crash0")
		state := map[string]string{}
		for _, r := range records {
			state[r.Key] = r.Value
		}
		for key, value := range c.values {
			require.Equal(t, value, state[key], "%s: key %s", org.MSPID, key)
		}
	}
}

// serveTestChaincode runs the test chaincode as a chaincode-as-a-service
// server on a free port until the test ends, and returns its address.
func serveTestChaincode(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	address := listener.Addr().String()
	require.NoError(t, listener.Close())
	cmd := exec.Command(testChaincode)
	cmd.Env = append(os.Environ(), "CHAINCODE_SERVER_ADDRESS="+address, "CORE_CHAINCODE_ID_NAME=basic:1.0", "CORE_PEER_TLS_ENABLED=false")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return address
}

// basicContract connects User1 of an org to its peer in node.
func basicContract(t *testing.T, node *devnettest.Process, cfg *config.Network, org config.Org) *client.Contract {
	t.Helper()
	gateway, _, err := node.Connect(org.MSPID, "User1")
	require.NoError(t, err)
	return gateway.GetNetwork(cfg.Channel).GetContract("basic")
}

// loadUntilKilled has clients of every org submit Puts until killAfter of
// them have committed, then kills the network mid-load and waits for the
// clients to notice. Every Put writes a key of its own; one in five also rewrites a
// shared key, so that the final state depends on the order of commits.
func loadUntilKilled(t *testing.T, node *devnettest.Process, cfg *config.Network, round int, seen *committedWrites, killAfter int) {
	t.Helper()
	target := seen.count() + killAfter
	var kill sync.Once
	var wg sync.WaitGroup
	for worker := range 6 {
		contract := basicContract(t, node, cfg, cfg.Orgs[worker%len(cfg.Orgs)])
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				key := fmt.Sprintf("crash/%03d/%d/%05d", round, worker, i)
				if i%5 == 4 {
					key = fmt.Sprintf("crash/shared/%d", i%3)
				}
				value := fmt.Sprintf("round %d worker %d put %d", round, worker, i)
				_, commit, err := contract.SubmitAsync("Put", client.WithArguments(key, value))
				if err != nil {
					return
				}
				status, err := commit.Status()
				if err != nil {
					return
				}
				if status.Code == peer.TxValidationCode_VALID && !strings.HasPrefix(key, "crash/shared/") {
					seen.add(key, value, commit.TransactionID())
				}
				if seen.count() >= target {
					kill.Do(node.Kill)
				}
			}
		}()
	}
	wg.Wait()
	kill.Do(node.Kill)
	require.GreaterOrEqual(t, seen.count(), target)
}

// replayValidWrites applies the writes of every valid transaction in the
