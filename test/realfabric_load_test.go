package test

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

// loadFigures is the outcome of an issuance load.
type loadFigures struct {
	Committed int
	Failed    int
	TxPerSec  float64
	P50, P95  time.Duration
}

func (f loadFigures) String() string {
	return fmt.Sprintf("%d committed, %d failed, %.1f tx/s, p50 %v, p95 %v", f.Committed, f.Failed, f.TxPerSec,
		f.P50.Round(time.Millisecond), f.P95.Round(time.Millisecond))
}

// issuanceLoad onboards the cast, then has workers clients (one gateway
// connection each, as the core enterprise) issue total warrants, each waiting for
// its commit, and measures committed tx/s and latency percentiles.
func issuanceLoad(t *testing.T, dial func(identity) (*client.Gateway, io.Closer, error), workers, total int) loadFigures {
	t.Helper()
	setup := &conformanceRun{t: t, dial: dial, gateways: map[identity]*client.Gateway{}, norm: newNormaliser()}
	for _, m := range members {
		setup.call("onboard", assoc, "admin:OnboardEnterprise", m.enterprise)
	}
	setup.call("credit line", bank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: coreCode(), Limit: 1_000_000_000_000})
	for _, o := range setup.outcomes {
		require.Equal(t, "VALID", o.Validation, "%+v", o)
	}

	maturity := time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(24 * time.Hour)
	contracts := make([]*client.Contract, workers)
	for i := range contracts {
		gw, closer, err := dial(core)
		require.NoError(t, err)
		t.Cleanup(func() { _ = closer.Close() })
		contracts[i] = gw.GetNetwork("warrants").GetContract(chaincodeName)
	}
	var next, failed atomic.Int64
	latencies := make([][]time.Duration, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1)
				if n > int64(total) {
					return
				}
				number := fmt.Sprintf("%08d", 10_000_000+n)
				request := encode(t, warrant.IssueRequest{Debtor: coreCode(), Holder: jinggongCode(), Amount: 1_000_00, MaturesAt: maturity,
					Trade: warrant.Trade{ContractHash: hashOf("load contract " + number), Invoices: []warrant.Invoice{{
						Code: "4403261130", Number: number, Amount: 1_000_00, Seller: jinggongCode(), Buyer: coreCode(), DocumentHash: hashOf("load invoice " + number)}}}})
				began := time.Now()
				if _, err := contracts[w].SubmitTransaction("issuance:Issue", request); err != nil {
					failed.Add(1)
					continue
				}
				latencies[w] = append(latencies[w], time.Since(began))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	require.NotEmpty(t, all, "no issue committed")
	percentile := func(p float64) time.Duration { return all[int(p*float64(len(all)-1))] }
	return loadFigures{Committed: len(all), Failed: int(failed.Load()), TxPerSec: float64(len(all)) / elapsed.Seconds(),
		P50: percentile(0.50), P95: percentile(0.95)}
}

// loadSize reads the number of workers and transactions of TestRealFabricIssuanceLoad.
func loadSize(t *testing.T) (workers, total int) {
	workers, total = 32, 1000
	if v := os.Getenv("SCF_LOAD_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err)
		workers = n
	}
	if v := os.Getenv("SCF_LOAD_TOTAL"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err)
		total = n
	}
	return workers, total
}

// TestRealFabricIssuanceLoad measures warrant issuance with the same client load
// on the dev network and on the native real network, both cutting blocks at 100
// transactions or 50 ms. It reports figures and asserts only that every issue
// committed (SCF_LOAD_WORKERS, SCF_LOAD_TOTAL change the load).
func TestRealFabricIssuanceLoad(t *testing.T) {
	requireFabricBin(t)
	workers, total := loadSize(t)

	chaincode, err := contracts.New()
	require.NoError(t, err)
	dev, err := devnet.Start(context.Background(), devnet.Options{Config: config.Default(), FreePorts: true,
		InProcess: map[string]shim.Chaincode{chaincodeName: chaincode}})
	require.NoError(t, err)
	onDev := issuanceLoad(t, func(id identity) (*client.Gateway, io.Closer, error) {
		gw, err := dev.Connect(id.mspID, id.user)
		if err != nil {
			return nil, nil, err
		}
		return gw.Gateway, gw, nil
	}, workers, total)
	require.NoError(t, dev.Close())
	t.Logf("dev network, issuance, %d clients: %v", workers, onDev)

	native := startNative(t)
	onFabric := issuanceLoad(t, native.dial, workers, total)
	t.Logf("native real Fabric, issuance, %d clients: %v", workers, onFabric)
	require.Zero(t, onDev.Failed)
	require.Zero(t, onFabric.Failed)
}
