package warrant

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestOnboardEnterprise(t *testing.T) {
	valid := OnboardEnterpriseRequest{CreditCode: withCheck("91440300MA5F00001"), Name: "新供应商", MSPID: MSPAssociation,
		Roles: []Role{RoleHolder}, Controller: "new-owner"}
	t.Run("Onboards an enterprise with its controller index (R3)", func(t *testing.T) {
		e := newEnv(t)
		ent, eff, err := OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), valid)
		require.NoError(t, err)
		require.Equal(t, EnterpriseActive, ent.Status)
		require.Equal(t, EventEnterpriseOnboarded, eff.Event.Name)
		rel, err := RelatedParties(e.st, regulator, codeT1A)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{codeT1A, codeT1ARel}, rel)
	})
	cases := []struct {
		name string
		want Code
		edit func(c *Caller, r *OnboardEnterpriseRequest)
	}{
		{"Rejects a non-admin", CodeForbidden, func(c *Caller, r *OnboardEnterpriseRequest) { *c = NewCaller(MSPBank, codeBank, "admin") }},
		{"Rejects an invalid credit code", CodeInvalidArgument, func(c *Caller, r *OnboardEnterpriseRequest) { r.CreditCode = "91440300MA5F000010" }},
		{"Rejects an existing enterprise", CodeAlreadyExists, func(c *Caller, r *OnboardEnterpriseRequest) { r.CreditCode = codeT1A }},
		{"Rejects an unknown org", CodeInvalidArgument, func(c *Caller, r *OnboardEnterpriseRequest) { r.MSPID = "EvilMSP" }},
		{"Rejects a role its org may not hold (R2)", CodeInvalidArgument, func(c *Caller, r *OnboardEnterpriseRequest) { r.Roles = []Role{RoleIssuer} }},
		{"Rejects an unknown role", CodeInvalidArgument, func(c *Caller, r *OnboardEnterpriseRequest) { r.Roles = []Role{"boss"} }},
		{"Rejects duplicate roles", CodeInvalidArgument, func(c *Caller, r *OnboardEnterpriseRequest) { r.Roles = []Role{RoleHolder, RoleHolder} }},
		{"Rejects a missing name", CodeInvalidArgument, func(c *Caller, r *OnboardEnterpriseRequest) { r.Name = "" }},
		{"Rejects a missing controller", CodeInvalidArgument, func(c *Caller, r *OnboardEnterpriseRequest) { r.Controller = "" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c, r := e.as(codeAssoc), valid
			tc.edit(&c, &r)
			e.rejects(tc.want, func(e *env) error { _, _, err := OnboardEnterprise(e.st, e.tx(), c, r); return err })
		})
	}
}

func TestEnterpriseStatus(t *testing.T) {
	e := newEnv(t)
	t.Run("Suspends, blocks the enterprise, and reinstates", func(t *testing.T) {
		_, eff, err := SuspendEnterprise(e.st, e.tx(), e.as(codeAssoc), EnterpriseStatusRequest{CreditCode: codeCore, Reason: "court order"})
		require.NoError(t, err)
		require.Equal(t, EventEnterpriseSuspended, eff.Event.Name)
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := Issue(e.st, e.tx(), e.as(codeCore), e.issueReq(codeT1A, 10))
			return err
		})
		e.rejects(CodeInvalidState, func(e *env) error {
			_, _, err := SuspendEnterprise(e.st, e.tx(), e.as(codeAssoc), EnterpriseStatusRequest{CreditCode: codeCore, Reason: "again"})
			return err
		})
		_, _, err = ReinstateEnterprise(e.st, e.tx(), e.as(codeAssoc), EnterpriseStatusRequest{CreditCode: codeCore, Reason: "lifted"})
		require.NoError(t, err)
		e.issue(codeT1A, 10)
	})
	t.Run("Updates the controller index", func(t *testing.T) {
		_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: codeT1ARel, Controller: "sold"})
		require.NoError(t, err)
		rel, err := RelatedParties(e.st, regulator, codeT1A)
		require.NoError(t, err)
		require.Equal(t, []string{codeT1A}, rel)
	})
	t.Run("Rejects updates by a non-admin or of an unknown enterprise", func(t *testing.T) {
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeT1A), UpdateEnterpriseRequest{CreditCode: codeT1A, Name: "x"})
			return err
		})
		e.rejects(CodeNotFound, func(e *env) error {
			_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: withCheck("91440300MA5F00009"), Name: "x"})
			return err
		})
	})
}

