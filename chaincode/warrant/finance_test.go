package warrant

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/test/cast"
)

// pledge has the holder ask the bank and the bank take a pledge.
func (e *env) pledge(id, holder string, amount int64) *Warrant {
	_, _, err := RequestFinancing(e.st, e.tx(), e.as(holder), FinancingRequest{WarrantID: id, Financier: codeBank})
	require.NoError(e.t, err)
	w, _, err := TakePledge(e.st, e.tx(), e.as(codeBank), PledgeRequest{WarrantID: id, Amount: amount})
	require.NoError(e.t, err)
	return w
}

func TestPledge(t *testing.T) {
	t.Run("Registers a pledge and blocks movement until release (R11)", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		p := e.pledge(w.ID, codeT1A, 800)
		require.Equal(t, StatusPledged, p.Status)
		require.Equal(t, codeBank, p.Pledge.Pledgee)
		require.Equal(t, e.now, p.Pledge.RegisteredAt)
		got, err := LookupRegistryNo(e.st, p.Pledge.RegistryNo)
		require.NoError(t, err)
		require.Equal(t, RegistryEntry{Registered: true, RegistryNo: w.RegistryNo, Status: StatusPledged, Encumbered: true,
			Amount: w.Amount, MaturesAt: w.MaturesAt}, *got)
		e.rejects(CodePledged, func(e *env) error {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			return err
		})
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := ReleasePledge(e.st, e.tx(), e.as(codeT1A), BankWarrantRequest{WarrantID: w.ID})
			return err
		})
		r, eff, err := ReleasePledge(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: w.ID})
		require.NoError(t, err)
		require.Equal(t, StatusActive, r.Status)
		require.Nil(t, r.Pledge)
		require.Equal(t, EventPledgeReleased, eff.Event.Name)
		e.split(codeT1A, w.ID, Part{codeT2A, 10})
	})
	cases := []struct {
		name  string
		want  Code
		setup func(e *env, w *Warrant) (Caller, PledgeRequest)
	}{
		{"Rejects a pledge the holder did not ask for", CodeForbidden, func(e *env, w *Warrant) (Caller, PledgeRequest) {
			return e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 1}
		}},
		{"Rejects a second pledge (anti double pledge)", CodePledged, func(e *env, w *Warrant) (Caller, PledgeRequest) {
			e.pledge(w.ID, codeT1A, 1)
			return e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 1}
		}},
		{"Rejects pledging an unregistered warrant (anti empty pledge)", CodeInvalidState, func(e *env, w *Warrant) (Caller, PledgeRequest) {
			return e.as(codeBank), PledgeRequest{WarrantID: e.issue(codeT1A, 5).ID, Amount: 1}
		}},
		{"Rejects pledging a pending part", CodeInvalidState, func(e *env, w *Warrant) (Caller, PledgeRequest) {
			return e.as(codeBank), PledgeRequest{WarrantID: e.split(codeT1A, w.ID, Part{codeT2A, 5}).Children[0].ID, Amount: 1}
		}},
		{"Rejects pledging a frozen warrant", CodeFrozen, func(e *env, w *Warrant) (Caller, PledgeRequest) {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			require.NoError(e.t, err)
			_, _, err = Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID, Reason: "court"})
			require.NoError(e.t, err)
			return e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 1}
		}},
		{"Rejects a pledge over the warrant amount", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, PledgeRequest) {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			require.NoError(e.t, err)
			return e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 1001}
		}},
		{"Rejects a pledge by a non-financier", CodeForbidden, func(e *env, w *Warrant) (Caller, PledgeRequest) {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			require.NoError(e.t, err)
			return NewCaller(MSPBank, codeBank, "custodian"), PledgeRequest{WarrantID: w.ID, Amount: 1}
		}},
		{"Rejects a pledge for a suspended holder (R3)", CodeForbidden, func(e *env, w *Warrant) (Caller, PledgeRequest) {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			require.NoError(e.t, err)
			_, _, err = SuspendEnterprise(e.st, e.tx(), e.as(codeAssoc), EnterpriseStatusRequest{CreditCode: codeT1A, Reason: "court order"})
			require.NoError(e.t, err)
			return e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 1}
		}},
		{"Rejects a pledge after maturity", CodeMatured, func(e *env, w *Warrant) (Caller, PledgeRequest) {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			require.NoError(e.t, err)
			e.now = w.MaturesAt.AddDate(0, 0, 1)
			return e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 1}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.active(codeT1A, 1000)
			c, r := tc.setup(e, w)
			e.rejects(tc.want, func(e *env) error { _, _, err := TakePledge(e.st, e.tx(), c, r); return err })
		})
	}
	t.Run("Rejects a financing request naming a non-bank", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeT1B})
			return err
		})
	})
}

