package load_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/client/load"
	"github.com/scfledger/warrants/test/testnet"
)

// BenchmarkSplitTransfer runs b.N split-transfers on a dev network started in
// this process (test/testnet, the chaincode in-process), by 64 workers (the peak)
// and by 8 (a light load), and reports the load report's figures. Run it with:
//
//	go test ./client/load -run '^$' -bench SplitTransfer/workers=64 -benchtime 5000x
func BenchmarkSplitTransfer(b *testing.B) {
	for _, workers := range []int{64, 8} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			net := testnet.StartWith(b, testnet.Options{Bare: true})
			members, err := load.MembersInDir(net.Dir())
			require.NoError(b, err)
			report, err := load.Run(context.Background(), load.Options{Members: members, Workers: workers, Count: b.N, Progress: os.Stderr, VerifiesPerTx: load.SharedVerifiesPerTx})
			require.NoError(b, err)
			b.Log(report)
			b.ReportMetric(report.TPS, "tx/s")
			b.ReportMetric(report.P50ms, "p50-ms")
			b.ReportMetric(report.P95ms, "p95-ms")
			b.ReportMetric(report.P99ms, "p99-ms")
			b.ReportMetric(report.FloorTPS, "floor-tx/s")
			b.ReportMetric(report.Efficiency, "efficiency")
		})
	}
}
