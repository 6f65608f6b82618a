package warrant

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAdversarialTimestamps is the property of R19: whatever proposal timestamps a
// dishonest member draws, every change the endorsers accept keeps the rules of time
// measured against the endorsers' own clock, within the allowed skew.
func TestAdversarialTimestamps(t *testing.T) {
	accepted := map[string]int{}
	for seed := int64(1); seed <= 50; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			for name, n := range checkAdversarialTimestamps(t, rand.New(rand.NewSource(seed)), 200) {
				accepted[name] += n
			}
		})
	}
	t.Logf("accepted operations: %v", accepted)
	for _, name := range []string{"split", "accept", "reclaim", "settle", "finance", "freeze", "refused: clock skew"} {
		require.Positive(t, accepted[name], "the draws must exercise %s", name)
	}
}

// FuzzAdversarialTimestamps draws the same property from the fuzzer's seed.
func FuzzAdversarialTimestamps(f *testing.F) {
	f.Add(int64(1), uint8(40))
	f.Add(int64(-7), uint8(200))
	f.Fuzz(func(t *testing.T, seed int64, steps uint8) {
		checkAdversarialTimestamps(t, rand.New(rand.NewSource(seed)), int(steps%12)+1)
	})
}

// checkAdversarialTimestamps runs steps operations. Before each, the endorsers' clock
// moves on by a random amount; the caller dates its proposal anywhere: on the clock,
// at the edges of the skew, or days away, or exactly at a maturity or the end of an
// acceptance window. A proposal is endorsed as the contracts do: CheckClockSkew first
// (CLOCK_SKEW and nothing written), then the operation at the proposal's time. It
// returns how many operations of each kind were accepted.
func checkAdversarialTimestamps(t *testing.T, rng *rand.Rand, steps int) map[string]int {
	accepted := map[string]int{}
	const skew = DefaultMaxClockSkew
	e := newEnv(t)
	clock := e.now
	root := e.active(codeT1A, 1_000_000)
	recipients := []string{codeT2A, codeT2B, codeT3A, codeT1ARel}
	for step := 0; step < steps; step++ {
		switch rng.Intn(4) {
		case 0:
			clock = clock.Add(time.Duration(rng.Int63n(int64(time.Hour))))
		case 1:
			clock = clock.Add(time.Duration(rng.Intn(10*24)) * time.Hour)
		}
		nodes := allWarrants(t, e.st, []string{root.ID})
		ids := make([]string, 0, len(nodes))
		for id := range nodes {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		w := nodes[ids[rng.Intn(len(ids))]]
		offsets := []time.Duration{0, skew, -skew, skew + time.Nanosecond, -skew - time.Nanosecond,
			time.Duration(rng.Int63n(int64(400*24*time.Hour))) - 200*24*time.Hour,
			w.MaturesAt.Sub(clock), w.MaturesAt.Sub(clock) - time.Second}
		if w.Offer != nil {
			offsets = append(offsets, w.Offer.ExpiresAt.Sub(clock))
		}
		at := clock.Add(offsets[rng.Intn(len(offsets))])
		before := e.st.Snapshot()
		if err := CheckClockSkew(at, clock, skew); err != nil {
			require.Equal(t, CodeClockSkew, ErrorCode(err))
			require.True(t, at.Sub(clock) > skew || clock.Sub(at) > skew)
			accepted["refused: clock skew"]++
			continue
		}
		e.now = at
		var name string
		var err error
		switch rng.Intn(6) {
		case 0:
			name = "split"
			parts := []Part{{recipients[rng.Intn(len(recipients))], 1 + rng.Int63n(max(w.Amount/2, 1))}}
			_, _, err = SplitTransfer(e.st, e.tx(), e.as(w.Holder), SplitTransferRequest{WarrantID: w.ID, Parts: parts})
		case 1:
			name = "accept"
			_, _, err = Accept(e.st, e.tx(), e.as(w.Holder), OfferRequest{WarrantID: w.ID})
		case 2:
			name = "reclaim"
			from := codeT1A
			if w.Offer != nil {
				from = w.Offer.From
			}
			_, _, err = Reclaim(e.st, e.tx(), e.as(from), OfferRequest{WarrantID: w.ID})
		case 3:
			name = "settle"
			_, _, err = Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "P", PayingBank: codeBank})
		case 4:
			name = "finance"
			_, _, err = RequestFinancing(e.st, e.tx(), e.as(w.Holder), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
		case 5:
			name = "freeze"
			_, _, err = Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID, Reason: "order"})
		}
		if err != nil {
			require.NotEqual(t, CodeInternal, ErrorCode(err), "step %d %s: %v", step, name, err)
			requireSameState(t, before, e.st.Snapshot())
			continue
		}
		accepted[name]++
		switch name {
		case "reclaim":
			require.False(t, clock.Add(skew).Before(w.Offer.ExpiresAt), "step %d: reclaimed before the acceptance window closed", step)
		case "settle":
			require.False(t, clock.Add(skew).Before(w.MaturesAt), "step %d: settled before maturity", step)
		case "split", "finance":
			require.True(t, clock.Add(-skew).Before(w.MaturesAt), "step %d: %s after maturity", step, name)
		}
		for _, n := range allWarrants(t, e.st, []string{root.ID}) {
			require.False(t, n.UpdatedAt.After(clock.Add(skew)), "step %d: %s dated past the endorsers' clock", step, n.ID)
		}
		require.NoError(t, CheckConservation(e.st, root.ID))
	}
	return accepted
}
