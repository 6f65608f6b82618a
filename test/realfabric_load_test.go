package test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/test/testnet"
)

// dialFunc connects an identity to its org's peer through a network's gateway.
type dialFunc func(identity) (*client.Gateway, io.Closer, error)

// loadFigures is the outcome of a closed-loop load.
type loadFigures struct {
	Workers int
	// Committed counts transactions committed VALID; Invalid those committed with
	// another validation code, by code; Failed those that never committed.
	Committed int
	Invalid   map[string]int
	Failed    int
	// Retried counts endorsements tried again (see closedLoop).
	Retried    int
	FirstError string
	Seconds    float64
	TxPerSec   float64
	P50, P95   time.Duration
	// CPU is the CPU time per committed transaction of each group of the native
	// network's processes (nil on the dev network).
	CPU map[string]time.Duration
	// latencies are the committed transactions' latencies, sorted.
	latencies []time.Duration
}

// mergeFigures adds up loads of the same workload run one after another: their
// transactions, time, latencies and CPU per transaction, weighted by what each
// committed.
func mergeFigures(parts []loadFigures) loadFigures {
	f := loadFigures{Invalid: map[string]int{}, CPU: map[string]time.Duration{}}
	cpu := map[string]time.Duration{}
	for _, part := range parts {
		f.Workers = max(f.Workers, part.Workers)
		f.addOutcomes(part)
		f.Seconds += part.Seconds
		for group, perTx := range part.CPU {
			cpu[group] += perTx * time.Duration(part.Committed)
		}
	}
	f.tally()
	for group, spent := range cpu {
		if f.Committed > 0 {
			f.CPU[group] = spent / time.Duration(f.Committed)
		}
	}
	return f
}

// addOutcomes adds part's invalid, failed and retried counts and its latencies
// to f's, and takes its first error if f has none.
func (f *loadFigures) addOutcomes(part loadFigures) {
	for code, n := range part.Invalid {
		f.Invalid[code] += n
	}
	f.Failed += part.Failed
	f.Retried += part.Retried
	if f.FirstError == "" {
		f.FirstError = part.FirstError
	}
	f.latencies = append(f.latencies, part.latencies...)
}

// tally sets the committed count, the rate and the percentiles.
func (f *loadFigures) tally() {
	slices.Sort(f.latencies)
	f.Committed = len(f.latencies)
	f.TxPerSec = 0
	if f.Seconds > 0 {
		f.TxPerSec = float64(f.Committed) / f.Seconds
	}
	if n := len(f.latencies); n > 0 {
		f.P50, f.P95 = f.latencies[(n-1)/2], f.latencies[int(0.95*float64(n-1))]
	}
}

// conflicts counts the transactions invalidated by a read conflict.
func (f loadFigures) conflicts() int {
	return f.Invalid[peer.TxValidationCode_MVCC_READ_CONFLICT.String()] + f.Invalid[peer.TxValidationCode_PHANTOM_READ_CONFLICT.String()]
}

func (f loadFigures) String() string {
	return fmt.Sprintf("%d clients: %d committed, invalid %v, %d failed, %d retried, %.1f tx/s, p50 %v, p95 %v", f.Workers, f.Committed,
		f.Invalid, f.Failed, f.Retried, f.TxPerSec, f.P50.Round(time.Millisecond), f.P95.Round(time.Millisecond))
}

// submitFunc submits worker w's n-th transaction (n counts from 0) and waits for
// its commit; errNoMore says the worker has nothing left to submit.
type submitFunc func(w, n int) error

var errNoMore = errors.New("nothing left to submit")

// maxEndorseRetries bounds how often closedLoop endorses a transaction again.
const maxEndorseRetries = 3

