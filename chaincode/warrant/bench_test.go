package warrant

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// countingState counts the state calls an operation makes.
type countingState struct {
	State
	reads, writes, ranges int
}

func (c *countingState) Get(k string) ([]byte, error) { c.reads++; return c.State.Get(k) }
func (c *countingState) Put(k string, v []byte) error { c.writes++; return c.State.Put(k, v) }
func (c *countingState) Delete(k string) error        { c.writes++; return c.State.Delete(k) }
func (c *countingState) Range(s, e string, n int) ([]KV, error) {
	c.ranges++
	return c.State.Range(s, e, n)
}

func (c *countingState) report(b *testing.B) {
	b.ReportMetric(float64(c.reads)/float64(b.N), "reads/op")
	b.ReportMetric(float64(c.writes)/float64(b.N), "writes/op")
	b.ReportMetric(float64(c.ranges)/float64(b.N), "ranges/op")
}

// preload writes n ACTIVE root warrants directly (bypassing the rules, for speed),
// spread over the holders, and returns their ids.
func (e *env) preload(n int, holder string, tag string) []string {
	return e.preloadStatus(n, holder, tag, StatusActive)
}

// preloadStatus is preload with a given status; pending warrants carry an offer from t1a.
func (e *env) preloadStatus(n int, holder string, tag string, status Status) []string {
	ids := make([]string, 0, n)
	for i := 0; i < n; i += 1000 {
		x := &opCtx{st: e.st, buf: &buffer{st: e.st, pending: map[string][]byte{}}, tx: e.tx()}
		for j := i; j < n && j < i+1000; j++ {
			h := holder
			if h == "" {
				h = holders[j%len(holders)]
			}
			id := rootID(fmt.Sprintf("%s-%d", tag, j))
			w := &Warrant{ID: id, RootID: id, Debtor: codeCore, Holder: h, Amount: 1_000_000, Currency: CurrencyCNY,
				IssuedAt: e.now, MaturesAt: e.now.AddDate(0, 0, 90), Status: status, RegistryNo: registryNo(id, e.now)}
			if status == StatusPendingAcceptance {
				w.Offer = &Offer{From: codeT1A, OfferedAt: e.now, ExpiresAt: e.now.AddDate(0, 0, 7)}
			}
			require.NoError(e.t, x.putWarrant(nil, w))
			require.NoError(e.t, x.putSummary(&RootSummary{RootID: id, Debtor: codeCore, Face: w.Amount, Outstanding: w.Amount, MaturesAt: w.MaturesAt}))
			ids = append(ids, id)
		}
		require.NoError(e.t, x.buf.flush())
	}
	return ids
}