func TestParams(t *testing.T) {
	e := newEnv(t)
	p, err := GetParams(e.st)
	require.NoError(t, err)
	require.Equal(t, DefaultParams(), *p)
	t.Run("Sets valid parameters (admin)", func(t *testing.T) {
		np := DefaultParams()
		np.MaxParts = 3
		got, eff, err := SetParams(e.st, e.tx(), e.as(codeAssoc), np)
		require.NoError(t, err)
		require.Equal(t, 3, got.MaxParts)
		require.Equal(t, EventParamsSet, eff.Event.Name)
	})
	for name, edit := range map[string]func(*Params){
		"Rejects a zero cap":            func(p *Params) { p.AmountCap = 0 },
		"Rejects a tenor over one year": func(p *Params) { p.MaxTenorDays = 400 },
		"Rejects more than 100 parts":   func(p *Params) { p.MaxParts = 101 },
		"Rejects a zero minimum unit":   func(p *Params) { p.MinUnit = 0 },
		"Rejects a zero depth":          func(p *Params) { p.MaxDepth = 0 },
		"Rejects a zero window":         func(p *Params) { p.AcceptanceWindowDays = 0 },
	} {
		t.Run(name, func(t *testing.T) {
			np := DefaultParams()
			edit(&np)
			e.rejects(CodeInvalidArgument, func(e *env) error { _, _, err := SetParams(e.st, e.tx(), e.as(codeAssoc), np); return err })
		})
	}
	t.Run("Rejects a non-admin", func(t *testing.T) {
		e.rejects(CodeForbidden, func(e *env) error { _, _, err := SetParams(e.st, e.tx(), e.as(codeBank), DefaultParams()); return err })
	})
}

func TestSetCreditLine(t *testing.T) {
	e := newEnv(t)
	t.Run("Rejects a non-financier", func(t *testing.T) {
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := SetCreditLine(e.st, e.tx(), e.as(codeCore), SetCreditLineRequest{Debtor: codeCore, Limit: 5})
			return err
		})
	})
	t.Run("Rejects a debtor that is not a core enterprise", func(t *testing.T) {
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := SetCreditLine(e.st, e.tx(), e.as(codeBank), SetCreditLineRequest{Debtor: codeT1A, Limit: 5})
			return err
		})
	})
	t.Run("Rejects a negative limit", func(t *testing.T) {
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := SetCreditLine(e.st, e.tx(), e.as(codeBank), SetCreditLineRequest{Debtor: codeCore, Limit: -1})
			return err
		})
	})
	t.Run("Rejects a change by a financier other than the one that set the line (R4a)", func(t *testing.T) {
		other := e.onboard(withCheck("91440300MA5F00201"), MSPBank, "other-bank-group", RoleFinancier)
		for _, limit := range []int64{0, 5, 2e12} {
			e.rejects(CodeForbidden, func(e *env) error {
				_, _, err := SetCreditLine(e.st, e.tx(), other, SetCreditLineRequest{Debtor: codeCore, Limit: limit})
				return err
			})
		}
	})
	t.Run("Keeps the used amount when the limit changes", func(t *testing.T) {
		e.issue(codeT1A, 100)
		l, _, err := SetCreditLine(e.st, e.tx(), e.as(codeBank), SetCreditLineRequest{Debtor: codeCore, Limit: 150})
		require.NoError(t, err)
		require.EqualValues(t, 100, l.Used)
		require.EqualValues(t, 50, l.Available())
	})
}