// closedLoop runs workers clients, each submitting its next transaction and
// waiting for its commit before the next, until total transactions are
// submitted, and tallies what became of them. Latency runs from the first
// endorsement to the commit status. A transaction whose endorsement fails is
// endorsed again up to maxEndorseRetries times (counted in Retried): on real
// Fabric the second endorser may not yet have committed the block the client's
// own peer reported, so it simulates on older state; an ordered transaction is
// never resubmitted.
func closedLoop(workers, total int, submit submitFunc) loadFigures {
	tallies := make([]loadFigures, workers)
	var issued atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcomes := &tallies[w]
			outcomes.Invalid = map[string]int{}
			for n := 0; issued.Add(1) <= int64(total); n++ {
				began := time.Now()
				err := submit(w, n)
				var endorseErr *client.EndorseError
				for attempt := 1; attempt <= maxEndorseRetries && errors.As(err, &endorseErr); attempt++ {
					outcomes.Retried++
					time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
					err = submit(w, n)
				}
				var commitErr *client.CommitError
				switch {
				case err == nil:
					outcomes.latencies = append(outcomes.latencies, time.Since(began))
				case errors.Is(err, errNoMore):
					return
				case errors.As(err, &commitErr):
					outcomes.Invalid[commitErr.Code.String()]++
				default:
					outcomes.Failed++
					if outcomes.FirstError == "" {
						outcomes.FirstError = errorDetails(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	f := loadFigures{Workers: workers, Invalid: map[string]int{}, Seconds: time.Since(start).Seconds()}
	for _, outcomes := range tallies {
		f.addOutcomes(outcomes)
	}
	f.tally()
	return f
}

// splitLineages has each worker split-transfer one part of a warrant to Hengda and
// go on with the part it keeps. A worker takes its lineages in turn, so that it
// never splits a warrant whose split has just committed: the other org's endorser
// has had a whole transaction's time to commit it too. No two workers share a
// warrant, so no split reads what another writes.
type splitLineages struct {
	contracts []*client.Contract
	// current[w] are worker w's lineages: the warrant each splits next; depth[w]
	// how deep each is; turns[w] how many splits the worker has asked for, over
	// every load it has been part of, which tells whose turn it is.
	current  [][]string
	depth    [][]int
	turns    []int
	maxDepth int
}

// newSplitLineages gives each of the contracts' workers perWorker of the roots.
func newSplitLineages(contracts []*client.Contract, roots []string, perWorker int) *splitLineages {
	s := &splitLineages{contracts: contracts, maxDepth: warrant.DefaultParams().MaxDepth}
	for w := range contracts {
		s.current = append(s.current, roots[w*perWorker:(w+1)*perWorker])
		s.depth = append(s.depth, make([]int, perWorker))
	}
	s.turns = make([]int, len(contracts))
	return s
}

// lineagesPerWorker is how many lineages each of workers needs for total splits,
// with half as much again for uneven workers, and at least 2 to take in turn.
func lineagesPerWorker(workers, total int) int {
	splitsPerLineage := warrant.DefaultParams().MaxDepth - 1
	perWorker := (total + workers - 1) / workers
	return max(2, (3*perWorker+2*splitsPerLineage-1)/(2*splitsPerLineage))
}

func (s *splitLineages) submit(w, _ int) error {
	lineages := len(s.current[w])
	turn := s.turns[w]
	s.turns[w]++
	k := -1
	for j := range lineages {
		if candidate := (turn + j) % lineages; s.depth[w][candidate] < s.maxDepth-1 {
			k = candidate
			break
		}
	}
	if k < 0 {
		return errNoMore
	}
	request, err := json.Marshal(warrant.SplitTransferRequest{WarrantID: s.current[w][k],
		Parts: []warrant.Part{{Recipient: hengdaCode(), Amount: 1_000_00}}})
	if err != nil {
		return err
	}
	result, err := s.contracts[w].SubmitTransaction("transfer:SplitTransfer", string(request))
	if err != nil {
		return err
	}
	var split warrant.SplitResult
	if err := json.Unmarshal(result, &split); err != nil {
		return fmt.Errorf("split result: %w", err)
	}
	for _, child := range split.Children {
		if child.Holder == jinggongCode() {
			s.current[w][k] = child.ID
			s.depth[w][k]++
			return nil
		}
	}
	return fmt.Errorf("split of %s left Jinggong no part", s.current[w][k])
}

// putLoad has every worker write fresh keys with the trivial put chaincode.
func putLoad(contracts []*client.Contract, run string) submitFunc {
	value := strings.Repeat("v", 256)
	return func(w, n int) error {
		_, err := contracts[w].SubmitTransaction("Put", fmt.Sprintf("%s-%03d-%06d", run, w, n), value)
		return err
	}
}

// contractsOf opens one gateway connection per worker as Jinggong, closed when the
// test ends, and returns each worker's contract of the chaincode.
func contractsOf(t *testing.T, dial dialFunc, workers int, chaincode string) []*client.Contract {
	t.Helper()
	contracts := make([]*client.Contract, workers)
	for w := range contracts {
		gw, closer, err := dial(jinggong)
		require.NoError(t, err)
		t.Cleanup(func() { _ = closer.Close() })
		contracts[w] = gw.GetNetwork("warrants").GetContract(chaincode)
	}
	return contracts
}

// prepareRoots onboards the cast on a fresh ledger and gives Jinggong n
// registered warrants. Issues go one after another (each consumes the debtor's
// one credit line); attestations, verifications and registrations go
// concurrently, phase by phase. On real Fabric (everyPeer) each step is
// followed by a wait until every org's peer has its block.
func prepareRoots(t *testing.T, dial dialFunc, everyPeer bool, n int) []string {
	t.Helper()
	setup := &conformanceRun{t: t, dial: dial, gateways: map[identity]*client.Gateway{}, norm: newNormaliser(), everyPeer: everyPeer}
	registerMembers(setup)
	for _, m := range members {
		setup.call("onboard", assoc, "admin:OnboardEnterprise", m.enterprise)
	}
	setup.call("credit line", bank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: coreCode(), Limit: 1_000_000_000_000})
	authorizeAttestors(setup)
	maturity := time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(24 * time.Hour)
	const amount = 1_000_000_00
	roots := make([]string, n)
	for i := range roots {
		number := fmt.Sprintf("%08d", 10_000_000+i)
		roots[i] = warrantIDOf(t, setup.call("issue", core, "issuance:Issue", warrant.IssueRequest{Debtor: coreCode(), Holder: jinggongCode(),
			Amount: amount, MaturesAt: maturity, Trade: warrant.Trade{ContractHash: hashOf("load contract " + number),
				Invoices: []warrant.Invoice{{Code: "4403261130", Number: number, Amount: amount, Seller: jinggongCode(),
					Buyer: coreCode(), DocumentHash: hashOf("load invoice " + number)}}}}))
	}
	for _, o := range setup.outcomes {
		require.Equal(t, "VALID", o.Validation, "%+v", o)
	}
	phases := []struct {
		by       identity
		function string
		request  func(id string) any
	}{
		{shulian, "registry:Attest", func(id string) any {
			return warrant.AttestRequest{WarrantID: id, Kind: warrant.AttestTaxInvoice, Passed: true, ConfirmedAmount: amount,
				EvidenceHash: hashOf("tax evidence " + id)}
		}},
		{core, "registry:Attest", func(id string) any {
			return warrant.AttestRequest{WarrantID: id, Kind: warrant.AttestGoodsReceipt, Passed: true, ConfirmedAmount: amount,
				EvidenceHash: hashOf("receipt evidence " + id)}
		}},
		{assoc, "registry:Verify", func(id string) any {
			return warrant.VerifyRequest{WarrantID: id, EvidenceHash: hashOf("evidence"), Passed: true}
		}},
		{assoc, "registry:Register", func(id string) any { return warrant.RegisterRequest{WarrantID: id} }},
	}
	for _, phase := range phases {
		contract := setup.contract(phase.by)
		last := submitAll(t, len(roots), func(i int) (*client.Status, error) {
			_, commit, err := contract.SubmitAsync(phase.function, client.WithArguments(encode(t, phase.request(roots[i]))))
			if err != nil {
				return nil, err
			}
			return commit.Status()
		})
		if everyPeer {
			setup.waitForBlock(last)
		}
	}
	return roots
}

// submitAll runs submit(0..n-1), 16 at a time, endorsing again a transaction whose
// endorsement fails (see closedLoop); it requires every transaction to commit VALID
// and returns the highest block number.
func submitAll(t *testing.T, n int, submit func(i int) (*client.Status, error)) uint64 {
	t.Helper()
	var mu sync.Mutex
	var last uint64
	var errs []error
	slots := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i := range n {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			st, err := submit(i)
			var endorseErr *client.EndorseError
			for attempt := 1; attempt <= maxEndorseRetries && errors.As(err, &endorseErr); attempt++ {
				time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
				st, err = submit(i)
			}
			if err == nil && !st.Successful {
				err = fmt.Errorf("transaction %s committed %v", st.TransactionID, st.Code)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			last = max(last, st.BlockNumber)
		}()
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	return last
}

// perfSize is how much load the network comparison puts on each network.
type perfSize struct {
	// Workers and Splits are the clients and split-transfers of the heavy load
	// (on both networks), Puts the puts of the trivial chaincode's (native only).
	Workers, Splits, Puts int
	// Light is the transactions of each one-client load.
	Light int
	// Rounds is how many rounds the native network's heavy loads run in (see
	// heavyRounds).
	Rounds int
}

// perfSizeOf is small, for a test, unless SCF_PERF_SCALE=full (scripts/perf.sh);
// SCF_LOAD_WORKERS and SCF_LOAD_TOTAL set the heavy load's clients and
// transactions.
func perfSizeOf(t *testing.T) perfSize {
	size := perfSize{Workers: 4, Splits: 24, Puts: 24, Light: 4, Rounds: 2}
	if os.Getenv("SCF_PERF_SCALE") == "full" {
		size = perfSize{Workers: 64, Splits: 1500, Puts: 1500, Light: 30, Rounds: 4}
	}
	if v := os.Getenv("SCF_LOAD_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "SCF_LOAD_WORKERS")
		require.Positive(t, n, "SCF_LOAD_WORKERS")
		size.Workers = n
	}
	if v := os.Getenv("SCF_LOAD_TOTAL"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "SCF_LOAD_TOTAL")
		require.GreaterOrEqual(t, n, size.Rounds, "SCF_LOAD_TOTAL: at least one transaction per round")
		size.Splits, size.Puts = n, n
	}
	return size
}

// perfBatch is the orderer's batch settings of both networks: the dev network's
// defaults (configtx.yaml's too) unless SCF_PERF_BATCH_TIMEOUT (a Go duration)
// or SCF_PERF_BATCH_SIZE say otherwise.
func perfBatch(t *testing.T) (time.Duration, int) {
	cfg := config.Default()
	timeout, size := time.Duration(cfg.Orderer.BatchTimeout), cfg.Orderer.BatchSize
	if v := os.Getenv("SCF_PERF_BATCH_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(t, err, "SCF_PERF_BATCH_TIMEOUT")
		timeout = d
	}
	if v := os.Getenv("SCF_PERF_BATCH_SIZE"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "SCF_PERF_BATCH_SIZE")
		size = n
	}
	return timeout, size
}

// TestRealFabricSplitLoad puts the same split-transfer load on the dev network and
// on the native real Fabric network, with the same orderer batch settings, and on
// the native network also a load of the trivial put chaincode (benchcc) deployed
// beside the warrant chaincode: each with one client (commit latency at light
// load) and with many on distinct warrants (throughput, read conflicts). On the
// native network it also runs benchcc Shape loads (benchShapes: the split's state
// calls without its logic, then fewer), and runs its heavy loads in rounds
// (heavyRounds). It logs the comparison (perfReport; written to SCF_PERF_TABLE if
// set) and asserts only that every transaction committed. scripts/perf.sh runs it
// at full scale; with SCF_PERF_DEV_ONLY=1 and no FABRIC_BIN it measures the dev
// network alone.
func TestRealFabricSplitLoad(t *testing.T) {
	devOnly := os.Getenv(fabricBinEnv) == "" && os.Getenv("SCF_PERF_DEV_ONLY") == "1"
	if !devOnly {
		requireFabricBin(t)
	}
	size := perfSizeOf(t)
	timeout, batch := perfBatch(t)
	report := &perfReport{Size: size, BatchTimeout: timeout, BatchSize: batch, LoadBefore: loadAverage()}

	cfg := testnet.Config()
	cfg.Orderer.BatchTimeout, cfg.Orderer.BatchSize = config.Duration(timeout), batch
	dev := testnet.StartWith(t, testnet.Options{Config: cfg, Bare: true})
	var heavySplits submitFunc
	report.Dev.Light, heavySplits = splitLoads(t, func(id identity) (*client.Gateway, io.Closer, error) {
		gw, err := dev.Network.Connect(id.mspID, id.user)
		if err != nil {
			return nil, nil, err
		}
		return gw.Gateway, gw, nil
	}, false, size, nil)
	report.Dev.Heavy = closedLoop(size.Workers, size.Splits, heavySplits)
	require.NoError(t, dev.Stop())

	if !devOnly {
		native := startNative(t, "--bench", "--batch-timeout", goDurationToFabric(timeout), "--batch-size", strconv.Itoa(batch))
		report.Native.Light, heavySplits = splitLoads(t, native.dial, true, size, native)
		report.Put.Light = measure(t, native, "", func() loadFigures {
			return closedLoop(1, size.Light, putLoad(contractsOf(t, native.dial, 1, benchChaincode), "light"))
		})
		bench := contractsOf(t, native.dial, size.Workers, benchChaincode)
		seedShapes(t, bench[0])
		loads := []heavyLoad{
			{name: "split", total: size.Splits, submit: func(int) submitFunc { return heavySplits }},
			{name: "put", total: size.Puts, submit: func(round int) submitFunc { return putLoad(bench, fmt.Sprintf("heavy%d", round)) }},
		}
		for n, shape := range benchShapes {
			loads = append(loads, heavyLoad{name: fmt.Sprintf("shape%d", n+1), total: size.Puts, submit: func(round int) submitFunc { return shape.load(bench, fmt.Sprintf("%d-%d", n, round)) }})
		}
		heavy := heavyRounds(t, native, size, loads)
		report.Native.Heavy, report.Put.Heavy = heavy[0], heavy[1]
		for n, shape := range benchShapes {
			report.Shapes = append(report.Shapes, shapeFigures{Shape: shape, Figures: heavy[2+n]})
		}
	}
	report.LoadAfter = loadAverage()
	table := report.String()
	t.Log("\n" + table)
	if path := os.Getenv("SCF_PERF_TABLE"); path != "" {
		require.NoError(t, os.WriteFile(path, []byte(table), 0o644))
	}
	for _, figures := range report.all() {
		require.Zero(t, figures.Failed, "%v; first error: %s", figures, figures.FirstError)
		require.Empty(t, figures.Invalid, "%v", figures)
	}
}

// goDurationToFabric writes a duration as configtx.yaml does: whole seconds as
// "2s", else milliseconds.
func goDurationToFabric(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}

// networkFigures are one network's split-transfer loads.
type networkFigures struct {
	Light, Heavy loadFigures
}

// splitLoads prepares warrants for a one-client and a heavy split-transfer load on
// one network, runs the one-client load (with native set, measuring its
// processes' CPU too) and returns its figures and the heavy load's submit function.
func splitLoads(t *testing.T, dial dialFunc, everyPeer bool, size perfSize, native *nativeNetwork) (loadFigures, submitFunc) {
	lightLineages := lineagesPerWorker(1, size.Light)
	heavyLineages := lineagesPerWorker(size.Workers, size.Splits+size.Workers) // and heavyRounds' warm-up
	roots := prepareRoots(t, dial, everyPeer, lightLineages+size.Workers*heavyLineages)
	light := newSplitLineages(contractsOf(t, dial, 1, testnet.ChaincodeName), roots[:lightLineages], lightLineages)
	figures := measure(t, native, "", func() loadFigures { return closedLoop(1, size.Light, light.submit) })
	heavy := newSplitLineages(contractsOf(t, dial, size.Workers, testnet.ChaincodeName), roots[lightLineages:], heavyLineages)
	return figures, heavy.submit
}

// heavyLoad is one of the native network's heavy loads.
type heavyLoad struct {
	// name labels the load in the log and names the association peer's CPU
	// profiles taken during it (peer-<name>-<round>.pprof).
	name string
	// total is the load's transactions over all rounds.
	total int
	// submit is the load's submit function in a round (-1 for the warm-up).
	submit func(round int) submitFunc
}

// heavyRounds warms every load up with one transaction per client (connections,
// the peers' first calls of a chaincode), untimed, then runs the heavy loads in
// size.Rounds rounds, an even number: each round runs every load for its share of
// the load's transactions, in order in even rounds and in reverse order in odd
// ones, and a load's figures are those of its rounds together. So a drift during
// the run (another job on the machine, the peers' databases compacting what
// earlier loads wrote) that is linear in time weighs on every load alike, and the
// loads' ratios are measured as in one run. Every load is profiled alike.
func heavyRounds(t *testing.T, native *nativeNetwork, size perfSize, loads []heavyLoad) []loadFigures {
	t.Helper()
	require.True(t, size.Rounds > 0 && size.Rounds%2 == 0, "rounds must be a positive even number, got %d", size.Rounds)
	for _, load := range loads {
		require.GreaterOrEqual(t, load.total, size.Rounds, "load %s: fewer transactions than rounds", load.name)
		require.NoError(t, warmUp(size.Workers, load.submit(-1)), "warm-up of load %s", load.name)
	}
	parts := make([][]loadFigures, len(loads))
	for round := range size.Rounds {
		for k := range loads {
			i := k
			if round%2 == 1 {
				i = len(loads) - 1 - k
			}
			load := loads[i]
			n := load.total*(round+1)/size.Rounds - load.total*round/size.Rounds
			part := measure(t, native, fmt.Sprintf("%s-%d", load.name, round), func() loadFigures { return closedLoop(size.Workers, n, load.submit(round)) })
			t.Logf("round %d, %s: %v", round, load.name, part)
			parts[i] = append(parts[i], part)
		}
	}
	figures := make([]loadFigures, len(loads))
	for i := range loads {
		figures[i] = mergeFigures(parts[i])
	}
	return figures
}

// benchShape is a Shape transaction of benchcc (network/fabric/benchcc): the
// state calls of a transaction without its chaincode's logic.
type benchShape struct {
	// Name labels the shape's load in the report.
	Name string
	// The arguments of Shape, in its order (see benchcc's shapeArgs).
	Reads, Batches, Docs, DocBytes, Markers, Deletes, ResultBytes, EventBytes int
}

// args are the shape's arguments to Shape after the transaction's id.
func (s benchShape) args() []string {
	var args []string
	for _, n := range []int{s.Reads, s.Batches, s.Docs, s.DocBytes, s.Markers, s.Deletes, s.ResultBytes, s.EventBytes} {
		args = append(args, strconv.Itoa(n))
	}
	return args
}

// Shapes of a split-transfer as the heavy load makes it: one part for Hengda and
// the rest kept, at depth 1-8. TestSplitCostOnThePeer pins its calls: 6 keys read
// in 2 batches (the caller's member record, the parameters, the warrant and the
// enterprises of sender and recipient, then the debtor's), 3 documents written
// (the parent and two children) and 10 index entries (7 holder and debtor index
// changes, of which 3 deletes; 2 lineage entries; 1 party entry). The sizes are a
// depth-2 split's: documents of 505-631 bytes, reads of 0-506 (sharedBytes on
// average), a result of 1,676 bytes (the parent and both children) and an event
// of 343. The shapes take away, one step at a time, what the rules do not need:
// the index entries, then the result, then the event and the second read batch,
// which leaves the rules' minimum: the six reads and the three documents that
// R7, R8a and R34 need of any implementation.
var (
	splitShape      = benchShape{Name: "shape: split", Reads: 6, Batches: 2, Docs: 3, DocBytes: 550, Markers: 7, Deletes: 3, ResultBytes: 1676, EventBytes: 343}
	splitShapeNoIdx = benchShape{Name: "shape: split, no index", Reads: 6, Batches: 2, Docs: 3, DocBytes: 550, ResultBytes: 1676, EventBytes: 343}
	splitShapeLean  = benchShape{Name: "shape: split, no idx/result", Reads: 6, Batches: 2, Docs: 3, DocBytes: 550, EventBytes: 343}
	rulesMinimum    = benchShape{Name: "shape: rules' minimum", Reads: 6, Batches: 1, Docs: 3, DocBytes: 550}
	// putShape makes the put's one call through Shape, last: a control of the
	// Shape path and of the run's method (the put and it should read alike).
	putShape    = benchShape{Name: "shape: put (control)", Docs: 1, DocBytes: 256}
	benchShapes = []benchShape{splitShape, splitShapeNoIdx, splitShapeLean, rulesMinimum, putShape}
)

// sharedBytes is the size of each shared value a Shape transaction reads.
const sharedBytes = 212

// shapeFigures is one shape's heavy load.
type shapeFigures struct {
	Shape   benchShape
	Figures loadFigures
}

// warmUp has each of workers clients submit one transaction, at once, and
// returns the first error.
func warmUp(workers int, submit submitFunc) error {
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = submit(w, 0)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// seedShapes writes the shared values that benchShapes' transactions read, at
// benchcc's SharedKey(i) = "shared-<i>".
func seedShapes(t *testing.T, bench *client.Contract) {
	t.Helper()
	value := strings.Repeat("s", sharedBytes)
	reads := 0
	for _, shape := range benchShapes {
		reads = max(reads, shape.Reads)
	}
	for i := range reads {
		_, err := bench.SubmitTransaction("Put", "shared-"+strconv.Itoa(i), value)
		require.NoError(t, err, "write shared value %d", i)
	}
}

// load has every worker submit Shape transactions of this shape, with ids
// unique to run, worker and transaction.
func (s benchShape) load(contracts []*client.Contract, run string) submitFunc {
	return func(w, n int) error {
		_, err := contracts[w].SubmitTransaction("Shape", append([]string{fmt.Sprintf("shape%s-%03d-%06d", run, w, n)}, s.args()...)...)
		return err
	}
}

// benchChaincode is the name of the trivial put chaincode that `native up --bench` deploys.
const benchChaincode = "benchcc"

// profileWindow is how long measure profiles the association's peer, from the
// load's start: about a round of a full-scale heavy load on the 2-core machine
// (1.5-4 s); a shorter load leaves the rest of the window idle.
const profileWindow = 2 * time.Second

// measure runs a load; on the native network it waits until every peer has the
// load's last block, adds the CPU its processes spent per committed transaction,
// and profiles the association's peer for profileWindow into
// SCF_PERF_PPROF_DIR/peer-<profile>.pprof when both are set.
func measure(t *testing.T, native *nativeNetwork, profile string, load func() loadFigures) loadFigures {
	t.Helper()
	if native == nil {
		return load()
	}
	var profiled chan error
	if dir := os.Getenv("SCF_PERF_PPROF_DIR"); dir != "" && profile != "" {
		profiled = make(chan error, 1)
		go func() { profiled <- native.profilePeer(assoc, profileWindow, dir+"/peer-"+profile+".pprof") }()
	}
	before := native.cpu(t)
	figures := load()
	requireSameChain(t, native.dial, "warrants") // the other peers' commits count for this load too
	after := native.cpu(t)
	figures.CPU = map[string]time.Duration{}
	for group, spent := range after {
		if figures.Committed > 0 {
			figures.CPU[group] = (spent - before[group]) / time.Duration(figures.Committed)
		}
	}
	if profiled != nil {
		if err := <-profiled; err != nil {
			t.Logf("profile of the peer: %v", err)
		}
	}
	return figures
}
