package contracts_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// TestRegulatorContract covers freezing and unfreezing (R13), one warrant or a
// whole live subtree a page at a time.
func TestRegulatorContract(t *testing.T) {
	root := newLedger(t)
	root.onboard()
	freeze := func(id string) warrant.FreezeRequest {
		return warrant.FreezeRequest{WarrantID: id, Reason: "court order (2026)粤0304执保123号"}
	}

	t.Run("A regulator freezes a warrant with a reason", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		var result warrant.FreezeResult
		l.mustSubmit(asAssoc, "regulator:Freeze", freeze(w.ID), &result)
		require.Equal(t, []string{w.ID}, result.Changed)
		frozen := l.warrant(w.ID)
		require.True(t, frozen.Frozen)
		require.Equal(t, freeze(w.ID).Reason, frozen.Freeze.Reason)
		require.Equal(t, codeAssoc, frozen.Freeze.By)
		require.Equal(t, warrant.StatusActive, frozen.Status)
	})

	t.Run("Freezing is refused to others and to bad requests", func(t *testing.T) {
		l := root.in(t)
		w, frozen := l.active(10_000), l.active(10_000)
		l.mustSubmit(asAssoc, "regulator:Freeze", freeze(frozen.ID), nil)
		paged := freeze(w.ID)
		paged.PageSize = 5
		for _, c := range []struct {
			name    string
			as      string
			request warrant.FreezeRequest
			want    warrant.Code
		}{
			{"the holder", asJinggong, freeze(w.ID), warrant.CodeForbidden},
			{"the core enterprise claiming regulator", asCoreClerk, freeze(w.ID), warrant.CodeForbidden},
			{"the bank", asBank, freeze(w.ID), warrant.CodeForbidden},
			{"no reason", asAssoc, warrant.FreezeRequest{WarrantID: w.ID}, warrant.CodeInvalidArgument},
			{"paging without a subtree", asAssoc, paged, warrant.CodeInvalidArgument},
			{"a warrant already frozen", asAssoc, freeze(frozen.ID), warrant.CodeInvalidState},
			{"an unknown warrant", asAssoc, freeze("W000000000000000000000000"), warrant.CodeNotFound},
		} {
			snapshots := []snapshot{l.snapshot(w.ID), l.snapshot(frozen.ID)}
			l.rejected(l.submit(c.as, "regulator:Freeze", c.request, nil), c.want, snapshots...)
		}
		before := []snapshot{l.snapshot(w.ID), l.snapshot(frozen.ID)}
		l.rejected(l.submit(asJinggong, "regulator:Unfreeze", freeze(frozen.ID), nil), warrant.CodeForbidden, before...)
		l.rejected(l.submit(asAssoc, "regulator:Unfreeze", freeze(w.ID), nil), warrant.CodeInvalidState, before...)
	})

	t.Run("A frozen warrant cannot move until unfrozen", func(t *testing.T) {
		l := root.in(t)
		w, issued, verified := l.active(10_000), l.issue(10_000), l.verify(l.issue(10_000))
		offered, _ := l.offer(l.active(10_000), codeT2A, 5_000)
		asked := l.active(10_000)
		l.mustSubmit(asJinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: asked.ID, Financier: codeBank}, nil)
		for _, id := range []string{w.ID, issued.ID, verified.ID, offered.ID, asked.ID} {
			l.mustSubmit(asAssoc, "regulator:Freeze", freeze(id), nil)
		}
		for _, c := range []struct {
			name     string
			as       string
			function string
			request  any
		}{
			{"split", asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: w.ID, Parts: []warrant.Part{{Recipient: codeT2A, Amount: 1}}}},
			{"deposit", asJinggong, "custody:Deposit", warrant.DepositRequest{WarrantID: w.ID, Custodian: codeBank}},
			{"ask for financing", asJinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: w.ID, Financier: codeBank}},
			{"pledge", asBank, "finance:Pledge", warrant.PledgeRequest{WarrantID: asked.ID, Amount: 1}},
			{"factor", asBank, "finance:Factor", warrant.BankWarrantRequest{WarrantID: asked.ID}},
			{"accept", asHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: offered.ID}},
			{"reject", asHengda, "transfer:Reject", warrant.OfferRequest{WarrantID: offered.ID}},
			{"verify", asAssoc, "registry:Verify", warrant.VerifyRequest{WarrantID: issued.ID, EvidenceHash: hash("e"), Passed: true}},
			{"register", asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: verified.ID}},
			{"cancel", asCore, "issuance:Cancel", warrant.CancelRequest{WarrantID: issued.ID, Reason: "x"}},
		} {
			snapshots := []snapshot{l.snapshot(w.ID), l.snapshot(issued.ID), l.snapshot(verified.ID), l.snapshot(offered.ID), l.snapshot(asked.ID)}
			l.rejected(l.submit(c.as, c.function, c.request, nil), warrant.CodeFrozen, snapshots...)
		}
		var result warrant.FreezeResult
		l.mustSubmit(asAssoc, "regulator:Unfreeze", freeze(w.ID), &result)
		require.Equal(t, []string{w.ID}, result.Changed)
		require.False(t, l.warrant(w.ID).Frozen)
		require.Nil(t, l.warrant(w.ID).Freeze)
		l.transfer(w, codeT2A, 1_000)
	})

	t.Run("A whole live subtree is frozen and unfrozen a page at a time", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		var split warrant.SplitResult
		l.mustSubmit(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: w.ID, Parts: []warrant.Part{
			{Recipient: codeT2A, Amount: 1_000}, {Recipient: codeT2B, Amount: 2_000}, {Recipient: codeT3A, Amount: 3_000},
		}}, &split)
		live := []string{split.Children[0].ID, split.Children[1].ID, split.Children[2].ID, split.Children[3].ID}
		request := freeze(w.ID)
		request.Subtree, request.PageSize = true, 2
		require.Equal(t, live, freezePages(l, "regulator:Freeze", request))
		for _, id := range live {
			require.True(t, l.warrant(id).Frozen, id)
		}
		require.False(t, l.warrant(w.ID).Frozen, "a split parent is no longer live")
		before := l.snapshot(live[0])
		l.rejected(l.submit(asHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: live[0]}, nil), warrant.CodeFrozen, before)

		require.Equal(t, live, freezePages(l, "regulator:Unfreeze", request))
		for _, id := range live {
			require.False(t, l.warrant(id).Frozen, id)
		}
		l.mustSubmit(asHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: live[0]}, nil)
	})
}

// freezePages freezes or unfreezes a subtree page by page and returns the ids changed.
func freezePages(l *ledger, function string, request warrant.FreezeRequest) []string {
	l.t.Helper()
	var changed []string
	for {
		var result warrant.FreezeResult
		l.mustSubmit(asAssoc, function, request, &result)
		require.LessOrEqual(l.t, len(result.Changed), request.PageSize+1)
		changed = append(changed, result.Changed...)
		if result.NextBookmark == "" {
			return changed
		}
		request.Bookmark = result.NextBookmark
	}
}
