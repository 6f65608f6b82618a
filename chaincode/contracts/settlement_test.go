package contracts_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// TestSettlementContract covers settlement at maturity (R12), overdue reporting,
// the credit line restored by settlement (R4a) and conservation (R9). A root
// maturing in an hour is split and financed, then the endorsers' clock travels past
// its maturity and the clients date their transactions accordingly (R19): nothing
// waits on the wall clock.
func TestSettlementContract(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	maturity := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	request := issueRequest(l.nextInvoice(), 1_000_000)
	request.MaturesAt = maturity
	w := l.register(l.verify(l.issueWith(request)))
	late := issueRequest(l.nextInvoice(), 5_000)
	late.MaturesAt = maturity
	unregistered := l.verify(l.issueWith(late))

	var split warrant.SplitResult
	l.mustSubmit(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: w.ID, Parts: []warrant.Part{
		{Recipient: codeT2A, Amount: 300_000}, {Recipient: codeT3A, Amount: 100_000}, {Recipient: codeT2B, Amount: 200_000},
	}}, &split)
	pledged, yongsheng, pending, frozen := split.Children[0], split.Children[1], split.Children[2], split.Children[3]
	require.Equal(t, codeT1A, frozen.Holder)
	l.mustSubmit(asHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: pledged.ID}, nil)
	l.mustSubmit(asYongsheng, "transfer:Accept", warrant.OfferRequest{WarrantID: yongsheng.ID}, nil)
	l.mustSubmit(asHengda, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: pledged.ID, Financier: codeBank}, nil)
	l.mustSubmit(asBank, "finance:Pledge", warrant.PledgeRequest{WarrantID: pledged.ID, Amount: 250_000}, nil)
	l.mustSubmit(asAssoc, "regulator:Freeze", warrant.FreezeRequest{WarrantID: frozen.ID, Reason: "court order"}, nil)
	settle := func(id string) warrant.SettleRequest {
		return warrant.SettleRequest{WarrantID: id, PaymentRef: "HX-PAY-" + id, PayingBank: codeBank}
	}
	settleRoot := warrant.SettleRootRequest{RootID: w.ID, PaymentRef: "HX-PAY-ROOT", PayingBank: codeBank}

	t.Run("Nothing is settled before maturity", func(t *testing.T) {
		l := l.in(t)
		before := []snapshot{l.snapshot(yongsheng.ID), l.snapshot(pledged.ID)}
		l.rejected(l.submit(asCore, "settlement:Settle", settle(yongsheng.ID), nil), warrant.CodeNotMatured, before...)
		l.rejected(l.submit(asCore, "settlement:SettleRoot", settleRoot, nil), warrant.CodeNotMatured, before...)
		summary := l.summary(w.ID)
		require.Equal(t, int64(1_000_000), summary.Outstanding)
		require.Equal(t, int64(0), summary.Overdue)
	})

	l.travel(maturity.Add(time.Second))

	t.Run("A matured warrant no longer moves and is not registered", func(t *testing.T) {
		l := l.in(t)
		before := []snapshot{l.snapshot(yongsheng.ID), l.snapshot(unregistered.ID)}
		l.rejected(l.submit(asYongsheng, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: yongsheng.ID,
			Parts: []warrant.Part{{Recipient: codeT2B, Amount: 1}}}, nil), warrant.CodeMatured, before...)
		l.rejected(l.submit(asYongsheng, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: yongsheng.ID, Financier: codeBank}, nil), warrant.CodeMatured, before...)
		l.rejected(l.submit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: unregistered.ID}, nil), warrant.CodeMatured, before...)
	})

	t.Run("Unsettled leaves after maturity are reported overdue", func(t *testing.T) {
		l := l.in(t)
		summary := l.summary(w.ID)
		require.Equal(t, int64(1_000_000), summary.Face)
		require.Equal(t, int64(1_000_000), summary.Overdue)
		require.True(t, summary.AsOf.After(maturity))
		l.conserved(w.ID)
	})

	t.Run("Settlement is refused to others and to leaves that cannot be paid", func(t *testing.T) {
		l := l.in(t)
		for _, c := range []struct {
			name    string
			as      string
			request warrant.SettleRequest
			want    warrant.Code
		}{
			{"a supplier", asJinggong, settle(yongsheng.ID), warrant.CodeForbidden},
			{"an issuer in the wrong org", asBankIssuer, settle(yongsheng.ID), warrant.CodeForbidden},
			{"the bank", asBank, settle(pledged.ID), warrant.CodeForbidden},
			{"no payment reference", asCore, warrant.SettleRequest{WarrantID: yongsheng.ID, PayingBank: codeBank}, warrant.CodeInvalidArgument},
			{"no paying bank", asCore, warrant.SettleRequest{WarrantID: yongsheng.ID, PaymentRef: "P"}, warrant.CodeInvalidArgument},
			{"a part awaiting acceptance", asCore, settle(pending.ID), warrant.CodeInvalidState},
			{"a frozen leaf", asCore, settle(frozen.ID), warrant.CodeFrozen},
			{"a warrant consumed by a split", asCore, settle(w.ID), warrant.CodeInvalidState},
			{"an unregistered warrant", asCore, settle(unregistered.ID), warrant.CodeInvalidState},
			{"an unknown warrant", asCore, settle("W000000000000000000000000"), warrant.CodeNotFound},
		} {
			snapshots := []snapshot{l.snapshot(yongsheng.ID), l.snapshot(pledged.ID), l.snapshot(pending.ID), l.snapshot(frozen.ID)}
			l.rejected(l.submit(c.as, "settlement:Settle", c.request, nil), c.want, snapshots...)
		}
	})

	t.Run("The debtor settles a pledged leaf to the pledgee and the credit line is restored", func(t *testing.T) {
		l := l.in(t)
		line := l.creditLine()
		var settled warrant.Warrant
		l.mustSubmit(asCore, "settlement:Settle", settle(pledged.ID), &settled)
		require.Equal(t, warrant.StatusSettling, settled.Status)
		require.Equal(t, line.Used, l.creditLine().Used, "restored only on confirmation")
		require.Equal(t, []warrant.PayeeShare{{Payee: codeBank, Amount: 250_000}, {Payee: codeT2A, Amount: 50_000}}, settled.Settlement.Payees)
		settled = l.confirm(pledged.ID)
		require.Equal(t, warrant.StatusSettled, settled.Status)
		require.Equal(t, codeBank, settled.Settlement.Payee)
		require.Equal(t, int64(300_000), settled.Settlement.Amount)
		require.Equal(t, "HX-PAY-"+pledged.ID, settled.Settlement.PaymentRef)
		require.Equal(t, line.Used-300_000, l.creditLine().Used)
		summary := l.summary(w.ID)
		require.Equal(t, int64(300_000), summary.Settled)
		require.Equal(t, int64(700_000), summary.Overdue)
		l.conserved(w.ID)
		again := l.snapshot(pledged.ID)
		l.rejected(l.submit(asCore, "settlement:Settle", settle(pledged.ID), nil), warrant.CodeInvalidState, again)
	})

	t.Run("Settling the root pages through its leaves and skips those it cannot pay", func(t *testing.T) {
		l := l.in(t)
		before := l.snapshot(yongsheng.ID)
		bad := settleRoot
		bad.RootID = yongsheng.ID
		l.rejected(l.submit(asCore, "settlement:SettleRoot", bad, nil), warrant.CodeInvalidArgument, before)
		bad = settleRoot
		bad.Bookmark = "bm90IGEga2V5"
		l.rejected(l.submit(asCore, "settlement:SettleRoot", bad, nil), warrant.CodeInvalidArgument, before)
		l.rejected(l.submit(asJinggong, "settlement:SettleRoot", settleRoot, nil), warrant.CodeForbidden, before)

		line := l.creditLine()
		settled, skipped, pages := settleAll(l, settleRoot, 1)
		require.Equal(t, []string{yongsheng.ID}, settled)
		require.Equal(t, []string{pending.ID, frozen.ID}, skipped)
		require.Equal(t, 4, pages, "one leaf a page")
		require.Equal(t, line.Used-100_000, l.creditLine().Used)
		require.Equal(t, codeT3A, l.warrant(yongsheng.ID).Settlement.Payee)
		summary := l.summary(w.ID)
		require.Equal(t, int64(400_000), summary.Settled)
		require.Equal(t, int64(600_000), summary.Outstanding)
		require.Equal(t, int64(600_000), summary.Overdue)
		l.conserved(w.ID)

		l.mustSubmit(asAssoc, "regulator:Unfreeze", warrant.FreezeRequest{WarrantID: frozen.ID, Reason: "order lifted"}, nil)
		settled, skipped, _ = settleAll(l, settleRoot, 0)
		require.Equal(t, []string{frozen.ID}, settled)
		require.Equal(t, []string{pending.ID}, skipped)
		summary = l.summary(w.ID)
		require.Equal(t, int64(800_000), summary.Settled)
		require.Equal(t, int64(200_000), summary.Overdue)
		l.conserved(w.ID)
	})
}

// settleAll settles a root page by page and returns the ids settled and skipped and
// the number of pages.
func settleAll(l *ledger, request warrant.SettleRootRequest, pageSize int) (settled, skipped []string, pages int) {
	l.t.Helper()
	request.PageSize = pageSize
	for {
		var result warrant.SettleRootResult
		l.mustSubmit(asCore, "settlement:SettleRoot", request, &result)
		pages++
		for _, w := range result.Settled {
			settled = append(settled, w.ID)
			l.confirm(w.ID)
		}
		for _, leaf := range result.Skipped {
			skipped = append(skipped, leaf.WarrantID)
		}
		require.Equal(l.t, result.Summary.Face, result.Summary.Settled+result.Summary.Outstanding)
		if result.NextBookmark == "" {
			return settled, skipped, pages
		}
		request.Bookmark = result.NextBookmark
	}
}
