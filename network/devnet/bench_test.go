package devnet_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

// BenchmarkSubmitPut measures simple puts submitted through the gateway by 64
// concurrent clients and waited for until committed: committed tx/s and commit
// latency percentiles. Run it with:
//
//	go test ./network/devnet -run '^$' -bench BenchmarkSubmitPut -benchtime 3000x
func BenchmarkSubmitPut(b *testing.B) {
	const workers = 64
	network, err := devnet.Start(context.Background(), devnet.Options{Config: testConfig("MAJORITY Endorsement"), FreePorts: true})
	require.NoError(b, err)
	defer network.Close()
	contracts := make([]*client.Contract, workers)
	for i := range contracts {
		gateway, err := network.Connect("CoreEnterpriseMSP", "User1")
		require.NoError(b, err)
		defer gateway.Close()
		contracts[i] = gateway.GetNetwork(network.Channel()).GetContract("basic")
	}

	latencies := make([]time.Duration, b.N)
	var next atomic.Int64
	var failures atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	started := time.Now()
	for w := range workers {
		wg.Add(1)
		go func(contract *client.Contract) {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				begin := time.Now()
				if _, err := contract.SubmitTransaction("Put", fmt.Sprintf("key-%d", i), "value"); err != nil {
					failures.Add(1)
				}
				latencies[i] = time.Since(begin)
			}
		}(contracts[w])
	}
	wg.Wait()
	elapsed := time.Since(started)
	b.StopTimer()

	require.Zero(b, failures.Load(), "failed submits")
	slices.Sort(latencies)
	percentile := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tx/s")
	b.ReportMetric(percentile(0.50), "p50-ms")
	b.ReportMetric(percentile(0.95), "p95-ms")
	b.ReportMetric(percentile(0.99), "p99-ms")
}

// BenchmarkLightLoadPhases submits simple puts one at a time (light load) with
// the default 50 ms batch timeout and reports the median of each step a
// client sees: endorse (the gateway collects the endorsements), submit (the
// orderer accepts the envelope), commit (until the commit status returns) and
// their total. Run it with:
//
//	go test ./network/devnet -run '^$' -bench BenchmarkLightLoadPhases -benchtime 100x
func BenchmarkLightLoadPhases(b *testing.B) {
	cfg := testConfig("MAJORITY Endorsement")
	cfg.Orderer.BatchTimeout = config.Duration(config.DefaultBatchTimeout)
	network, err := devnet.Start(context.Background(), devnet.Options{Config: cfg, FreePorts: true})
	require.NoError(b, err)
	defer network.Close()
	gateway, err := network.Connect("CoreEnterpriseMSP", "User1")
	require.NoError(b, err)
	defer gateway.Close()
	contract := gateway.GetNetwork(network.Channel()).GetContract("basic")

	phases := map[string][]time.Duration{}
	record := func(name string, since time.Time) time.Time {
		now := time.Now()
		phases[name] = append(phases[name], now.Sub(since))
		return now
	}
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		proposal, err := contract.NewProposal("Put", client.WithArguments(fmt.Sprintf("key-%d", i), "value"))
		require.NoError(b, err)
		transaction, err := proposal.Endorse()
		require.NoError(b, err)
		t := record("endorse", start)
		commit, err := transaction.Submit()
		require.NoError(b, err)
		t = record("submit", t)
		status, err := commit.Status()
		require.NoError(b, err)
		require.True(b, status.Successful)
		record("commit", t)
		record("total", start)
	}
	b.StopTimer()
	for _, name := range []string{"endorse", "submit", "commit", "total"} {
		slices.Sort(phases[name])
		b.ReportMetric(float64(phases[name][len(phases[name])/2].Microseconds())/1000, name+"-p50-ms")
	}
}
