package contracts_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// TestRegistryContract covers verification with its cross-checks (R5) and
// registration with its uniqueness and public indexes (R6).
func TestRegistryContract(t *testing.T) {
	root := newLedger(t)
	root.onboard()
	verifyRequest := func(w warrant.Warrant) warrant.VerifyRequest {
		return warrant.VerifyRequest{WarrantID: w.ID, EvidenceHash: hash("evidence " + w.ID), Passed: true}
	}
	// rejectedBy verifies w with a passing off-chain check and expects the
	// contract's cross-checks to reject it with a reason containing want.
	rejectedBy := func(l *ledger, w warrant.Warrant, want string) {
		l.t.Helper()
		var verified warrant.Warrant
		l.attest(w)
		l.mustSubmit(asAssoc, "registry:Verify", verifyRequest(w), &verified)
		require.Equal(l.t, warrant.StatusRejected, verified.Status)
		require.Equal(l.t, warrant.VerificationFailed, verified.Verification.Result)
		require.NotEmpty(l.t, verified.Verification.Reasons)
		require.Contains(l.t, strings.Join(verified.Verification.Reasons, "; "), want)
		before := l.snapshot(w.ID)
		l.rejected(l.submit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: w.ID}, nil), warrant.CodeInvalidState, before)
	}

	t.Run("A verifier records a passed check with its evidence hash", func(t *testing.T) {
		l := root.in(t)
		w := l.issue(10_000)
		l.attest(w)
		var verified warrant.Warrant
		l.mustSubmit(asAssoc, "registry:Verify", verifyRequest(w), &verified)
		require.Equal(t, warrant.StatusVerified, verified.Status)
		require.Equal(t, codeAssoc, verified.Verification.Verifier)
		require.Equal(t, hash("evidence "+w.ID), verified.Verification.EvidenceHash)
		require.Equal(t, verified, l.warrant(w.ID))
		require.Len(t, l.history(w.ID), 4, "issue, two attestations, verification")
	})

	t.Run("Verification is refused to others, to bad requests and to warrants not ISSUED", func(t *testing.T) {
		l := root.in(t)
		w, verified := l.issue(10_000), l.verify(l.issue(10_000))
		bad := verifyRequest(w)
		bad.EvidenceHash = "not a hash"
		failedWithoutReason := verifyRequest(w)
		failedWithoutReason.Passed = false
		for _, c := range []struct {
			name    string
			as      string
			request any
			want    warrant.Code
		}{
			{"a supplier", asJinggong, verifyRequest(w), warrant.CodeForbidden},
			{"the debtor", asCore, verifyRequest(w), warrant.CodeForbidden},
			{"a malformed evidence hash", asAssoc, bad, warrant.CodeInvalidArgument},
			{"a failed check without a reason", asAssoc, failedWithoutReason, warrant.CodeInvalidArgument},
			{"an unknown field", asAssoc, `{"warrantId":"` + w.ID + `","evidenceHash":"` + hash("e") + `","passed":true,"score":9}`, warrant.CodeInvalidArgument},
			{"an unknown warrant", asAssoc, warrant.VerifyRequest{WarrantID: "W000000000000000000000000", EvidenceHash: hash("e"), Passed: true}, warrant.CodeNotFound},
			{"a malformed warrant id", asAssoc, warrant.VerifyRequest{WarrantID: "w-1", EvidenceHash: hash("e"), Passed: true}, warrant.CodeInvalidArgument},
			{"a warrant already verified", asAssoc, verifyRequest(verified), warrant.CodeInvalidState},
		} {
			snapshots := []snapshot{l.snapshot(w.ID), l.snapshot(verified.ID)}
			l.rejected(l.submit(c.as, "registry:Verify", c.request, nil), c.want, snapshots...)
		}
	})

	t.Run("A failed off-chain check rejects the warrant with its reasons", func(t *testing.T) {
		l := root.in(t)
		w := l.issue(10_000)
		request := verifyRequest(w)
		request.Passed, request.Reasons = false, []string{"delivery note missing"}
		var verified warrant.Warrant
		l.mustSubmit(asAssoc, "registry:Verify", request, &verified)
		require.Equal(t, warrant.StatusRejected, verified.Status)
		require.Equal(t, []string{"delivery note missing"}, verified.Verification.Reasons)
	})

	t.Run("The contract cross-checks invoices against the parties and the amount", func(t *testing.T) {
		l := root.in(t)
		buyer := issueRequest(l.nextInvoice(), 10_000)
		buyer.Trade.Invoices[0].Buyer = codeBank
		rejectedBy(l, l.issueWith(buyer), "buyer is not the debtor")

		seller := issueRequest(l.nextInvoice(), 10_000)
		seller.Trade.Invoices[0].Seller = codeT2A
		rejectedBy(l, l.issueWith(seller), "seller is not the first holder")

		short := issueRequest(l.nextInvoice(), 10_000)
		short.Trade.Invoices[0].Amount = 9_999
		rejectedBy(l, l.issueWith(short), "less than the amount")

		covered := issueRequest(l.nextInvoice(), 10_000)
		second := covered.Trade.Invoices[0]
		second.Number, second.DocumentHash = l.nextInvoice(), hash("second invoice")
		covered.Trade.Invoices[0].Amount, second.Amount = 4_000, 6_000
		covered.Trade.Invoices = append(covered.Trade.Invoices, second)
		l.verify(l.issueWith(covered))
	})

	t.Run("An invoice or document registered to another warrant fails verification", func(t *testing.T) {
		l := root.in(t)
		first := l.issue(10_000)
		l.register(l.verify(first))
		invoice := first.Trade.Invoices[0]

		sameInvoice := issueRequest(invoice.Number, 10_000)
		sameInvoice.Trade.Invoices[0].DocumentHash = hash("another scan")
		rejectedBy(l, l.issueWith(sameInvoice), "already registered to "+first.ID)

		sameDocument := issueRequest(l.nextInvoice(), 10_000)
		sameDocument.Trade.Invoices[0].DocumentHash = strings.ToUpper(invoice.DocumentHash)
		rejectedBy(l, l.issueWith(sameDocument), "document already registered to "+first.ID)
	})

	t.Run("Parties that became related after issue fail verification", func(t *testing.T) {
		l := root.in(t)
		request := issueRequest(l.nextInvoice(), 10_000)
		request.Holder = codeT3A
		request.Trade.Invoices[0].Seller = codeT3A
		w := l.issueWith(request)
		l.mustSubmit(asAssoc, "admin:UpdateEnterprise", warrant.UpdateEnterpriseRequest{CreditCode: codeT3A, Controller: "huaxin-group"}, nil)
		defer l.mustSubmit(asAssoc, "admin:UpdateEnterprise", warrant.UpdateEnterpriseRequest{CreditCode: codeT3A, Controller: "yongsheng"}, nil)
		rejectedBy(l, w, "related parties")
	})

	t.Run("A registrar registers a verified warrant and indexes it for public lookup", func(t *testing.T) {
		l := root.in(t)
		verified := l.verify(l.issue(10_000))
		registered := l.register(verified)
		require.True(t, strings.HasPrefix(registered.RegistryNo, "DJ"), registered.RegistryNo)
		require.False(t, registered.RegisteredAt.IsZero())
		invoice := registered.Trade.Invoices[0]
		require.Equal(t, entryOf(registered), l.lookup("query:LookupInvoice", invoice.Code, invoice.Number))
		require.Equal(t, entryOf(registered), l.lookup("query:LookupDocument", strings.ToUpper(invoice.DocumentHash)))
		require.Equal(t, entryOf(registered), l.lookup("query:LookupRegistryNo", registered.RegistryNo))
	})

	t.Run("Registration is refused to others and to warrants not VERIFIED", func(t *testing.T) {
		l := root.in(t)
		issued, verified, active := l.issue(10_000), l.verify(l.issue(10_000)), l.active(10_000)
		for _, c := range []struct {
			name string
			as   string
			id   string
			want warrant.Code
		}{
			{"a supplier", asJinggong, verified.ID, warrant.CodeForbidden},
			{"the core enterprise claiming registrar", asCoreClerk, verified.ID, warrant.CodeForbidden},
			{"an ISSUED warrant", asAssoc, issued.ID, warrant.CodeInvalidState},
			{"an ACTIVE warrant", asAssoc, active.ID, warrant.CodeInvalidState},
			{"an unknown warrant", asAssoc, "W000000000000000000000000", warrant.CodeNotFound},
		} {
			snapshots := []snapshot{l.snapshot(issued.ID), l.snapshot(verified.ID), l.snapshot(active.ID)}
			l.rejected(l.submit(c.as, "registry:Register", warrant.RegisterRequest{WarrantID: c.id}, nil), c.want, snapshots...)
		}
		invoice := verified.Trade.Invoices[0]
		require.False(t, l.lookup("query:LookupInvoice", invoice.Code, invoice.Number).Registered)
	})

	t.Run("A receivable is registered once: the first registration wins", func(t *testing.T) {
		l := root.in(t)
		request := issueRequest(l.nextInvoice(), 10_000)
		first, second := l.verify(l.issueWith(request)), l.verify(l.issueWith(request))
		l.register(first)
		before := l.snapshot(second.ID)
		l.rejected(l.submit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: second.ID}, nil), warrant.CodeAlreadyRegistered, before)
		invoice := request.Trade.Invoices[0]
		require.Equal(t, l.warrant(first.ID).RegistryNo, l.lookup("query:LookupInvoice", invoice.Code, invoice.Number).RegistryNo)
		require.Equal(t, l.warrant(first.ID).RegistryNo, l.lookup("query:LookupDocument", invoice.DocumentHash).RegistryNo)

		var cancelled warrant.Warrant
		l.mustSubmit(asCore, "issuance:Cancel", warrant.CancelRequest{WarrantID: second.ID, Reason: "duplicate"}, &cancelled)
		require.Equal(t, warrant.StatusCancelled, cancelled.Status)
	})

	t.Run("A registration that fails on its second invoice indexes none", func(t *testing.T) {
		l := root.in(t)
		taken := issueRequest(l.nextInvoice(), 10_000)
		both := issueRequest(l.nextInvoice(), 10_000)
		fresh := both.Trade.Invoices[0]
		both.Trade.Invoices[0].Amount = 5_000
		both.Trade.Invoices = append(both.Trade.Invoices, taken.Trade.Invoices[0])
		first, second := l.verify(l.issueWith(taken)), l.verify(l.issueWith(both))
		l.register(first)
		before := l.snapshot(second.ID)
		l.rejected(l.submit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: second.ID}, nil), warrant.CodeAlreadyRegistered, before)
		require.False(t, l.lookup("query:LookupInvoice", fresh.Code, fresh.Number).Registered)
		require.False(t, l.lookup("query:LookupDocument", fresh.DocumentHash).Registered)
	})
}