func TestFactor(t *testing.T) {
	t.Run("The bank becomes the holder of a new child (R11)", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
		require.NoError(t, err)
		res, eff, err := Factor(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: w.ID})
		require.NoError(t, err)
		require.Equal(t, StatusSplit, res.Parent.Status)
		require.Equal(t, codeBank, res.Children[0].Holder)
		require.Equal(t, StatusActive, res.Children[0].Status)
		require.Equal(t, EventFactored, eff.Event.Name)
		e.conserved(w.ID)
	})
	ask := func(e *env, w *Warrant, bank string) {
		_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: bank})
		require.NoError(e.t, err)
	}
	cases := []struct {
		name  string
		want  Code
		setup func(e *env, w *Warrant) Caller
	}{
		{"Rejects factoring without the holder's request", CodeForbidden, func(e *env, w *Warrant) Caller { return e.as(codeBank) }},
		{"Rejects factoring for a suspended holder (R3)", CodeForbidden, func(e *env, w *Warrant) Caller {
			ask(e, w, codeBank)
			_, _, err := SuspendEnterprise(e.st, e.tx(), e.as(codeAssoc), EnterpriseStatusRequest{CreditCode: codeT1A, Reason: "court order"})
			require.NoError(e.t, err)
			return e.as(codeBank)
		}},
		{"Rejects factoring by a bank that became a related party of the debtor after the request (R8a)", CodeRelatedParty, func(e *env, w *Warrant) Caller {
			code := withCheck("91440300MA5F00401")
			c := e.onboard(code, MSPBank, "another bank", RoleFinancier, RoleHolder)
			ask(e, w, code)
			_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: code, Controller: cast.Get(cast.Core).Controller})
			require.NoError(e.t, err)
			return c
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.active(codeT1A, 1000)
			c := tc.setup(e, w)
			e.rejects(tc.want, func(e *env) error {
				_, _, err := Factor(e.st, e.tx(), c, BankWarrantRequest{WarrantID: w.ID})
				return err
			})
		})
	}
}

func TestCustody(t *testing.T) {
	e := newEnv(t)
	w := e.active(codeT1A, 1000)
	t.Run("Deposit records the custodian and asks for a key endorsement policy (R10)", func(t *testing.T) {
		d, eff, err := Deposit(e.st, e.tx(), e.as(codeT1A), DepositRequest{WarrantID: w.ID, Custodian: codeBank})
		require.NoError(t, err)
		require.Equal(t, codeBank, d.Custodian)
		key, _ := WarrantKey(w.ID)
		require.Equal(t, []KeyEndorsement{{Key: key, MSPIDs: []string{MSPBank}}}, eff.Endorsements)
		require.Equal(t, EventDeposited, eff.Event.Name)
	})
	t.Run("Rejects a second deposit", func(t *testing.T) {
		e.rejects(CodeCustody, func(e *env) error {
			_, _, err := Deposit(e.st, e.tx(), e.as(codeT1A), DepositRequest{WarrantID: w.ID, Custodian: codeBank})
			return err
		})
	})
	t.Run("A split keeps the remainder in custody", func(t *testing.T) {
		res, eff, err := SplitTransfer(e.st, e.tx(), e.as(codeT1A), SplitTransferRequest{WarrantID: w.ID, Parts: []Part{{codeT2A, 100}}})
		require.NoError(t, err)
		rem := res.Children[1]
		require.Equal(t, codeBank, rem.Custodian)
		require.Empty(t, res.Children[0].Custodian)
		key, _ := WarrantKey(rem.ID)
		require.Equal(t, []KeyEndorsement{{Key: key, MSPIDs: []string{MSPBank}}}, eff.Endorsements)
		t.Run("and only the custodian releases it", func(t *testing.T) {
			e.rejects(CodeForbidden, func(e *env) error {
				_, _, err := ReleaseCustody(e.st, e.tx(), e.as(codeT1A), ReleaseCustodyRequest{WarrantID: rem.ID})
				return err
			})
			r, eff, err := ReleaseCustody(e.st, e.tx(), e.as(codeBank), ReleaseCustodyRequest{WarrantID: rem.ID})
			require.NoError(t, err)
			require.Empty(t, r.Custodian)
			require.Equal(t, []KeyEndorsement{{Key: key}}, eff.Endorsements)
			e.rejects(CodeCustody, func(e *env) error {
				_, _, err := ReleaseCustody(e.st, e.tx(), e.as(codeBank), ReleaseCustodyRequest{WarrantID: rem.ID})
				return err
			})
		})
	})
	t.Run("Rejects a custodian that is not a custodian bank", func(t *testing.T) {
		w := e.active(codeT1A, 10)
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := Deposit(e.st, e.tx(), e.as(codeT1A), DepositRequest{WarrantID: w.ID, Custodian: codeT1B})
			return err
		})
	})
}
