package warrant

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestIssue(t *testing.T) {
	t.Run("Issues a root warrant and consumes the credit line (R4, R4a)", func(t *testing.T) {
		e := newEnv(t)
		w, eff, err := Issue(e.st, e.tx(), e.as(codeCore), e.issueReq(codeT1A, 100_000_000))
		require.NoError(t, err)
		require.Equal(t, StatusIssued, w.Status)
		require.Equal(t, w.ID, w.RootID)
		require.Equal(t, CurrencyCNY, w.Currency)
		require.Equal(t, EventIssued, eff.Event.Name)
		p := eventPayload(t, eff.Event)
		require.Equal(t, EventPayload{TxID: p.TxID, Time: p.Time, WarrantID: w.ID, RootID: w.ID, Status: StatusIssued}, p,
			"the event carries ids and status only (R15, R17)")
		line, err := GetCreditLine(e.st, regulator, codeCore)
		require.NoError(t, err)
		require.EqualValues(t, 100_000_000, line.Used)
		e.conserved(w.ID)
	})
	cases := []struct {
		name string
		want Code
		edit func(e *env, c *Caller, r *IssueRequest)
	}{
		{"Rejects a caller without the issuer role", CodeForbidden, func(e *env, c *Caller, r *IssueRequest) { *c = e.as(codeT1A) }},
		{"Rejects an issuer role from a wrong org (R2)", CodeForbidden, func(e *env, c *Caller, r *IssueRequest) {
			*c = NewCaller(MSPBank, codeCore, "issuer")
		}},
		{"Rejects an issuer of another debtor", CodeForbidden, func(e *env, c *Caller, r *IssueRequest) { r.Debtor = codeT1B }},
		{"Rejects an unknown holder", CodeNotFound, func(e *env, c *Caller, r *IssueRequest) { r.Holder = withCheck("91350100M00010000") }},
		{"Rejects a malformed holder code", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Holder = "nope" }},
		{"Rejects the debtor as holder", CodeForbidden, func(e *env, c *Caller, r *IssueRequest) { r.Holder = codeCore }},
		{"Rejects a zero amount", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Amount = 0 }},
		{"Rejects a negative amount", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Amount = -5 }},
		{"Rejects an amount over the cap", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Amount = 1e11 + 1 }},
		{"Rejects a maturity in the past", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.MaturesAt = e.now.AddDate(0, 0, -1) }},
		{"Rejects a tenor over 183 days", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.MaturesAt = e.now.AddDate(0, 0, 184) }},
		{"Rejects another currency", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Currency = "USD" }},
		{"Rejects a bad contract hash", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Trade.ContractHash = "xyz" }},
		{"Rejects a trade without invoices", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Trade.Invoices = nil }},
		{"Rejects an invoice listed twice", CodeDuplicateInvoice, func(e *env, c *Caller, r *IssueRequest) {
			r.Trade.Invoices = append(r.Trade.Invoices, r.Trade.Invoices[0])
		}},
		{"Rejects a document hash listed twice", CodeDuplicateInvoice, func(e *env, c *Caller, r *IssueRequest) {
			inv := r.Trade.Invoices[0]
			inv.Number = "99999999"
			r.Trade.Invoices = append(r.Trade.Invoices, inv)
		}},
		{"Rejects a malformed invoice number", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Trade.Invoices[0].Number = "12ab" }},
		{"Rejects a missing invoice code (R5)", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Trade.Invoices[0].Code = "" }},
		{"Rejects an invoice code padded with a zero (R5)", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) {
			r.Trade.Invoices[0].Code = "0" + r.Trade.Invoices[0].Code
		}},
		{"Rejects an invoice code of 9 digits (R5)", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Trade.Invoices[0].Code = "440326113" }},
		{"Rejects an invoice code with a letter (R5)", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Trade.Invoices[0].Code = "440326113A" }},
		{"Rejects an invoice number padded with a zero (R5)", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) {
			r.Trade.Invoices[0].Number = "0" + r.Trade.Invoices[0].Number
		}},
		{"Rejects an invoice number of 10 digits (R5)", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) { r.Trade.Invoices[0].Number = "0081234500" }},
		{"Rejects an invoice number of 19 digits (R5)", CodeInvalidArgument, func(e *env, c *Caller, r *IssueRequest) {
			r.Trade.Invoices[0].Number = "0000000000081234500"
		}},
		{"Rejects an issue past the credit line (R4a)", CodeInsufficientCreditLine, func(e *env, c *Caller, r *IssueRequest) {
			_, _, err := SetCreditLine(e.st, e.tx(), e.as(codeBank), SetCreditLineRequest{Debtor: codeCore, Limit: 10})
			require.NoError(e.t, err)
		}},
		{"Rejects a requestId without an entity", CodeForbidden, func(e *env, c *Caller, r *IssueRequest) {
			*c = NewCaller(MSPCoreEnterprise, "", "issuer")
			r.RequestID = "ERP-1"
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c, r := e.as(codeCore), e.issueReq(codeT1A, 1000)
			tc.edit(e, &c, &r)
			e.rejects(tc.want, func(e *env) error { _, _, err := Issue(e.st, e.tx(), c, r); return err })
		})
	}
	t.Run("Accepts a 12-digit legacy code and a 数电发票 number without code (R5, R6)", func(t *testing.T) {
		e := newEnv(t)
		r := e.issueReq(codeT1A, 1000)
		r.Trade.Invoices[0].Code = "144032611300"
		_, _, err := Issue(e.st, e.tx(), e.as(codeCore), r)
		require.NoError(t, err)
		r.Trade.Invoices[0].Code, r.Trade.Invoices[0].Number = "", "26442000000000812345"
		_, _, err = Issue(e.st, e.tx(), e.as(codeCore), r)
		require.NoError(t, err)
	})
	t.Run("Rejects a related first holder", func(t *testing.T) {
		e := newEnv(t)
		_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: codeT1A, Controller: "huaxin-group"})
		require.NoError(t, err)
		e.rejects(CodeRelatedParty, func(e *env) error {
			_, _, err := Issue(e.st, e.tx(), e.as(codeCore), e.issueReq(codeT1A, 1000))
			return err
		})
	})
	t.Run("Rejects a suspended holder (R3)", func(t *testing.T) {
		e := newEnv(t)
		_, _, err := SuspendEnterprise(e.st, e.tx(), e.as(codeAssoc), EnterpriseStatusRequest{CreditCode: codeT1A, Reason: "kyc"})
		require.NoError(t, err)
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := Issue(e.st, e.tx(), e.as(codeCore), e.issueReq(codeT1A, 1000))
			return err
		})
	})
	t.Run("Never allows a tenor over one year even if the parameter says so", func(t *testing.T) {
		p := DefaultParams()
		p.MaxTenorDays = 366
		require.Error(t, p.Validate())
	})
}

