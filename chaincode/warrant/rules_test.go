package warrant

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestCheckClockSkew(t *testing.T) {
	now := t0
	for _, c := range []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"the endorser's own time", now, true},
		{"just inside the skew, ahead", now.Add(DefaultMaxClockSkew), true},
		{"just inside the skew, behind", now.Add(-DefaultMaxClockSkew), true},
		{"past the skew, ahead (R19)", now.Add(DefaultMaxClockSkew + time.Nanosecond), false},
		{"past the skew, behind (R19)", now.Add(-DefaultMaxClockSkew - time.Nanosecond), false},
		{"eight days ahead", now.AddDate(0, 0, 8), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckClockSkew(c.at, now, DefaultMaxClockSkew)
			if c.ok {
				require.NoError(t, err)
			} else {
				require.Equal(t, CodeClockSkew, ErrorCode(err))
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"chen-family", "  Chen-Family "},
		{"chen family", "ＣＨＥＮ　ＦＡＭＩＬＹ"},
		{"深圳精工（集团）", "深圳精工(集团)"},
		{"huaxin  group", "HUAXIN group"},
	} {
		require.Equal(t, NormalizeName(c.a), NormalizeName(c.b), "%q vs %q", c.a, c.b)
	}
	require.NotEqual(t, NormalizeName("chen family"), NormalizeName("chen-family"))
}

func TestOnboardingNamesAndControllers(t *testing.T) {
	t.Run("Refuses a second credit code under an onboarded registered name (R3)", func(t *testing.T) {
		e := newEnv(t)
		jinggong := onboarding(codeT1A)
		for _, name := range []string{jinggong.Name, " " + jinggong.Name + " ", "深圳精工模具有限公司\u3000"} {
			e.rejects(CodeAlreadyExists, func(e *env) error {
				_, _, err := OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), OnboardEnterpriseRequest{CreditCode: withCheck("91440300MA5F00201"),
					Name: name, MSPID: MSPAssociation, Roles: []Role{RoleHolder}, Controller: "someone"})
				return err
			})
		}
		e.rejects(CodeAlreadyExists, func(e *env) error {
			_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: codeT2A, Name: jinggong.Name})
			return err
		})
	})
	t.Run("Compares controllers normalised: a full-width controller is the same group (R3, R8a)", func(t *testing.T) {
		e := newEnv(t)
		sister := withCheck("91440300MA5F00202")
		e.onboard(sister, MSPAssociation, "ＣＨＥＮ－ＦＡＭＩＬＹ ", RoleHolder)
		got, err := RelatedParties(e.st, regulator, sister)
		require.NoError(t, err)
		require.ElementsMatch(t, []string{codeT1A, codeT1ARel, sister}, got)
		w := e.active(codeT1A, 1000)
		e.rejects(CodeRelatedParty, func(e *env) error {
			_, _, err := SplitTransfer(e.st, e.tx(), e.as(codeT1A), SplitTransferRequest{WarrantID: w.ID, Parts: []Part{{sister, 10}}})
			return err
		})
	})
}

func onboarding(code string) OnboardEnterpriseRequest {
	for _, m := range members {
		if m.CreditCode == code {
			return OnboardEnterpriseRequest{CreditCode: m.CreditCode, Name: m.Name, MSPID: m.Org, Controller: m.Controller}
		}
	}
	return OnboardEnterpriseRequest{}
}

// TestRelationsAlongThePath checks R8a against every earlier holder, not only the sender.
func TestRelationsAlongThePath(t *testing.T) {
	e := newEnv(t)
	w := e.active(codeT1A, 1000)
	part := e.split(codeT1A, w.ID, Part{codeT2A, 400}).Children[0]
	_, _, err := Accept(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
	require.NoError(t, err)
	for _, c := range []struct {
		name      string
		recipient string
		want      Code
	}{
		{"back to an earlier holder: a cycle", codeT1A, CodeRelatedParty},
		{"to a sister company of an earlier holder (A→B→A′)", codeT1ARel, CodeRelatedParty},
		{"to the debtor", codeCore, CodeInvalidArgument},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			e.rejects(c.want, func(e *env) error {
				_, _, err := SplitTransfer(e.st, e.tx(), e.as(codeT2A), SplitTransferRequest{WarrantID: part.ID, Parts: []Part{{c.recipient, 10}}})
				return err
			})
		})
	}
	t.Run("an unrelated recipient is accepted", func(t *testing.T) {
		e.t = t
		e.split(codeT2A, part.ID, Part{codeT3A, 10})
	})
}