// BenchmarkOperationCost measures time and state reads/writes per operation on ledgers
// preloaded with 1k, 10k and 100k warrants (1M with SCF_BENCH_1M=1).
func BenchmarkOperationCost(b *testing.B) {
	sizes := []int{1_000, 10_000, 100_000}
	if os.Getenv("SCF_BENCH_1M") == "1" {
		sizes = append(sizes, 1_000_000)
	}
	for _, size := range sizes {
		e := newEnv(b)
		e.preload(size, "", "bg")
		round := 0
		fresh := func(b *testing.B, holder string, status Status) []string {
			b.StopTimer()
			round++
			ids := e.preloadStatus(b.N, holder, fmt.Sprintf("r%d", round), status)
			b.StartTimer()
			return ids
		}
		run := func(name string, op func(b *testing.B, c *countingState)) {
			b.Run(fmt.Sprintf("warrants=%d/op=%s", size, name), func(b *testing.B) {
				c := &countingState{State: e.st}
				op(b, c)
				c.report(b)
			})
		}
		run("issue", func(b *testing.B, c *countingState) {
			for i := 0; i < b.N; i++ {
				if _, _, err := Issue(c, e.tx(), e.as(codeCore), e.issueReq(codeT1A, 1000)); err != nil {
					b.Fatal(err)
				}
			}
		})
		run("split-transfer", func(b *testing.B, c *countingState) {
			ids := fresh(b, codeT1A, StatusActive)
			c.reads, c.writes, c.ranges = 0, 0, 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := SplitTransfer(c, e.tx(), e.as(codeT1A), SplitTransferRequest{WarrantID: ids[i], Parts: []Part{{codeT2A, 100}}}); err != nil {
					b.Fatal(err)
				}
			}
		})
		run("accept", func(b *testing.B, c *countingState) {
			ids := fresh(b, codeT2A, StatusPendingAcceptance)
			c.reads, c.writes, c.ranges = 0, 0, 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := Accept(c, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: ids[i]}); err != nil {
					b.Fatal(err)
				}
			}
		})
		run("settle", func(b *testing.B, c *countingState) {
			ids := fresh(b, codeT1B, StatusActive)
			c.reads, c.writes, c.ranges = 0, 0, 0
			saved := e.now
			e.now = e.now.AddDate(0, 0, 91)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := Settle(c, e.tx(), e.as(codeCore), SettleRequest{WarrantID: ids[i], PaymentRef: "P", PayingBank: codeBank}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			e.now = saved
		})
		run("list-page", func(b *testing.B, c *countingState) {
			for i := 0; i < b.N; i++ {
				if _, err := ListByHolder(c, regulator, ListRequest{Party: codeT2B, Status: StatusActive, PageSize: DefaultPageSize}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSplitParts measures a split's cost against its number of parts (R7).
func BenchmarkSplitParts(b *testing.B) {
	e := newEnv(b)
	var recipients []string
	for i := 0; i < 100; i++ {
		code := withCheck(fmt.Sprintf("91440300MA5F%05d", i))
		_, _, err := OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), OnboardEnterpriseRequest{CreditCode: code, Name: "s" + code,
			MSPID: MSPAssociation, Roles: []Role{RoleHolder}, Controller: code})
		require.NoError(b, err)
		recipients = append(recipients, code)
	}
	round := 0
	for _, n := range []int{1, 10, 50, 100} {
		b.Run(fmt.Sprintf("parts=%d", n), func(b *testing.B) {
			b.StopTimer()
			round++ // fresh warrants for every run, also with -count
			ids := e.preload(b.N, codeT1A, fmt.Sprintf("parts%d-%d-%d", n, b.N, round))
			parts := make([]Part, n)
			for i := range parts {
				parts[i] = Part{recipients[i], 10}
			}
			c := &countingState{State: e.st}
			b.StartTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := SplitTransfer(c, e.tx(), e.as(codeT1A), SplitTransferRequest{WarrantID: ids[i], Parts: parts}); err != nil {
					b.Fatal(err)
				}
			}
			c.report(b)
		})
	}
}

// BenchmarkDepth measures a split and a full lineage read against the depth of the
// chain (the split walks the path to the root for R8a).
func BenchmarkDepth(b *testing.B) {
	for _, depth := range []int{1, 5, 10, 19} {
		e := newEnv(b)
		root := e.preload(1, codeT1A, "depth")[0]
		leaf := root
		for d := 0; d < depth; d++ {
			res := e.split(codeT1A, leaf, Part{holders[2+d%4], 1})
			leaf = res.Children[1].ID
		}
		b.Run(fmt.Sprintf("depth=%d/op=lineage", depth), func(b *testing.B) {
			c := &countingState{State: e.st}
			for i := 0; i < b.N; i++ {
				if _, err := Lineage(c, regulator, LineageRequest{RootID: root, PageSize: MaxPageSize}); err != nil {
					b.Fatal(err)
				}
			}
			c.report(b)
		})
		b.Run(fmt.Sprintf("depth=%d/op=path", depth), func(b *testing.B) {
			c := &countingState{State: e.st}
			w, err := loadWarrant(e.st, leaf)
			require.NoError(b, err)
			x := &opCtx{st: c, buf: &buffer{st: c, pending: map[string][]byte{}}, tx: e.tx()}
			for i := 0; i < b.N; i++ {
				if _, err := x.pathParties(w, nil, nil); err != nil {
					b.Fatal(err)
				}
			}
			c.report(b)
		})
	}
}