func TestRequestID(t *testing.T) {
	e := newEnv(t)
	req := e.issueReq(codeT1A, 1000)
	req.RequestID = "PO-2026-0001"
	w1, _, err := Issue(e.st, e.tx(), e.as(codeCore), req)
	require.NoError(t, err)
	t.Run("Replays the original outcome without a second effect (R4b)", func(t *testing.T) {
		before := e.st.Snapshot()
		w2, eff, err := Issue(e.st, e.tx(), e.as(codeCore), req)
		require.NoError(t, err)
		require.Equal(t, w1, w2)
		require.Equal(t, EventReplayed, eff.Event.Name)
		require.Equal(t, before, e.st.Snapshot())
	})
	t.Run("Rejects the same requestId for a different request", func(t *testing.T) {
		other := req
		other.Amount = 2000
		e.rejects(CodeAlreadyExists, func(e *env) error { _, _, err := Issue(e.st, e.tx(), e.as(codeCore), other); return err })
	})
	t.Run("Scopes requestIds per enterprise", func(t *testing.T) {
		a := ApplyRequest{RequestID: "PO-2026-0001", Debtor: codeCore, Amount: 500, MaturesAt: e.now.AddDate(0, 1, 0), Trade: e.trade(codeT1B, 500)}
		_, _, err := Apply(e.st, e.tx(), e.as(codeT1B), a)
		require.NoError(t, err)
	})
}