// TestRelationsAtEachStep checks that Register, RequestFinancing, Pledge and Factor see a
// relation that appeared after verification (R8a).
func TestRelationsAtEachStep(t *testing.T) {
	joinDebtorGroup := func(e *env) {
		_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: codeT1A, Controller: " HUAXIN-GROUP"})
		require.NoError(e.t, err)
	}
	for _, c := range []struct {
		name string
		op   func(e *env) error
	}{
		{"Register", func(e *env) error {
			w := e.issue(codeT1A, 1000)
			e.verify(w.ID)
			joinDebtorGroup(e)
			return e.try(func() error {
				_, _, err := Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: w.ID})
				return err
			})
		}},
		{"RequestFinancing", func(e *env) error {
			w := e.active(codeT1A, 1000)
			joinDebtorGroup(e)
			return e.try(func() error {
				_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
				return err
			})
		}},
		{"Pledge", func(e *env) error {
			w := e.active(codeT1A, 1000)
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			require.NoError(e.t, err)
			joinDebtorGroup(e)
			return e.try(func() error {
				_, _, err := TakePledge(e.st, e.tx(), e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 500})
				return err
			})
		}},
		{"Factor", func(e *env) error {
			w := e.active(codeT1A, 1000)
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			require.NoError(e.t, err)
			joinDebtorGroup(e)
			return e.try(func() error {
				_, _, err := Factor(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: w.ID})
				return err
			})
		}},
	} {
		t.Run(c.name+" refuses a holder now related to the debtor", func(t *testing.T) {
			e := newEnv(t)
			require.Equal(t, CodeRelatedParty, ErrorCode(c.op(e)))
		})
	}
	t.Run("Financing by a bank related to the holder is refused", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: codeBank, Controller: "chen-family"})
		require.NoError(t, err)
		e.rejects(CodeRelatedParty, func(e *env) error {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			return err
		})
	})
}

// try runs op and requires that it changes nothing if it fails (R18).
func (e *env) try(op func() error) error {
	before := e.st.Snapshot()
	err := op()
	if err != nil {
		requireSameState(e.t, before, e.st.Snapshot())
	}
	return err
}

func TestSuspendedDebtor(t *testing.T) {
	e := newEnv(t)
	w := e.active(codeT1A, 1000)
	asked := e.active(codeT1A, 1000)
	_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: asked.ID, Financier: codeBank})
	require.NoError(t, err)
	_, _, err = SuspendEnterprise(e.st, e.tx(), e.as(codeAssoc), EnterpriseStatusRequest{CreditCode: codeCore, Reason: "fraud inquiry"})
	require.NoError(t, err)
	for _, c := range []struct {
		name string
		op   func(e *env) error
	}{
		{"cannot issue (R3)", func(e *env) error {
			_, _, err := Issue(e.st, e.tx(), e.as(codeCore), e.issueReq(codeT1A, 1000))
			return err
		}},
		{"its warrants cannot be offered for financing", func(e *env) error {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			return err
		}},
		{"its warrants cannot be pledged", func(e *env) error {
			_, _, err := TakePledge(e.st, e.tx(), e.as(codeBank), PledgeRequest{WarrantID: asked.ID, Amount: 1})
			return err
		}},
		{"its warrants cannot be factored", func(e *env) error {
			_, _, err := Factor(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: asked.ID})
			return err
		}},
	} {
		t.Run("A suspended debtor "+c.name, func(t *testing.T) {
			e.t = t
			e.rejects(CodeForbidden, c.op)
		})
	}
	t.Run("A suspended debtor still settles at maturity (R12)", func(t *testing.T) {
		e.t = t
		e.now = w.MaturesAt
		s, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "PAY-1", PayingBank: codeBank})
		require.NoError(t, err)
		require.Equal(t, StatusSettling, s.Status)
		require.Equal(t, StatusSettled, e.confirm(w.ID).Status, "the paying bank confirms (R32)")
	})
}

func TestInvoiceIdentity(t *testing.T) {
	digital := func(e *env, code string) IssueRequest {
		r := e.issueReq(codeT1A, 1000)
		r.Trade.Invoices[0].Code, r.Trade.Invoices[0].Number = code, "26442000000000812345"
		return r
	}
	t.Run("A 数电发票 presented with a made-up code is refused (R5, R6)", func(t *testing.T) {
		e := newEnv(t)
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := Issue(e.st, e.tx(), e.as(codeCore), digital(e, "4403261130"))
			return err
		})
	})
	t.Run("A 数电发票 is identified by its number alone (R6)", func(t *testing.T) {
		e := newEnv(t)
		a, _, err := Issue(e.st, e.tx(), e.as(codeCore), digital(e, ""))
		require.NoError(t, err)
		b, _, err := Issue(e.st, e.tx(), e.as(codeCore), digital(e, ""))
		require.NoError(t, err)
		e.verify(a.ID)
		_, _, err = Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: a.ID})
		require.NoError(t, err)
		require.Equal(t, StatusRejected, e.verify(b.ID).Status)
		entry, err := LookupInvoice(e.st, "", "26442000000000812345")
		require.NoError(t, err)
		require.True(t, entry.Registered)
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, err := LookupInvoice(e.st, "4403261130", "26442000000000812345")
			return err
		})
	})
}

