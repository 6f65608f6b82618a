package warrant

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var holders = []string{codeT1A, codeT1ARel, codeT1B, codeT2A, codeT2B, codeT3A, codeBank}

// allWarrants returns every node of the given roots, keyed by id.
func allWarrants(t *testing.T, st ReadState, roots []string) map[string]Warrant {
	out := map[string]Warrant{}
	for _, r := range roots {
		bookmark := ""
		for {
			page, err := Lineage(st, regulator, LineageRequest{RootID: r, PageSize: MaxPageSize, Bookmark: bookmark})
			require.NoError(t, err)
			for _, w := range page.Items {
				out[w.ID] = w
			}
			if bookmark = page.NextBookmark; bookmark == "" {
				break
			}
		}
	}
	return out
}

// TestRandomLifecycles drives random operation sequences and checks after every step
// that R9 holds for every root and that no pledged, frozen or matured warrant moved.
func TestRandomLifecycles(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprintf("Keeps the invariants with seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			e := newEnv(t)
			var roots []string
			pick := func(ws map[string]Warrant) (Warrant, bool) {
				if len(ws) == 0 {
					return Warrant{}, false
				}
				ids := make([]string, 0, len(ws))
				for id := range ws {
					ids = append(ids, id)
				}
				// sort for reproducibility
				for i := 1; i < len(ids); i++ {
					for j := i; j > 0 && ids[j] < ids[j-1]; j-- {
						ids[j], ids[j-1] = ids[j-1], ids[j]
					}
				}
				return ws[ids[rng.Intn(len(ids))]], true
			}
			succeeded := map[string]int{}
			for step := 0; step < 250; step++ {
				before := allWarrants(t, e.st, roots)
				w, have := pick(before)
				op := rng.Intn(11)
				if !have {
					op = 0
				}
				// mostly aim at warrants in the status the operation needs
				want := map[int]Status{1: StatusActive, 2: StatusActive, 3: StatusPendingAcceptance, 4: StatusPendingAcceptance,
					5: StatusPendingAcceptance, 6: StatusActive, 7: StatusPledged, 8: StatusActive}
				if st, ok := want[op]; ok && rng.Intn(5) > 0 {
					fit := map[string]Warrant{}
					for id, c := range before {
						if c.Status == st {
							fit[id] = c
						}
					}
					if c, ok := pick(fit); ok {
						w = c
					}
				}
				var err error
				var name string
				switch op {
				case 0:
					name = "issue"
					h := holders[rng.Intn(len(holders))]
					r, _, ierr := Issue(e.st, e.tx(), e.as(codeCore), e.issueReq(h, 1+rng.Int63n(1_000_000)))
					if err = ierr; err == nil {
						roots = append(roots, r.ID)
						e.verify(r.ID)
						_, _, err = Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: r.ID})
					}
				case 1, 2:
					name = "split"
					n := 1 + rng.Intn(3)
					var parts []Part
					for i := 0; i < n; i++ {
						parts = append(parts, Part{holders[rng.Intn(len(holders))], rng.Int63n(w.Amount + 1)})
					}
					_, _, err = SplitTransfer(e.st, e.tx(), e.as(w.Holder), SplitTransferRequest{WarrantID: w.ID, Parts: parts})
				case 3:
					name = "accept"
					_, _, err = Accept(e.st, e.tx(), e.as(w.Holder), OfferRequest{WarrantID: w.ID})
				case 4:
					name = "reject"
					_, _, err = Reject(e.st, e.tx(), e.as(w.Holder), OfferRequest{WarrantID: w.ID})
				case 5:
					name = "reclaim"
					from := codeT1A
					if w.Offer != nil {
						from = w.Offer.From
					}
					_, _, err = Reclaim(e.st, e.tx(), e.as(from), OfferRequest{WarrantID: w.ID})
				case 6:
					name = "pledge"
					if _, _, err = RequestFinancing(e.st, e.tx(), e.as(w.Holder), FinancingRequest{WarrantID: w.ID, Financier: codeBank}); err == nil {
						_, _, err = TakePledge(e.st, e.tx(), e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: w.Amount})
					}
				case 7:
					name = "release"
					_, _, err = ReleasePledge(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: w.ID})
				case 8:
					name = "settle"
					_, _, err = Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "P", PayingBank: codeBank})
				case 9:
					name = "freeze"
					if w.Frozen {
						_, _, err = Unfreeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID, Reason: "lifted"})
					} else {
						_, _, err = Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID, Reason: "order", Subtree: rng.Intn(2) == 0})
					}
				case 10:
					name = "time"
					e.now = e.now.Add(time.Duration(rng.Intn(20*24)) * time.Hour)
				}
				if err == nil {
					succeeded[name]++
				} else {
					require.NotEqual(t, CodeInternal, ErrorCode(err), "step %d %s: %v", step, name, err)
				}
				after := allWarrants(t, e.st, roots)
				for _, r := range roots {
					require.NoError(t, CheckConservation(e.st, r), "step %d %s", step, name)
				}
				for id, old := range before {
					now := after[id]
					if now.Status == StatusSplit && old.Status != StatusSplit {
						require.False(t, old.Frozen, "step %d: frozen %s moved", step, id)
						require.Nil(t, old.Pledge, "step %d: pledged %s moved", step, id)
						require.True(t, e.now.Before(old.MaturesAt), "step %d: matured %s moved", step, id)
					}
					if old.Frozen && name != "freeze" {
						require.Equal(t, old, now, "step %d %s: frozen %s changed", step, name, id)
					}
				}
			}
			t.Logf("successful operations: %v", succeeded)
			require.Positive(t, succeeded["split"], "the sequence must exercise splits")
		})
	}
}