func TestApplyAndConfirm(t *testing.T) {
	e := newEnv(t)
	req := ApplyRequest{Debtor: codeCore, Amount: 5000, MaturesAt: e.now.AddDate(0, 2, 0), Trade: e.trade(codeT1A, 5000)}
	app, eff, err := Apply(e.st, e.tx(), e.as(codeT1A), req)
	require.NoError(t, err)
	require.Equal(t, ApplicationPending, app.Status)
	require.Equal(t, EventApplied, eff.Event.Name)
	t.Run("Rejects confirmation by someone other than the debtor's issuer", func(t *testing.T) {
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := ConfirmApplication(e.st, e.tx(), e.as(codeT1A), ApplicationDecisionRequest{ApplicationID: app.ID})
			return err
		})
	})
	t.Run("Rejects an unknown application", func(t *testing.T) {
		e.rejects(CodeNotFound, func(e *env) error {
			_, _, err := ConfirmApplication(e.st, e.tx(), e.as(codeCore), ApplicationDecisionRequest{ApplicationID: "A000000000000000000000000"})
			return err
		})
	})
	t.Run("Confirmation creates the same warrant as an issue (R4)", func(t *testing.T) {
		w, eff, err := ConfirmApplication(e.st, e.tx(), e.as(codeCore), ApplicationDecisionRequest{ApplicationID: app.ID})
		require.NoError(t, err)
		require.Equal(t, StatusIssued, w.Status)
		require.Equal(t, codeT1A, w.Holder)
		require.Equal(t, EventConfirmed, eff.Event.Name)
		a, err := GetApplication(e.st, regulator, app.ID)
		require.NoError(t, err)
		require.Equal(t, ApplicationConfirmed, a.Status)
		require.Equal(t, w.ID, a.WarrantID)
	})
	t.Run("Rejects a second confirmation", func(t *testing.T) {
		e.rejects(CodeInvalidState, func(e *env) error {
			_, _, err := ConfirmApplication(e.st, e.tx(), e.as(codeCore), ApplicationDecisionRequest{ApplicationID: app.ID})
			return err
		})
	})
	t.Run("Rejects an application naming a non-issuer as debtor", func(t *testing.T) {
		r := req
		r.Debtor = codeT1B
		e.rejects(CodeForbidden, func(e *env) error { _, _, err := Apply(e.st, e.tx(), e.as(codeT1A), r); return err })
	})
	t.Run("Declines with a reason", func(t *testing.T) {
		r := req
		r.Trade = e.trade(codeT1A, 5000)
		app2, _, err := Apply(e.st, e.tx(), e.as(codeT1A), r)
		require.NoError(t, err)
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := DeclineApplication(e.st, e.tx(), e.as(codeCore), ApplicationDecisionRequest{ApplicationID: app2.ID})
			return err
		})
		a, _, err := DeclineApplication(e.st, e.tx(), e.as(codeCore), ApplicationDecisionRequest{ApplicationID: app2.ID, Reason: "no such delivery"})
		require.NoError(t, err)
		require.Equal(t, ApplicationDeclined, a.Status)
	})
}

func TestCancel(t *testing.T) {
	t.Run("Cancels an unregistered warrant and restores the credit line (R14)", func(t *testing.T) {
		e := newEnv(t)
		w := e.issue(codeT1A, 7000)
		c, eff, err := Cancel(e.st, e.tx(), e.as(codeCore), CancelRequest{WarrantID: w.ID, Reason: "order withdrawn"})
		require.NoError(t, err)
		require.Equal(t, StatusCancelled, c.Status)
		require.Equal(t, EventCancelled, eff.Event.Name)
		line, _ := GetCreditLine(e.st, regulator, codeCore)
		require.Zero(t, line.Used)
		s, err := GetRootSummary(e.st, regulator, w.ID, e.now)
		require.NoError(t, err)
		require.True(t, s.Cancelled)
		require.Zero(t, s.Outstanding)
		e.conserved(w.ID)
	})
	t.Run("Rejects cancelling a registered warrant", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 7000)
		e.rejects(CodeInvalidState, func(e *env) error {
			_, _, err := Cancel(e.st, e.tx(), e.as(codeCore), CancelRequest{WarrantID: w.ID, Reason: "x"})
			return err
		})
	})
	t.Run("Rejects cancelling by a non-debtor", func(t *testing.T) {
		e := newEnv(t)
		w := e.issue(codeT1A, 7000)
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := Cancel(e.st, e.tx(), e.as(codeT1A), CancelRequest{WarrantID: w.ID, Reason: "x"})
			return err
		})
	})
	t.Run("Rejects cancelling without a reason or with a malformed id", func(t *testing.T) {
		e := newEnv(t)
		w := e.issue(codeT1A, 7000)
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := Cancel(e.st, e.tx(), e.as(codeCore), CancelRequest{WarrantID: w.ID})
			return err
		})
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := Cancel(e.st, e.tx(), e.as(codeCore), CancelRequest{WarrantID: "W1", Reason: "x"})
			return err
		})
		e.rejects(CodeNotFound, func(e *env) error {
			_, _, err := Cancel(e.st, e.tx(), e.as(codeCore), CancelRequest{WarrantID: w.ID + ".001", Reason: "x"})
			return err
		})
	})
}
