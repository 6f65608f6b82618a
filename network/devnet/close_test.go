package devnet_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/devnettest"
)

// TestCloseUnderLoad closes a network while 16 clients evaluate and submit,
// once 20 submits have committed. Close waits for the calls in flight, and
// each of them ends: every submit acknowledged as committed is in the
// ledger of the peer that acknowledged it, every call made after Close
// returned fails, and every client returns (nothing touches a closed ledger,
// which would panic the process).
func TestCloseUnderLoad(t *testing.T) {
	t.Parallel()
	const clients, acknowledgedBeforeClose = 16, 20
	dir := t.TempDir()
	cfg := testConfig("MAJORITY Endorsement")
	network, err := devnet.Start(context.Background(), devnet.Options{Config: cfg, Dir: dir, FreePorts: true})
	require.NoError(t, err)

	var mu sync.Mutex
	var acknowledged []string
	enough := make(chan struct{})
	var enoughOnce sync.Once
	var closed atomic.Bool
	var afterClose atomic.Int64 // calls made after Close returned that did not fail
	var workers sync.WaitGroup
	for worker := range clients {
		gateway, err := network.Connect("CoreEnterpriseMSP", "User1")
		require.NoError(t, err)
		contract := gateway.GetNetwork(network.Channel()).GetContract("basic")
		workers.Add(1)
		go func() {
			defer workers.Done()
			defer gateway.Close()
			for i := 0; ; i++ {
				wasClosed := closed.Load()
				key := fmt.Sprintf("w%d-%d", worker, i)
				_, evaluateErr := contract.EvaluateTransaction("Range", "", "")
				_, submitErr := contract.SubmitTransaction("Put", key, "v")
				if submitErr == nil {
					mu.Lock()
					acknowledged = append(acknowledged, key)
					if len(acknowledged) >= acknowledgedBeforeClose {
						enoughOnce.Do(func() { close(enough) })
					}
					mu.Unlock()
				}
				if wasClosed {
					if evaluateErr == nil || submitErr == nil {
						afterClose.Add(1)
					}
					return
				}
			}
		}()
	}
	select {
	case <-enough:
	case <-time.After(2 * time.Minute):
		require.FailNow(t, "the clients did not commit enough transactions")
	}
	require.NoError(t, network.Close())
	closed.Store(true)
	workers.Wait()

	require.Zero(t, afterClose.Load(), "calls made after Close must fail")
	require.ErrorIs(t, network.Err(), devnet.ErrClosed)
	org, err := cfg.Org("CoreEnterpriseMSP")
	require.NoError(t, err)
	store, err := devnettest.OpenLedger(dir, *org)
	require.NoError(t, err)
	defer store.Close()
	require.NoError(t, store.VerifyChain())
	mu.Lock()
	defer mu.Unlock()
	require.GreaterOrEqual(t, len(acknowledged), acknowledgedBeforeClose)
	for _, key := range acknowledged {
		value, err := store.State("basic", key)
		require.NoError(t, err)
		require.Equal(t, "v", string(value), "acknowledged %s is committed", key)
	}
}
