package contracts_test

import (
	"fmt"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/chaincode/warrant"
)

// nextInvoice returns an invoice number not used before on this ledger.
func (l *ledger) nextInvoice() string {
	l.invoices++
	return fmt.Sprintf("%08d", 20_000_000+l.invoices)
}

// issue issues a fresh warrant from the core enterprise to Jinggong (R4).
func (l *ledger) issue(amount int64) warrant.Warrant {
	return l.issueWith(issueRequest(l.nextInvoice(), amount))
}

func (l *ledger) issueWith(request warrant.IssueRequest) warrant.Warrant {
	l.t.Helper()
	var issued warrant.Warrant
	l.mustSubmit(asCore, "issuance:Issue", request, &issued)
	require.Equal(l.t, warrant.StatusIssued, issued.Status)
	return issued
}

// attest records the default required attestations (R30): the tax-invoice check by the
// independent attestor and the buyer's goods receipt.
func (l *ledger) attest(w warrant.Warrant) {
	l.t.Helper()
	l.mustSubmit(asCheck, "registry:Attest", warrant.AttestRequest{WarrantID: w.ID, Kind: warrant.AttestTaxInvoice,
		Passed: true, ConfirmedAmount: w.Amount, EvidenceHash: hash("invoice check " + w.ID)}, nil)
	l.mustSubmit(asCore, "registry:Attest", warrant.AttestRequest{WarrantID: w.ID, Kind: warrant.AttestGoodsReceipt,
		Passed: true, ConfirmedAmount: w.Amount, EvidenceHash: hash("goods receipt " + w.ID)}, nil)
}

// confirm has the paying bank confirm a SETTLING leaf by bank transfer (R32).
func (l *ledger) confirm(id string) warrant.Warrant {
	l.t.Helper()
	w := l.warrant(id)
	request := warrant.ConfirmSettlementRequest{WarrantID: id, Channel: warrant.ChannelBankTransfer}
	for i, share := range w.Settlement.Payees {
		request.Payments = append(request.Payments, warrant.ConfirmedPayment{Payee: share.Payee,
			PayeeAccount: "4000-" + share.Payee, Amount: share.Amount, PaymentRef: fmt.Sprintf("QH-%s-%d", id, i)})
	}
	var confirmed warrant.Warrant
	l.mustSubmit(asBank, "settlement:ConfirmSettlement", request, &confirmed)
	require.Equal(l.t, warrant.StatusSettled, confirmed.Status)
	return confirmed
}

// verify attests and passes a warrant's verification (R5, R30).
func (l *ledger) verify(w warrant.Warrant) warrant.Warrant {
	l.t.Helper()
	l.attest(w)
	var verified warrant.Warrant
	l.mustSubmit(asAssoc, "registry:Verify", warrant.VerifyRequest{WarrantID: w.ID, EvidenceHash: hash("evidence " + w.ID), Passed: true}, &verified)
	require.Equal(l.t, warrant.StatusVerified, verified.Status, verified.Verification)
	return verified
}

// register registers a verified warrant (R6).
func (l *ledger) register(w warrant.Warrant) warrant.Warrant {
	l.t.Helper()
	var registered warrant.Warrant
	l.mustSubmit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: w.ID}, &registered)
	require.Equal(l.t, warrant.StatusActive, registered.Status)
	return registered
}

// active issues, verifies and registers a fresh warrant held by Jinggong.
func (l *ledger) active(amount int64) warrant.Warrant {
	return l.register(l.verify(l.issue(amount)))
}

// offer splits amount of w off to a recipient; it returns the offered part and the
// remainder (zero if none) (R7).
func (l *ledger) offer(w warrant.Warrant, to string, amount int64) (offered, remainder warrant.Warrant) {
	l.t.Helper()
	var split warrant.SplitResult
	l.mustSubmit(userOf[w.Holder], "transfer:SplitTransfer", warrant.SplitTransferRequest{
		WarrantID: w.ID, Parts: []warrant.Part{{Recipient: to, Amount: amount}},
	}, &split)
	offered = child(l, split, to)
	require.Equal(l.t, warrant.StatusPendingAcceptance, offered.Status)
	if amount < w.Amount {
		remainder = child(l, split, w.Holder)
	}
	return offered, remainder
}

// transfer offers amount of w to a recipient, who accepts it (R7, R8).
func (l *ledger) transfer(w warrant.Warrant, to string, amount int64) (received, remainder warrant.Warrant) {
	l.t.Helper()
	offered, remainder := l.offer(w, to, amount)
	l.mustSubmit(userOf[to], "transfer:Accept", warrant.OfferRequest{WarrantID: offered.ID}, &received)
	require.Equal(l.t, warrant.StatusActive, received.Status)
	return received, remainder
}

// child is the child of a split held by holder.
func child(l *ledger, split warrant.SplitResult, holder string) warrant.Warrant {
	l.t.Helper()
	for _, c := range split.Children {
		if c.Holder == holder {
			return c
		}
	}
	require.Failf(l.t, "no child", "no child of %s held by %s", split.Parent.ID, holder)
	return warrant.Warrant{}
}