// TestNeedToKnowReads checks R20 for every kind of reader.
func TestNeedToKnowReads(t *testing.T) {
	e := newEnv(t)
	w := e.active(codeT1A, 1000)
	part := e.split(codeT1A, w.ID, Part{codeT2A, 400}).Children[0]
	other := e.active(codeT2B, 1000)
	_, _, err := Deposit(e.st, e.tx(), e.as(codeT2B), DepositRequest{WarrantID: other.ID, Custodian: codeBank})
	require.NoError(t, err)
	outsider := e.as(codeT3A)
	reads := map[string]func(c Caller) error{
		"GetWarrant":  func(c Caller) error { _, err := GetWarrant(e.st, c, part.ID); return err },
		"Lineage":     func(c Caller) error { _, err := Lineage(e.st, c, LineageRequest{RootID: w.ID}); return err },
		"RootSummary": func(c Caller) error { _, err := GetRootSummary(e.st, c, w.ID, e.now); return err },
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			for _, c := range []Caller{e.as(codeCore), e.as(codeT1A), e.as(codeT2A), e.as(codeAssoc), regulator} {
				require.NoError(t, read(c), "%+v", c)
			}
			for _, c := range []Caller{outsider, e.as(codeBank), NewCaller(MSPBank, codeT1A, "holder"), NewCaller(MSPAssociation, "", "admin")} {
				require.Equal(t, CodeForbidden, ErrorCode(read(c)), "%+v", c)
			}
		})
	}
	t.Run("The custodian reads the warrant in its custody", func(t *testing.T) {
		_, err := GetWarrant(e.st, e.as(codeBank), other.ID)
		require.NoError(t, err)
	})
	t.Run("Lists answer only to the party and the association", func(t *testing.T) {
		_, err := ListByHolder(e.st, e.as(codeT1A), ListRequest{Party: codeT1A})
		require.NoError(t, err)
		_, err = ListByDebtor(e.st, e.as(codeCore), ListRequest{Party: codeCore})
		require.NoError(t, err)
		_, err = ListByHolder(e.st, e.as(codeT2A), ListRequest{Party: codeT1A})
		require.Equal(t, CodeForbidden, ErrorCode(err))
		_, err = ListByDebtor(e.st, e.as(codeT1A), ListRequest{Party: codeCore})
		require.Equal(t, CodeForbidden, ErrorCode(err))
	})
	t.Run("Registry lookups answer any member with the public entry only", func(t *testing.T) {
		entry, err := LookupRegistryNo(e.st, other.RegistryNo)
		require.NoError(t, err)
		require.Equal(t, RegistryEntry{Registered: true, RegistryNo: other.RegistryNo, Status: StatusActive, Encumbered: true,
			Amount: other.Amount, MaturesAt: other.MaturesAt}, *entry)
	})
}

// TestNeedToKnowRegister checks R20 beyond warrants: an enterprise's register entry
// is public but its controller is not, related parties answer only to the enterprise
// and the association, a credit line only to its bank, its debtor and the association,
// an application only to its applicant, its debtor and the association.
func TestNeedToKnowRegister(t *testing.T) {
	e := newEnv(t)
	trade := e.trade(codeT1A, 700)
	app, _, err := Apply(e.st, e.tx(), e.as(codeT1A), ApplyRequest{Debtor: codeCore, Amount: 700,
		MaturesAt: e.now.AddDate(0, 0, 60), Trade: trade})
	require.NoError(t, err)
	supplier := e.as(codeT2A)
	t.Run("The register entry is public, the controller is not", func(t *testing.T) {
		for _, c := range []Caller{e.as(codeT1A), regulator} {
			got, err := GetEnterprise(e.st, c, codeT1A)
			require.NoError(t, err)
			require.NotEmpty(t, got.Controller)
		}
		got, err := GetEnterprise(e.st, supplier, codeT1A)
		require.NoError(t, err)
		require.Equal(t, codeT1A, got.CreditCode)
		require.NotEmpty(t, got.Name)
		require.Equal(t, EnterpriseActive, got.Status)
		require.Empty(t, got.Controller, "another supplier learns no controller")
	})
	cases := []struct {
		name    string
		read    func(c Caller) error
		allowed []Caller
		refused []Caller
	}{
		{"RelatedParties", func(c Caller) error { _, err := RelatedParties(e.st, c, codeT1A); return err },
			[]Caller{e.as(codeT1A), regulator}, []Caller{supplier, e.as(codeBank), e.as(codeCore)}},
		{"GetCreditLine", func(c Caller) error { _, err := GetCreditLine(e.st, c, codeCore); return err },
			[]Caller{e.as(codeBank), e.as(codeCore), regulator}, []Caller{supplier, e.as(codeT1A)}},
		{"GetApplication", func(c Caller) error { _, err := GetApplication(e.st, c, app.ID); return err },
			[]Caller{e.as(codeT1A), e.as(codeCore), regulator}, []Caller{supplier, e.as(codeBank)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, reader := range c.allowed {
				require.NoError(t, c.read(reader), "%+v", reader)
			}
			for _, reader := range c.refused {
				require.Equal(t, CodeForbidden, ErrorCode(c.read(reader)), "%+v", reader)
			}
		})
	}
}
