package load_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/client/load"
)

func TestRun(t *testing.T) {
	network, err := load.StartNetwork(context.Background(), load.NetworkOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, network.Close()) })

	tests := []struct {
		name  string
		opts  load.Options
		floor bool
	}{
		{"Split-transfers by many workers all commit valid", load.Options{Workers: 8, Count: 200, Chain: 3}, true},
		{"Queries all answer", load.Options{Workers: 4, Count: 40, Operation: load.OpQuery}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var progress bytes.Buffer
			tt.opts.Network, tt.opts.Progress, tt.opts.FloorSample = network, &progress, 20*time.Millisecond
			report, err := load.Run(context.Background(), tt.opts)
			require.NoError(t, err)

			require.Equal(t, tt.opts.Count, report.Submitted)
			require.Equal(t, tt.opts.Count, report.Valid)
			require.Empty(t, report.Invalid)
			require.Empty(t, report.Failed)
			require.Empty(t, report.Note)
			require.Positive(t, report.TPS)
			require.LessOrEqual(t, report.P50ms, report.P95ms)
			require.LessOrEqual(t, report.P95ms, report.P99ms)
			if tt.floor {
				require.Equal(t, load.SignsPerTx, report.Floor.Signs)
				require.Equal(t, load.VerifiesPerTx, report.Floor.Verifies)
				require.Positive(t, report.FloorTPS)
				require.InDelta(t, report.TPS/report.FloorTPS, report.Efficiency, 1e-9)
			} else {
				require.Zero(t, report.FloorTPS)
			}
			require.Contains(t, progress.String(), "valid")

			data, err := report.JSON()
			require.NoError(t, err)
			var decoded map[string]any
			require.NoError(t, json.Unmarshal(data, &decoded))
			require.Equal(t, tt.opts.Operation == "" || tt.opts.Operation == load.OpSplitTransfer, decoded["operation"] == load.OpSplitTransfer)
			require.Contains(t, decoded, "p99_ms")
		})
	}
}

func TestRunIssuesContendForTheCreditLine(t *testing.T) {
	network, err := load.StartNetwork(context.Background(), load.NetworkOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, network.Close()) })

	report, err := load.Run(context.Background(), load.Options{Network: network, Workers: 4, Count: 12, Operation: load.OpIssue, FloorSample: 20 * time.Millisecond})
	require.NoError(t, err)

	t.Run("Every issue commits, valid or as a read conflict on the credit line", func(t *testing.T) {
		require.Equal(t, 12, report.Submitted)
		require.Empty(t, report.Failed)
		require.Positive(t, report.Valid)
		invalid := 0
		for code, n := range report.Invalid {
			require.Equal(t, "MVCC_READ_CONFLICT", code)
			invalid += n
		}
		require.Equal(t, 12, report.Valid+invalid)
	})
}

func TestRunRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts load.Options
		want string
	}{
		{"An unknown operation is refused", load.Options{Operation: "mint"}, "unknown operation"},
		{"A negative worker count is refused", load.Options{Workers: -1}, "workers"},
		{"A negative count is refused", load.Options{Count: -5}, "negative"},
		{"A chain longer than the lineage allows is refused", load.Options{Chain: 16}, "chain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load.Run(context.Background(), tt.opts)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestMeasureFloor(t *testing.T) {
	floor, err := load.MeasureFloor(20 * time.Millisecond)
	require.NoError(t, err)
	require.Positive(t, floor.SignsPerSecond)
	require.Positive(t, floor.VerifiesPerSecond)
	require.Positive(t, floor.Cores)
	want := 1 / (float64(floor.Signs)/floor.SignsPerSecond + float64(floor.Verifies)/floor.VerifiesPerSecond)
	require.InDelta(t, want, floor.TPS, 1e-6)
}
