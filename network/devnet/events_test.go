package devnet_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet"
)

// emitted is an event the test caused, with the transaction that emitted it.
type emitted struct {
	txID    string
	payload string
}

func TestChaincodeEventsResumeFromAFileCheckpoint(t *testing.T) {
	t.Parallel()
	network := startNetwork(t, testConfig("MAJORITY Endorsement"), "")
	contract := connect(t, network, core, "User1")
	start := network.Height()

	// Six valid events submitted together, so that blocks hold several, and
	// one event of a transaction that fails validation.
	var valid []emitted
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			payload := fmt.Sprintf("valid-%d", i)
			_, commit, err := contract.SubmitAsync("Emit", client.WithArguments("Moved", payload))
			if !assertNoError(t, err) {
				return
			}
			status, err := commit.Status()
			if !assertNoError(t, err) || !assertValid(t, status) {
				return
			}
			mu.Lock()
			valid = append(valid, emitted{txID: commit.TransactionID(), payload: payload})
			mu.Unlock()
		}()
	}
	invalid := endorse(t, contract, "Emit",
		client.WithArguments("Moved", "invalid"),
		client.WithEndorsingOrganizations(core))
	require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, submitStatus(t, invalid).Code)
	wg.Wait()
	require.Len(t, valid, 6)

	checkpointFile := filepath.Join(t.TempDir(), "checkpoint.json")
	const firstSession = 4

	// The first session reads some events, checkpointing each, then goes away.
	first := readEvents(t, network, start, checkpointFile, firstSession)

	// The second session, on a new connection with the same checkpoint file,
	// gets the rest; a sentinel emitted afterwards proves nothing else was due.
	_, err := contract.SubmitTransaction("Emit", "Moved", "sentinel")
	require.NoError(t, err)
	second := readEvents(t, network, start, checkpointFile, len(valid)-firstSession+1)

	t.Run("Events before the checkpoint are not delivered again", func(t *testing.T) {
		seen := map[string]bool{}
		for _, event := range append(append([]*client.ChaincodeEvent{}, first...), second...) {
			require.False(t, seen[event.TransactionID], "event of %s delivered twice", event.TransactionID)
			seen[event.TransactionID] = true
		}
	})

	t.Run("Every valid event is delivered once, in block order, then the sentinel", func(t *testing.T) {
		all := append(append([]*client.ChaincodeEvent{}, first...), second...)
		require.Equal(t, "sentinel", string(all[len(all)-1].Payload))
		got := map[string]string{}
		for i, event := range all[:len(all)-1] {
			if i > 0 {
				require.GreaterOrEqual(t, event.BlockNumber, all[i-1].BlockNumber)
			}
			require.Equal(t, "basic", event.ChaincodeName)
			require.Equal(t, "Moved", event.EventName)
			got[event.TransactionID] = string(event.Payload)
		}
		want := map[string]string{}
		for _, e := range valid {
			want[e.txID] = e.payload
		}
		require.Equal(t, want, got)
	})

	t.Run("The event of an invalid transaction is not delivered", func(t *testing.T) {
		for _, event := range append(first, second...) {
			require.NotEqual(t, invalid.TransactionID(), event.TransactionID)
			require.NotEqual(t, "invalid", string(event.Payload))
		}
	})
}

// readEvents opens a new client connection, reads count "basic" events from
// start or from the checkpoint in file, checkpoints each, and disconnects.
func readEvents(t *testing.T, network *devnet.Network, start uint64, file string, count int) []*client.ChaincodeEvent {
	t.Helper()
	gateway, err := network.Connect(bank, "User1")
	require.NoError(t, err)
	defer func() { _ = gateway.Close() }()
	checkpointer, err := client.NewFileCheckpointer(file)
	require.NoError(t, err)
	defer func() { require.NoError(t, checkpointer.Close()) }()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	events, err := gateway.GetNetwork(network.Channel()).ChaincodeEvents(ctx, "basic",
		client.WithStartBlock(start), client.WithCheckpoint(checkpointer))
	require.NoError(t, err)
	defer func() {
		cancel()
		for range events { // let the client's receiving goroutine end
		}
	}()

	var got []*client.ChaincodeEvent
	for len(got) < count {
		select {
		case event, ok := <-events:
			require.True(t, ok, "event stream ended after %d of %d events", len(got), count)
			got = append(got, event)
			require.NoError(t, checkpointer.CheckpointChaincodeEvent(event))
		case <-ctx.Done():
			require.FailNow(t, "timed out waiting for events", "got %d of %d", len(got), count)
		}
	}
	return got
}
