package load

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func TestAfterCommitRetriesOnlyALaggingEndorser(t *testing.T) {
	endorseFailure := func(code warrant.Code) error {
		return errors.Join(&client.EndorseError{TransactionError: &client.TransactionError{}}, &warrant.Error{Code: code, Message: "refused"})
	}
	lagging := endorseFailure(warrant.CodeNotFound)
	tests := []struct {
		name     string
		failures []error // what the attempts return before success
		calls    int
		failed   bool
	}{
		{"A step that succeeds runs once", nil, 1, false},
		{"An endorser behind by a block is asked again until it has committed", []error{lagging, lagging}, 3, false},
		{"NOT_FOUND past the bound is returned", []error{lagging, lagging, lagging, lagging, lagging, lagging, lagging, lagging, lagging}, laggingAttempts, true},
		{"Another refusal is returned at once", []error{endorseFailure(warrant.CodeForbidden)}, 1, true},
		{"NOT_FOUND without an endorse failure is returned at once", []error{&warrant.Error{Code: warrant.CodeNotFound}}, 1, true},
		{"A commit failure is never tried again (the transaction was ordered)",
			[]error{&client.CommitError{Code: peer.TxValidationCode_MVCC_READ_CONFLICT}}, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var waits []time.Duration
			saved := pause
			pause = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
			t.Cleanup(func() { pause = saved })
			calls := 0
			err := afterCommit(context.Background(), func() error {
				calls++
				if calls <= len(tt.failures) {
					return tt.failures[calls-1]
				}
				return nil
			})
			require.Equal(t, tt.calls, calls)
			require.Equal(t, tt.failed, err != nil)
			require.Len(t, waits, calls-1)
			for i := 1; i < len(waits); i++ {
				require.Equal(t, 2*waits[i-1], waits[i], "the wait doubles")
			}
		})
	}
}

func TestAfterCommitStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	err := afterCommit(ctx, func() error {
		calls++
		return errors.Join(&client.EndorseError{TransactionError: &client.TransactionError{}}, &warrant.Error{Code: warrant.CodeNotFound})
	})
	require.Equal(t, 1, calls)
	require.ErrorIs(t, err, context.Canceled)
}

func TestRunTransactionsFollowTheWarmUpNotTheFloor(t *testing.T) {
	tests := []struct {
		name          string
		warmUp, floor float64
		duration      time.Duration
		want          int
	}{
		{"The warm-up's rate with headroom, far below the floor", 100, 5000, 10 * time.Second, 1800},
		{"Never more than the floor", 4000, 5000, time.Second, 5000},
		{"The floor when the warm-up committed nothing", 0, 5000, 2 * time.Second, 10000},
		{"The warm-up's rate when no floor was measured", 50, 0, time.Second, 90},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, runTransactions(tt.warmUp, tt.floor, tt.duration))
		})
	}
}