// warrant reads a warrant back from the ledger.
func (l *ledger) warrant(id string) warrant.Warrant {
	l.t.Helper()
	var w warrant.Warrant
	require.NoError(l.t, l.evaluate("query:GetWarrant", &w, id))
	return w
}

func (l *ledger) history(id string) []contracts.HistoryEntry {
	l.t.Helper()
	var history []contracts.HistoryEntry
	require.NoError(l.t, l.evaluate("query:History", &history, id))
	return history
}

// snapshot is a warrant as read back and the length of its history.
type snapshot struct {
	warrant warrant.Warrant
	history int
}

func (l *ledger) snapshot(id string) snapshot {
	return snapshot{warrant: l.warrant(id), history: len(l.history(id))}
}

// unchanged asserts that the warrants of the snapshots were not written since.
func (l *ledger) unchanged(snapshots ...snapshot) {
	l.t.Helper()
	for _, s := range snapshots {
		require.Equal(l.t, s, l.snapshot(s.warrant.ID), "warrant %s changed", s.warrant.ID)
	}
}

// rejected asserts that err carries the expected code and that the warrants of the
// snapshots were not written (R18).
func (l *ledger) rejected(err error, want warrant.Code, snapshots ...snapshot) {
	l.t.Helper()
	require.Equal(l.t, want, code(l.t, err), "%v", err)
	l.unchanged(snapshots...)
}

func (l *ledger) creditLine() warrant.CreditLine {
	l.t.Helper()
	var line warrant.CreditLine
	require.NoError(l.t, l.evaluate("query:GetCreditLine", &line, codeCore))
	return line
}

func (l *ledger) summary(rootID string) warrant.RootSummary {
	l.t.Helper()
	var summary warrant.RootSummary
	require.NoError(l.t, l.evaluate("query:RootSummary", &summary, rootID))
	return summary
}

// list pages through a query:ListByHolder or query:ListByDebtor listing.
func (l *ledger) list(function, party string, status warrant.Status) []warrant.Warrant {
	l.t.Helper()
	var all []warrant.Warrant
	request := warrant.ListRequest{Party: party, Status: status, PageSize: warrant.MaxPageSize}
	for {
		var page warrant.WarrantPage
		require.NoError(l.t, l.query(function, request, &page))
		all = append(all, page.Items...)
		if page.NextBookmark == "" {
			return all
		}
		request.Bookmark = page.NextBookmark
	}
}

// lineage pages through every node of a root's tree.
func (l *ledger) lineage(rootID string, pageSize int) []warrant.Warrant {
	l.t.Helper()
	var all []warrant.Warrant
	request := warrant.LineageRequest{RootID: rootID, PageSize: pageSize}
	for {
		var page warrant.WarrantPage
		require.NoError(l.t, l.query("query:Lineage", request, &page))
		all = append(all, page.Items...)
		if page.NextBookmark == "" {
			return all
		}
		request.Bookmark = page.NextBookmark
	}
}

// conserved asserts R9 for a root: its leaves sum to the face value, its settled
// leaves to the summary's settled amount, and settled + outstanding = face.
func (l *ledger) conserved(rootID string) {
	l.t.Helper()
	var leaves, settled int64
	for _, w := range l.lineage(rootID, 0) {
		if w.Status.IsLeaf() {
			leaves += w.Amount
		}
		if w.Status == warrant.StatusSettled {
			settled += w.Amount
		}
	}
	summary := l.summary(rootID)
	require.Equal(l.t, summary.Face, leaves, "leaves of %s", rootID)
	require.Equal(l.t, summary.Settled, settled, "settled leaves of %s", rootID)
	require.Equal(l.t, summary.Face, summary.Settled+summary.Outstanding, "summary of %s", rootID)
}

// setParams replaces the parameters and returns a function that restores the defaults.
func (l *ledger) setParams(change func(*warrant.Params)) func() {
	l.t.Helper()
	params := warrant.DefaultParams()
	change(&params)
	l.mustSubmit(asAssoc, "admin:SetParams", params, nil)
	return func() { l.mustSubmit(asAssoc, "admin:SetParams", warrant.DefaultParams(), nil) }
}

// lookup runs a registry lookup as a member with no part in any warrant (R20) and
// returns the public entry it answers.
func (l *ledger) lookup(function string, args ...string) warrant.RegistryEntry {
	l.t.Helper()
	var entry warrant.RegistryEntry
	require.NoError(l.t, l.evaluateAs(asShengtong, function, &entry, args...), function)
	return entry
}

// entryOf is the public registry entry of a registered warrant.
func entryOf(w warrant.Warrant) warrant.RegistryEntry {
	return warrant.RegistryEntry{Registered: true, RegistryNo: w.RegistryNo, Status: w.Status,
		Encumbered: w.Pledge != nil || w.Custodian != "", Amount: w.Amount, MaturesAt: w.MaturesAt}
}
