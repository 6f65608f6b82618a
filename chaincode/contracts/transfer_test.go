package contracts_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// TestTransferContract covers split-transfer (R7), accept, reject and reclaim with
// the acceptance window (R8), anti self-financing (R8a) and conservation (R9).
func TestTransferContract(t *testing.T) {
	root := newLedger(t)
	root.onboard()
	split := func(id string, parts ...warrant.Part) warrant.SplitTransferRequest {
		return warrant.SplitTransferRequest{WarrantID: id, Parts: parts}
	}

	t.Run("The holder splits: parts are offered, the remainder stays, lineage is kept", func(t *testing.T) {
		l := root.in(t)
		w := l.active(1_000_000)
		var result warrant.SplitResult
		l.mustSubmit(asJinggong, "transfer:SplitTransfer", split(w.ID,
			warrant.Part{Recipient: codeT2A, Amount: 300_000}, warrant.Part{Recipient: codeT2B, Amount: 200_000}), &result)
		require.Equal(t, warrant.StatusSplit, result.Parent.Status)
		require.Equal(t, result.Parent, l.warrant(w.ID))
		require.Len(t, result.Children, 3)
		want := []struct {
			holder string
			amount int64
			status warrant.Status
		}{{codeT2A, 300_000, warrant.StatusPendingAcceptance}, {codeT2B, 200_000, warrant.StatusPendingAcceptance}, {codeT1A, 500_000, warrant.StatusActive}}
		for i, c := range result.Children {
			require.Equal(t, w.ID+[]string{".001", ".002", ".003"}[i], c.ID)
			require.Equal(t, want[i].holder, c.Holder)
			require.Equal(t, want[i].amount, c.Amount)
			require.Equal(t, want[i].status, c.Status)
			require.Equal(t, w.ID, c.RootID)
			require.Equal(t, w.ID, c.ParentID)
			require.Equal(t, 1, c.Depth)
			require.Equal(t, w.Debtor, c.Debtor)
			require.True(t, w.MaturesAt.Equal(c.MaturesAt))
			require.Equal(t, w.RegistryNo, c.RegistryNo)
			require.Equal(t, c, l.warrant(c.ID))
		}
		require.Equal(t, codeT1A, result.Children[0].Offer.From)
		l.conserved(w.ID)
	})

	t.Run("A split breaking R7 is rejected and writes nothing", func(t *testing.T) {
		l := root.in(t)
		w, issued := l.active(1_000), l.issue(1_000)
		spent, _ := l.offer(l.active(1_000), codeT2A, 1_000)
		parent := l.warrant(spent.ParentID)
		many := make([]warrant.Part, warrant.MaxPartsHardLimit+1)
		for i := range many {
			many[i] = warrant.Part{Recipient: codeT2A, Amount: 1}
		}
		for _, c := range []struct {
			name    string
			as      string
			request any
			want    warrant.Code
		}{
			{"a caller who is not the holder", asHengda, split(w.ID, warrant.Part{Recipient: codeT2B, Amount: 1}), warrant.CodeForbidden},
			{"no parts", asJinggong, split(w.ID), warrant.CodeInvalidArgument},
			{"101 parts", asJinggong, split(w.ID, many...), warrant.CodeInvalidArgument},
			{"a zero part", asJinggong, split(w.ID, warrant.Part{Recipient: codeT2A, Amount: 0}), warrant.CodeInvalidArgument},
			{"a negative part", asJinggong, split(w.ID, warrant.Part{Recipient: codeT2A, Amount: -1}), warrant.CodeInvalidArgument},
			{"parts over the amount", asJinggong, split(w.ID, warrant.Part{Recipient: codeT2A, Amount: 600}, warrant.Part{Recipient: codeT2B, Amount: 401}), warrant.CodeInvalidArgument},
			{"parts that overflow int64", asJinggong, split(w.ID, warrant.Part{Recipient: codeT2A, Amount: math.MaxInt64}, warrant.Part{Recipient: codeT2B, Amount: math.MaxInt64}), warrant.CodeInvalidArgument},
			{"an amount beyond int64", asJinggong, `{"warrantId":"` + w.ID + `","parts":[{"recipient":"` + codeT2A + `","amount":1e30}]}`, warrant.CodeInvalidArgument},
			{"a recipient twice", asJinggong, split(w.ID, warrant.Part{Recipient: codeT2A, Amount: 1}, warrant.Part{Recipient: codeT2A, Amount: 2}), warrant.CodeInvalidArgument},
			{"the sender as recipient", asJinggong, split(w.ID, warrant.Part{Recipient: codeT1A, Amount: 1}), warrant.CodeInvalidArgument},
			{"the debtor as recipient", asJinggong, split(w.ID, warrant.Part{Recipient: codeCore, Amount: 1}), warrant.CodeInvalidArgument},
			{"a recipient not onboarded", asJinggong, split(w.ID, warrant.Part{Recipient: codeT1B, Amount: 1}), warrant.CodeNotFound},
			{"a malformed recipient", asJinggong, split(w.ID, warrant.Part{Recipient: "hengda", Amount: 1}), warrant.CodeInvalidArgument},
			{"an unregistered warrant", asJinggong, split(issued.ID, warrant.Part{Recipient: codeT2A, Amount: 1}), warrant.CodeInvalidState},
			{"a warrant already split", asJinggong, split(parent.ID, warrant.Part{Recipient: codeT2B, Amount: 1}), warrant.CodeInvalidState},
			{"a part awaiting acceptance", asHengda, split(spent.ID, warrant.Part{Recipient: codeT2B, Amount: 1}), warrant.CodeInvalidState},
			{"an unknown warrant", asJinggong, split("W000000000000000000000000", warrant.Part{Recipient: codeT2A, Amount: 1}), warrant.CodeNotFound},
			{"an unknown field", asJinggong, `{"warrantId":"` + w.ID + `","parts":[],"note":"x"}`, warrant.CodeInvalidArgument},
		} {
			snapshots := []snapshot{l.snapshot(w.ID), l.snapshot(issued.ID), l.snapshot(parent.ID), l.snapshot(spent.ID)}
			l.rejected(l.submit(c.as, "transfer:SplitTransfer", c.request, nil), c.want, snapshots...)
		}
	})

	t.Run("Parameters bound the minimum unit, the number of parts and the depth", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		restore := l.setParams(func(p *warrant.Params) { p.MinUnit, p.MaxParts, p.MaxDepth = 100, 2, 1 })
		defer restore()
		before := l.snapshot(w.ID)
		l.rejected(l.submit(asJinggong, "transfer:SplitTransfer", split(w.ID, warrant.Part{Recipient: codeT2A, Amount: 99}), nil), warrant.CodeInvalidArgument, before)
		l.rejected(l.submit(asJinggong, "transfer:SplitTransfer", split(w.ID, warrant.Part{Recipient: codeT2A, Amount: 100},
			warrant.Part{Recipient: codeT2B, Amount: 100}, warrant.Part{Recipient: codeT3A, Amount: 100}), nil), warrant.CodeInvalidArgument, before)
		received, remainder := l.transfer(w, codeT2A, 100)
		require.Equal(t, 1, received.Depth)
		deeper := l.snapshot(remainder.ID)
		l.rejected(l.submit(asJinggong, "transfer:SplitTransfer", split(remainder.ID, warrant.Part{Recipient: codeT2B, Amount: 100}), nil), warrant.CodeInvalidArgument, deeper)
	})

	t.Run("The recipient accepts; nobody else can", func(t *testing.T) {
		l := root.in(t)
		offered, remainder := l.offer(l.active(10_000), codeT2A, 4_000)
		before := []snapshot{l.snapshot(offered.ID), l.snapshot(remainder.ID)}
		for _, as := range []string{asJinggong, asShengtong, asBankHengda, asCore} {
			l.rejected(l.submit(as, "transfer:Accept", warrant.OfferRequest{WarrantID: offered.ID}, nil), warrant.CodeForbidden, before...)
		}
		l.rejected(l.submit(asJinggong, "transfer:Accept", warrant.OfferRequest{WarrantID: remainder.ID}, nil), warrant.CodeInvalidState, before...)
		var accepted warrant.Warrant
		l.mustSubmit(asHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: offered.ID}, &accepted)
		require.Equal(t, warrant.StatusActive, accepted.Status)
		require.Nil(t, accepted.Offer)
		again := l.snapshot(offered.ID)
		l.rejected(l.submit(asHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: offered.ID}, nil), warrant.CodeInvalidState, again)
		l.rejected(l.submit(asHengda, "transfer:Reject", warrant.OfferRequest{WarrantID: offered.ID}, nil), warrant.CodeInvalidState, again)
	})

	t.Run("A rejected part goes back to the sender as a new child", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		offered, _ := l.offer(w, codeT2A, 4_000)
		before := l.snapshot(offered.ID)
		l.rejected(l.submit(asJinggong, "transfer:Reject", warrant.OfferRequest{WarrantID: offered.ID}, nil), warrant.CodeForbidden, before)
		var result warrant.ReturnResult
		l.mustSubmit(asHengda, "transfer:Reject", warrant.OfferRequest{WarrantID: offered.ID}, &result)
		require.Equal(t, warrant.StatusReturned, result.Part.Status)
		require.Equal(t, codeT2A, result.Part.Holder, "lineage is not rewritten")
		require.Equal(t, offered.ID+".001", result.Returned.ID)
		require.Equal(t, codeT1A, result.Returned.Holder)
		require.Equal(t, warrant.StatusActive, result.Returned.Status)
		require.Equal(t, int64(4_000), result.Returned.Amount)
		l.conserved(w.ID)
		// The recipient never held the part, so offering it again closes no cycle.
		l.transfer(result.Returned, codeT2A, 4_000)
		l.conserved(w.ID)
	})

	t.Run("The sender reclaims an offer only after the acceptance window", func(t *testing.T) {
		l := root.in(t)
		restore := l.setParams(func(p *warrant.Params) { p.AcceptanceWindowDays = 1 })
		w := l.active(10_000)
		offered, _ := l.offer(w, codeT2A, 4_000)
		restore()
		require.True(t, offered.Offer.ExpiresAt.Equal(offered.Offer.OfferedAt.AddDate(0, 0, 1)))
		reclaim := warrant.OfferRequest{WarrantID: offered.ID}
		before := l.snapshot(offered.ID)
		l.rejected(l.submit(asJinggong, "transfer:Reclaim", reclaim, nil), warrant.CodeInvalidState, before)
		l.travel(offered.Offer.ExpiresAt)
		l.rejected(l.submitAt(asJinggong, "transfer:Reclaim", reclaim, offered.Offer.ExpiresAt.Add(-time.Second), nil), warrant.CodeInvalidState, before)
		l.rejected(l.submitAt(asHengda, "transfer:Reclaim", reclaim, offered.Offer.ExpiresAt, nil), warrant.CodeForbidden, before)
		var result warrant.ReturnResult
		require.NoError(t, l.submitAt(asJinggong, "transfer:Reclaim", reclaim, offered.Offer.ExpiresAt, &result))
		require.Equal(t, warrant.StatusReturned, result.Part.Status)
		require.Equal(t, codeT1A, result.Returned.Holder)
		require.Equal(t, warrant.StatusActive, l.warrant(result.Returned.ID).Status)
		gone := l.snapshot(offered.ID)
		l.rejected(l.submit(asHengda, "transfer:Accept", reclaim, nil), warrant.CodeInvalidState, gone)
		l.conserved(w.ID)
	})

	t.Run("A transfer to a related party or back along the path is rejected", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		before := l.snapshot(w.ID)
		l.rejected(l.submit(asJinggong, "transfer:SplitTransfer", split(w.ID, warrant.Part{Recipient: codeT1ARel, Amount: 1_000}), nil), warrant.CodeRelatedParty, before)
		atHengda, _ := l.transfer(w, codeT2A, 6_000)
		atShengtong, _ := l.transfer(atHengda, codeT2B, 3_000)
		for _, back := range []string{codeT1A, codeT2A} {
			cycle := l.snapshot(atShengtong.ID)
			l.rejected(l.submit(asShengtong, "transfer:SplitTransfer", split(atShengtong.ID, warrant.Part{Recipient: back, Amount: 1_000}), nil), warrant.CodeRelatedParty, cycle)
		}
		l.transfer(atShengtong, codeT3A, 1_000)
		l.conserved(w.ID)
	})

	t.Run("A part at the deepest depth the parameters allow stays addressable", func(t *testing.T) {
		l := root.in(t)
		restore := l.setParams(func(p *warrant.Params) { p.MaxDepth = warrant.MaxDepthHardLimit })
		defer restore()
		w := l.active(1_000)
		for w.Depth < warrant.MaxDepthHardLimit {
			var result warrant.SplitResult
			l.mustSubmit(asJinggong, "transfer:SplitTransfer", split(w.ID, warrant.Part{Recipient: codeT2A, Amount: 1}), &result)
			w = child(l, result, codeT1A)
			require.Equal(t, w, l.warrant(w.ID), "depth %d", w.Depth)
		}
	})

	t.Run("A repeated requestId splits once", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		request := split(w.ID, warrant.Part{Recipient: codeT2A, Amount: 2_500})
		request.RequestID = "JG-TR-0001"
		var first, second warrant.SplitResult
		l.mustSubmit(asJinggong, "transfer:SplitTransfer", request, &first)
		l.mustSubmit(asJinggong, "transfer:SplitTransfer", request, &second)
		require.Equal(t, first, second)
		require.Len(t, l.lineage(w.ID, 0), 3)
		require.Len(t, l.history(w.ID), 6, "issued, attested twice, verified, registered, split")
		l.conserved(w.ID)
	})
}
