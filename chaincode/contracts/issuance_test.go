package contracts_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// TestIssuanceContract covers issue and apply/confirm (R4), the credit line (R4a),
// requestId idempotency (R4b) and cancellation (R14).
func TestIssuanceContract(t *testing.T) {
	root := newLedger(t)
	root.onboard()
	// debtorState is what a rejected issue must leave as it was.
	type debtorState struct {
		issued int
		line   warrant.CreditLine
	}
	stateOf := func(l *ledger) debtorState {
		return debtorState{issued: len(l.list("query:ListByDebtor", codeCore, warrant.StatusIssued)), line: l.creditLine()}
	}

	t.Run("The debtor's issuer issues a warrant to an onboarded supplier", func(t *testing.T) {
		l := root.in(t)
		before := l.creditLine()
		request := issueRequest(l.nextInvoice(), 1_000_000)
		w := l.issueWith(request)
		require.Equal(t, w.ID, w.RootID)
		require.Equal(t, codeCore, w.Debtor)
		require.Equal(t, codeT1A, w.Holder)
		require.Equal(t, int64(1_000_000), w.Amount)
		require.Equal(t, warrant.CurrencyCNY, w.Currency)
		require.True(t, request.MaturesAt.Equal(w.MaturesAt))
		require.Equal(t, request.Trade, *w.Trade)
		require.Equal(t, w, l.warrant(w.ID))
		require.Equal(t, before.Used+1_000_000, l.creditLine().Used)
		l.conserved(w.ID)
	})

	t.Run("Issue rejects bad terms and writes nothing", func(t *testing.T) {
		l := root.in(t)
		now := time.Now().UTC()
		with := func(change func(*warrant.IssueRequest)) warrant.IssueRequest {
			request := issueRequest(l.nextInvoice(), 1_000)
			change(&request)
			return request
		}
		cases := []struct {
			name    string
			as      string
			request any
			want    warrant.Code
		}{
			{"a supplier issuing", asJinggong, with(func(*warrant.IssueRequest) {}), warrant.CodeForbidden},
			{"the issuer of another debtor", asCore, with(func(r *warrant.IssueRequest) { r.Debtor = codeBank }), warrant.CodeForbidden},
			{"the debtor as first holder", asCore, with(func(r *warrant.IssueRequest) { r.Holder = codeCore }), warrant.CodeForbidden},
			{"a first holder not onboarded", asCore, with(func(r *warrant.IssueRequest) { r.Holder = codeT1B }), warrant.CodeNotFound},
			{"a zero amount", asCore, with(func(r *warrant.IssueRequest) { r.Amount = 0 }), warrant.CodeInvalidArgument},
			{"a negative amount", asCore, with(func(r *warrant.IssueRequest) { r.Amount = -100 }), warrant.CodeInvalidArgument},
			{"an amount over the cap", asCore, with(func(r *warrant.IssueRequest) { r.Amount = warrant.DefaultParams().AmountCap + 1 }), warrant.CodeInvalidArgument},
			{"the largest int64", asCore, with(func(r *warrant.IssueRequest) { r.Amount = math.MaxInt64 }), warrant.CodeInvalidArgument},
			{"an amount beyond int64", asCore, `{"debtor":"9144030052601815XN","holder":"91440300908301663N","amount":9223372036854775808}`, warrant.CodeInvalidArgument},
			{"a foreign currency", asCore, with(func(r *warrant.IssueRequest) { r.Currency = "USD" }), warrant.CodeInvalidArgument},
			{"a maturity in the past", asCore, with(func(r *warrant.IssueRequest) { r.MaturesAt = now.Add(-time.Hour) }), warrant.CodeInvalidArgument},
			{"a tenor over 183 days", asCore, with(func(r *warrant.IssueRequest) { r.MaturesAt = now.AddDate(0, 0, 190) }), warrant.CodeInvalidArgument},
			{"a tenor over a year", asCore, with(func(r *warrant.IssueRequest) { r.MaturesAt = now.AddDate(1, 0, 1) }), warrant.CodeInvalidArgument},
			{"no invoices", asCore, with(func(r *warrant.IssueRequest) { r.Trade.Invoices = nil }), warrant.CodeInvalidArgument},
			{"a malformed contract hash", asCore, with(func(r *warrant.IssueRequest) { r.Trade.ContractHash = "abc" }), warrant.CodeInvalidArgument},
			{"an invoice listed twice", asCore, with(func(r *warrant.IssueRequest) {
				r.Trade.Invoices = append(r.Trade.Invoices, r.Trade.Invoices[0])
			}), warrant.CodeDuplicateInvoice},
			{"malformed JSON", asCore, `{"debtor": 1}`, warrant.CodeInvalidArgument},
			{"an unknown field", asCore, `{"bogus": true}`, warrant.CodeInvalidArgument},
			{"trailing data", asCore, `{} {}`, warrant.CodeInvalidArgument},
			{"a JSON array", asCore, `[]`, warrant.CodeInvalidArgument},
		}
		before := stateOf(l)
		for _, c := range cases {
			require.Equal(t, c.want, code(t, l.submit(c.as, "issuance:Issue", c.request, nil)), c.name)
			require.Equal(t, before, stateOf(l), c.name)
		}
		_, err := l.contract(asCore).SubmitTransaction("issuance:NoSuchFunction", `{}`)
		require.Equal(t, warrant.CodeNotFound, code(t, err))
	})

	t.Run("The first holder may not be a related party of the debtor", func(t *testing.T) {
		l := root.in(t)
		l.mustSubmit(asAssoc, "admin:UpdateEnterprise", warrant.UpdateEnterpriseRequest{CreditCode: codeT3A, Controller: "huaxin-group"}, nil)
		defer l.mustSubmit(asAssoc, "admin:UpdateEnterprise", warrant.UpdateEnterpriseRequest{CreditCode: codeT3A, Controller: "yongsheng"}, nil)
		before := stateOf(l)
		request := issueRequest(l.nextInvoice(), 1_000)
		request.Holder = codeT3A
		require.Equal(t, warrant.CodeRelatedParty, code(t, l.submit(asCore, "issuance:Issue", request, nil)))
		require.Equal(t, before, stateOf(l))
	})

	t.Run("Issuing past the credit line is rejected until settlement or cancellation restores it", func(t *testing.T) {
		l := root.in(t)
		line := l.creditLine()
		l.mustSubmit(asBank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: codeCore, Limit: line.Used + 10_000}, nil)
		defer l.mustSubmit(asBank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: codeCore, Limit: line.Limit}, nil)
		first := l.issue(6_000)
		require.Equal(t, int64(4_000), l.creditLine().Available())
		before := stateOf(l)
		require.Equal(t, warrant.CodeInsufficientCreditLine, code(t, l.submit(asCore, "issuance:Issue", issueRequest(l.nextInvoice(), 4_001), nil)))
		require.Equal(t, before, stateOf(l))
		l.issue(4_000)
		require.Equal(t, int64(0), l.creditLine().Available())
		require.Equal(t, warrant.CodeInsufficientCreditLine, code(t, l.submit(asCore, "issuance:Issue", issueRequest(l.nextInvoice(), 1), nil)))
		l.mustSubmit(asCore, "issuance:Cancel", warrant.CancelRequest{WarrantID: first.ID, Reason: "order withdrawn"}, nil)
		require.Equal(t, int64(6_000), l.creditLine().Available())
		l.issue(6_000)
	})

	t.Run("A repeated requestId returns the original outcome and issues once", func(t *testing.T) {
		l := root.in(t)
		request := issueRequest(l.nextInvoice(), 7_000)
		request.RequestID = "ERP-PO-2026-0001"
		before := stateOf(l)
		var first, second warrant.Warrant
		l.mustSubmit(asCore, "issuance:Issue", request, &first)
		l.mustSubmit(asCore, "issuance:Issue", request, &second)
		require.Equal(t, first, second)
		after := stateOf(l)
		require.Equal(t, before.issued+1, after.issued)
		require.Equal(t, before.line.Used+7_000, after.line.Used)
		require.Len(t, l.history(first.ID), 1)

		changed := request
		changed.Amount = 8_000
		changed.Trade.Invoices[0].Amount = 8_000
		require.Equal(t, warrant.CodeAlreadyExists, code(t, l.submit(asCore, "issuance:Issue", changed, nil)))
		require.Equal(t, after, stateOf(l))
	})

	t.Run("A supplier applies and the debtor confirms or declines", func(t *testing.T) {
		l := root.in(t)
		terms := issueRequest(l.nextInvoice(), 9_000)
		apply := warrant.ApplyRequest{Debtor: codeCore, Amount: terms.Amount, MaturesAt: terms.MaturesAt, Trade: terms.Trade}
		var application warrant.Application
		l.mustSubmit(asJinggong, "issuance:Apply", apply, &application)
		require.Equal(t, warrant.ApplicationPending, application.Status)
		require.Equal(t, codeT1A, application.Applicant)
		decide := warrant.ApplicationDecisionRequest{ApplicationID: application.ID}
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asJinggong, "issuance:ConfirmApplication", decide, nil)))
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asBankIssuer, "issuance:ConfirmApplication", decide, nil)))
		var stored warrant.Application
		require.NoError(t, l.evaluate("query:GetApplication", &stored, application.ID))
		require.Equal(t, application, stored)

		var confirmed warrant.Warrant
		l.mustSubmit(asCore, "issuance:ConfirmApplication", decide, &confirmed)
		require.Equal(t, warrant.StatusIssued, confirmed.Status)
		require.Equal(t, codeT1A, confirmed.Holder)
		require.NoError(t, l.evaluate("query:GetApplication", &stored, application.ID))
		require.Equal(t, warrant.ApplicationConfirmed, stored.Status)
		require.Equal(t, confirmed.ID, stored.WarrantID)
		require.Equal(t, warrant.CodeInvalidState, code(t, l.submit(asCore, "issuance:ConfirmApplication", decide, nil)))
		require.Equal(t, warrant.CodeInvalidState, code(t, l.submit(asCore, "issuance:DeclineApplication", warrant.ApplicationDecisionRequest{ApplicationID: application.ID, Reason: "late"}, nil)))

		apply.Trade = issueRequest(l.nextInvoice(), 9_000).Trade
		l.mustSubmit(asJinggong, "issuance:Apply", apply, &application)
		require.Equal(t, warrant.CodeInvalidArgument, code(t, l.submit(asCore, "issuance:DeclineApplication", warrant.ApplicationDecisionRequest{ApplicationID: application.ID}, nil)))
		l.mustSubmit(asCore, "issuance:DeclineApplication", warrant.ApplicationDecisionRequest{ApplicationID: application.ID, Reason: "goods not received"}, &stored)
		require.Equal(t, warrant.ApplicationDeclined, stored.Status)
		require.Equal(t, warrant.CodeInvalidState, code(t, l.submit(asCore, "issuance:ConfirmApplication", warrant.ApplicationDecisionRequest{ApplicationID: application.ID}, nil)))
		require.Equal(t, warrant.CodeNotFound, code(t, l.submit(asCore, "issuance:ConfirmApplication", warrant.ApplicationDecisionRequest{ApplicationID: "A000000000000000000000000"}, nil)))
		require.Equal(t, warrant.CodeInvalidArgument, code(t, l.submit(asCore, "issuance:ConfirmApplication", warrant.ApplicationDecisionRequest{ApplicationID: "nope"}, nil)))
	})

	t.Run("The debtor cancels a warrant that was never registered", func(t *testing.T) {
		l := root.in(t)
		issued, verified := l.issue(11_000), l.verify(l.issue(12_000))
		active := l.active(13_000)
		line := l.creditLine()
		cancel := func(id, reason string) warrant.CancelRequest {
			return warrant.CancelRequest{WarrantID: id, Reason: reason}
		}
		for _, c := range []struct {
			name    string
			as      string
			request warrant.CancelRequest
			want    warrant.Code
		}{
			{"a supplier", asJinggong, cancel(issued.ID, "x"), warrant.CodeForbidden},
			{"an issuer in the wrong org", asBankIssuer, cancel(issued.ID, "x"), warrant.CodeForbidden},
			{"no reason", asCore, cancel(issued.ID, ""), warrant.CodeInvalidArgument},
			{"a registered warrant", asCore, cancel(active.ID, "x"), warrant.CodeInvalidState},
		} {
			snapshots := []snapshot{l.snapshot(issued.ID), l.snapshot(active.ID)}
			l.rejected(l.submit(c.as, "issuance:Cancel", c.request, nil), c.want, snapshots...)
		}
		require.Equal(t, warrant.CodeNotFound, code(t, l.submit(asCore, "issuance:Cancel", cancel("W000000000000000000000000", "x"), nil)))
		require.Equal(t, line, l.creditLine())

		for _, w := range []warrant.Warrant{issued, verified} {
			var cancelled warrant.Warrant
			l.mustSubmit(asCore, "issuance:Cancel", cancel(w.ID, "order withdrawn"), &cancelled)
			require.Equal(t, warrant.StatusCancelled, cancelled.Status)
			require.True(t, l.summary(w.ID).Cancelled)
			require.Equal(t, int64(0), l.summary(w.ID).Outstanding)
			before := l.snapshot(w.ID)
			l.rejected(l.submit(asCore, "issuance:Cancel", cancel(w.ID, "again"), nil), warrant.CodeInvalidState, before)
			l.rejected(l.submit(asAssoc, "registry:Verify", warrant.VerifyRequest{WarrantID: w.ID, EvidenceHash: hash("e"), Passed: true}, nil), warrant.CodeInvalidState, before)
		}
		require.Equal(t, line.Used-23_000, l.creditLine().Used)
	})
}
