package test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
)

// TestClosedLoopTallies runs a closed loop on a submit function whose
// submissions commit, are invalidated or fail by turns, and checks what it counts.
func TestClosedLoopTallies(t *testing.T) {
	var submitted atomic.Int64
	submit := func(w, n int) error {
		switch (submitted.Add(1) - 1) % 3 {
		case 1:
			return &client.CommitError{Code: peer.TxValidationCode_MVCC_READ_CONFLICT}
		case 2:
			return errors.New("refused")
		}
		return nil
	}
	f := closedLoop(2, 12, submit)
	require.Equal(t, 2, f.Workers)
	require.Equal(t, 4, f.Committed)
	require.Equal(t, map[string]int{"MVCC_READ_CONFLICT": 4}, f.Invalid)
	require.Equal(t, 4, f.conflicts())
	require.Equal(t, 4, f.Failed)
	require.Equal(t, "refused", f.FirstError)
	require.Len(t, f.latencies, 4)
	require.Positive(t, f.Seconds)
	require.InDelta(t, 4/f.Seconds, f.TxPerSec, 1e-9)
}

// TestClosedLoopStopsWhenNothingIsLeft checks that a worker stops at errNoMore
// without counting it.
func TestClosedLoopStopsWhenNothingIsLeft(t *testing.T) {
	f := closedLoop(1, 10, func(w, n int) error {
		if n >= 3 {
			return errNoMore
		}
		return nil
	})
	require.Equal(t, 3, f.Committed)
	require.Zero(t, f.Failed)
	require.Empty(t, f.Invalid)
}

// TestMergeFigures adds up two rounds of a load: counts and times add, the
// percentiles come from all latencies, and the CPU per transaction is weighted
// by what each round committed.
func TestMergeFigures(t *testing.T) {
	ms := time.Millisecond
	first := loadFigures{Workers: 4, Committed: 4, Invalid: map[string]int{"MVCC_READ_CONFLICT": 1}, Failed: 1, FirstError: "first",
		Seconds: 1.5, latencies: []time.Duration{10 * ms, 30 * ms, 20 * ms, 40 * ms},
		CPU: map[string]time.Duration{"peers": 10 * ms}}
	second := loadFigures{Workers: 4, Committed: 1, Invalid: map[string]int{"MVCC_READ_CONFLICT": 2}, Retried: 5, FirstError: "second",
		Seconds: 1, latencies: []time.Duration{100 * ms},
		CPU: map[string]time.Duration{"peers": 20 * ms, "orderer": 5 * ms}}
	for _, parts := range [][]loadFigures{{first, second}, {second, first}} {
		f := mergeFigures(parts)
		require.Equal(t, 4, f.Workers)
		require.Equal(t, 5, f.Committed)
		require.Equal(t, map[string]int{"MVCC_READ_CONFLICT": 3}, f.Invalid)
		require.Equal(t, 1, f.Failed)
		require.Equal(t, 5, f.Retried)
		require.Equal(t, parts[0].FirstError, f.FirstError)
		require.Equal(t, 2.5, f.Seconds)
		require.InDelta(t, 2.0, f.TxPerSec, 1e-9, "5 commits in 2.5 s")
		require.Equal(t, 30*ms, f.P50)
		require.Equal(t, 40*ms, f.P95)
		require.Equal(t, map[string]time.Duration{"peers": 12 * ms, "orderer": 1 * ms}, f.CPU)
	}
}
