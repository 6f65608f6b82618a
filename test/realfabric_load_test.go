package test

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	warrantclient "github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/test/testnet"
)

// loadFigures is the outcome of a load.
type loadFigures struct {
	Committed int
	Failed    int
	Retried   int
	TxPerSec  float64
	P50, P95  time.Duration
}

func (f loadFigures) String() string {
	return fmt.Sprintf("%d committed, %d failed, %d retried, %.1f tx/s, p50 %v, p95 %v", f.Committed, f.Failed, f.Retried, f.TxPerSec,
		f.P50.Round(time.Millisecond), f.P95.Round(time.Millisecond))
}

// splitLoad onboards the cast and gives each of workers clients (one gateway
// connection each, as Jinggong) a registered warrant of its own; then every client
// splits a part off its warrant for Hengda and goes on with the part it keeps,
// waiting for each commit, until total splits are done or the lineages reach the
// depth limit. It measures committed tx/s and latency percentiles. (Issuance is no
// load for many clients: every issue consumes the debtor's one credit line, so
// concurrent issues conflict by design.)
//
// On real Fabric (everyPeer) the setup waits for every peer after each commit, and a
// split whose endorsement fails with no chaincode error (another org's peer had not
// yet committed the client's previous split, so the endorsements differ) is retried
// up to 5 times; retries are counted.
func splitLoad(t *testing.T, dial func(identity) (*client.Gateway, io.Closer, error), everyPeer bool, workers, total int) loadFigures {
	t.Helper()
	setup := &conformanceRun{t: t, dial: dial, gateways: map[identity]*client.Gateway{}, norm: newNormaliser(), everyPeer: everyPeer}
	registerMembers(setup)
	for _, m := range members {
		setup.call("onboard", assoc, "admin:OnboardEnterprise", m.enterprise)
	}
	setup.call("credit line", bank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: coreCode(), Limit: 1_000_000_000_000})
	authorizeAttestors(setup)
	maturity := time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(24 * time.Hour)
	roots := make([]string, workers)
	for w := range roots {
		number := fmt.Sprintf("%08d", 10_000_000+w)
		roots[w] = warrantIDOf(t, setup.call("issue", core, "issuance:Issue", warrant.IssueRequest{Debtor: coreCode(), Holder: jinggongCode(),
			Amount: 1_000_000_00, MaturesAt: maturity, Trade: warrant.Trade{ContractHash: hashOf("load contract " + number),
				Invoices: []warrant.Invoice{{Code: "4403261130", Number: number, Amount: 1_000_000_00, Seller: jinggongCode(),
					Buyer: coreCode(), DocumentHash: hashOf("load invoice " + number)}}}}))
		attest(setup, roots[w], 1_000_000_00)
		setup.call("verify", assoc, "registry:Verify", warrant.VerifyRequest{WarrantID: roots[w], EvidenceHash: hashOf("evidence"), Passed: true})
		setup.call("register", assoc, "registry:Register", warrant.RegisterRequest{WarrantID: roots[w]})
	}
	for _, o := range setup.outcomes {
		require.Equal(t, "VALID", o.Validation, "%+v", o)
	}

	contracts := make([]*client.Contract, workers)
	for i := range contracts {
		gw, closer, err := dial(jinggong)
		require.NoError(t, err)
		t.Cleanup(func() { _ = closer.Close() })
		contracts[i] = gw.GetNetwork("warrants").GetContract(testnet.ChaincodeName)
	}
	var next, failed, retried atomic.Int64
	latencies := make([][]time.Duration, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			current := roots[w]
			for depth := 1; depth < warrant.DefaultParams().MaxDepth && next.Add(1) <= int64(total); depth++ {
				request := encode(t, warrant.SplitTransferRequest{WarrantID: current,
					Parts: []warrant.Part{{Recipient: hengdaCode(), Amount: 1_000_00}}})
				began := time.Now()
				result, err := contracts[w].SubmitTransaction("transfer:SplitTransfer", request)
				for attempt := 1; err != nil && attempt <= 5; attempt++ {
					if warrantclient.Code(err) != "" {
						break
					}
					retried.Add(1)
					time.Sleep(time.Duration(attempt) * 50 * time.Millisecond)
					result, err = contracts[w].SubmitTransaction("transfer:SplitTransfer", request)
				}
				if err != nil {
					if failed.Add(1) <= 3 {
						t.Logf("split of %s failed: %s", current, errorDetails(err))
					}
					return
				}
				latencies[w] = append(latencies[w], time.Since(began))
				var split warrant.SplitResult
				if json.Unmarshal(result, &split) != nil {
					failed.Add(1)
					return
				}
				for _, child := range split.Children {
					if child.Holder == jinggongCode() {
						current = child.ID
					}
				}
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
	require.NotEmpty(t, all, "no split committed")
	percentile := func(p float64) time.Duration { return all[int(p*float64(len(all)-1))] }
	return loadFigures{Committed: len(all), Failed: int(failed.Load()), Retried: int(retried.Load()), TxPerSec: float64(len(all)) / elapsed.Seconds(),
		P50: percentile(0.50), P95: percentile(0.95)}
}

// loadSize reads the number of workers and transactions of TestRealFabricSplitLoad.
func loadSize(t *testing.T) (workers, total int) {
	workers, total = 32, 500
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

// TestRealFabricSplitLoad measures warrant split-transfers with the same client load
// on the dev network and on the native real network, both cutting blocks at 100
// transactions or 50 ms. It reports figures and asserts only that every split
// committed (SCF_LOAD_WORKERS, SCF_LOAD_TOTAL change the load).
func TestRealFabricSplitLoad(t *testing.T) {
	requireFabricBin(t)
	workers, total := loadSize(t)

	dev := testnet.StartWith(t, testnet.Options{Config: config.Default(), Bare: true})
	onDev := splitLoad(t, func(id identity) (*client.Gateway, io.Closer, error) {
		gw, err := dev.Network.Connect(id.mspID, id.user)
		if err != nil {
			return nil, nil, err
		}
		return gw.Gateway, gw, nil
	}, false, workers, total)
	require.NoError(t, dev.Stop())
	t.Logf("dev network, split-transfer, %d clients: %v", workers, onDev)

	native := startNative(t)
	onFabric := splitLoad(t, native.dial, true, workers, total)
	t.Logf("native real Fabric, split-transfer, %d clients: %v", workers, onFabric)
	require.Zero(t, onDev.Failed)
	require.Zero(t, onFabric.Failed)
}
