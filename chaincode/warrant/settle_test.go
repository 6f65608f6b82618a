package warrant

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSettle(t *testing.T) {
	t.Run("Pays the holder at maturity, restores the line, updates the summary (R12)", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		e.now = w.MaturesAt
		s, eff, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "ECNY-0001", PayingBank: codeBank})
		require.NoError(t, err)
		require.Equal(t, StatusSettling, s.Status)
		require.Equal(t, codeT1A, s.Settlement.Payee)
		require.Equal(t, EventSettled, eff.Event.Name)
		s = e.confirm(w.ID)
		require.Equal(t, StatusSettled, s.Status)
		line, _ := GetCreditLine(e.st, regulator, codeCore)
		require.Zero(t, line.Used)
		sum, err := GetRootSummary(e.st, regulator, w.ID, e.now)
		require.NoError(t, err)
		require.EqualValues(t, 1000, sum.Settled)
		require.Zero(t, sum.Outstanding)
		e.conserved(w.ID)
	})
	t.Run("Pays the pledgee of a pledged leaf", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		e.pledge(w.ID, codeT1A, 500)
		e.now = w.MaturesAt
		s, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "BANK-1", PayingBank: codeBank})
		require.NoError(t, err)
		require.Equal(t, codeBank, s.Settlement.Payee)
	})
	cases := []struct {
		name  string
		want  Code
		setup func(e *env, w *Warrant) (Caller, SettleRequest)
	}{
		{"Rejects settling before maturity", CodeNotMatured, func(e *env, w *Warrant) (Caller, SettleRequest) {
			e.now = w.MaturesAt.Add(-1)
			return e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "P", PayingBank: codeBank}
		}},
		{"Rejects a caller who is not the debtor's issuer", CodeForbidden, func(e *env, w *Warrant) (Caller, SettleRequest) {
			return e.as(codeT1A), SettleRequest{WarrantID: w.ID, PaymentRef: "P", PayingBank: codeBank}
		}},
		{"Rejects a missing payment reference", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SettleRequest) {
			return e.as(codeCore), SettleRequest{WarrantID: w.ID}
		}},
		{"Rejects a split parent", CodeInvalidState, func(e *env, w *Warrant) (Caller, SettleRequest) {
			e.now = t0
			e.split(codeT1A, w.ID, Part{codeT2A, 1})
			e.now = w.MaturesAt
			return e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "P", PayingBank: codeBank}
		}},
		{"Rejects a frozen leaf", CodeFrozen, func(e *env, w *Warrant) (Caller, SettleRequest) {
			_, _, err := Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID, Reason: "court"})
			require.NoError(e.t, err)
			return e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "P", PayingBank: codeBank}
		}},
		{"Rejects settling twice", CodeInvalidState, func(e *env, w *Warrant) (Caller, SettleRequest) {
			_, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "P", PayingBank: codeBank})
			require.NoError(e.t, err)
			return e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "P2", PayingBank: codeBank}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.active(codeT1A, 1000)
			e.now = w.MaturesAt
			c, r := tc.setup(e, w)
			e.rejects(tc.want, func(e *env) error { _, _, err := Settle(e.st, e.tx(), c, r); return err })
		})
	}
}

func TestSettleRoot(t *testing.T) {
	e := newEnv(t)
	w := e.active(codeT1A, 1000)
	res := e.split(codeT1A, w.ID, Part{codeT2A, 100}, Part{codeT2B, 200}, Part{codeT3A, 300})
	e.accept(codeT2A, res.Children[0].ID)
	e.accept(codeT2B, res.Children[1].ID)
	e.rejects(CodeNotMatured, func(e *env) error {
		_, _, err := SettleRoot(e.st, e.tx(), e.as(codeCore), SettleRootRequest{RootID: w.ID, PaymentRef: "BATCH", PayingBank: codeBank})
		return err
	})
	e.now = w.MaturesAt.AddDate(0, 0, 1)
	t.Run("Settles page by page and reports unpaid leaves as overdue (R12)", func(t *testing.T) {
		p1, eff, err := SettleRoot(e.st, e.tx(), e.as(codeCore), SettleRootRequest{RootID: w.ID, PaymentRef: "BATCH", PayingBank: codeBank, PageSize: 2})
		require.NoError(t, err)
		require.Len(t, p1.Settled, 2)
		for _, leaf := range p1.Settled {
			require.Equal(t, StatusSettling, leaf.Status)
			e.confirm(leaf.ID)
		}
		require.NotEmpty(t, p1.NextBookmark)
		require.Equal(t, EventRootSettled, eff.Event.Name)
		e.conserved(w.ID)
		p2, _, err := SettleRoot(e.st, e.tx(), e.as(codeCore), SettleRootRequest{RootID: w.ID, PaymentRef: "BATCH", PayingBank: codeBank, PageSize: 2, Bookmark: p1.NextBookmark})
		require.NoError(t, err)
		require.Len(t, p2.Settled, 1, "the remainder")
		require.Len(t, p2.Skipped, 1, "the pending part")
		require.Equal(t, res.Children[2].ID, p2.Skipped[0].WarrantID)
		require.EqualValues(t, 400, p2.Summary.Settling, "initiated, not yet confirmed")
		e.confirm(p2.Settled[0].ID)
		p2.Summary = *e.summary(w.ID)
		require.Empty(t, p2.NextBookmark)
		require.EqualValues(t, 300, p2.Summary.Overdue)
		require.EqualValues(t, 700, p2.Summary.Settled)
		e.conserved(w.ID)
	})
	t.Run("Rejects a bookmark of another query", func(t *testing.T) {
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := SettleRoot(e.st, e.tx(), e.as(codeCore), SettleRootRequest{RootID: w.ID, PaymentRef: "B", PayingBank: codeBank, Bookmark: "AAAA"})
			return err
		})
	})
	t.Run("Rejects a child id as root", func(t *testing.T) {
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := SettleRoot(e.st, e.tx(), e.as(codeCore), SettleRootRequest{RootID: res.Children[0].ID, PaymentRef: "B", PayingBank: codeBank})
			return err
		})
	})
}

func TestFreeze(t *testing.T) {
	e := newEnv(t)
	w := e.active(codeT1A, 1000)
	res := e.split(codeT1A, w.ID, Part{codeT2A, 100}, Part{codeT2B, 200})
	t.Run("Rejects a non-regulator", func(t *testing.T) {
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := Freeze(e.st, e.tx(), e.as(codeBank), FreezeRequest{WarrantID: w.ID, Reason: "x"})
			return err
		})
	})
	t.Run("Rejects a freeze without a reason", func(t *testing.T) {
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID})
			return err
		})
	})
	t.Run("Freezes a live subtree page by page (R13)", func(t *testing.T) {
		r1, eff, err := Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID, Reason: "court order 7", Subtree: true, PageSize: 2})
		require.NoError(t, err)
		require.Equal(t, []string{res.Children[0].ID, res.Children[1].ID}, r1.Changed, "the split root itself is not live")
		require.NotEmpty(t, r1.NextBookmark)
		require.Equal(t, EventFrozen, eff.Event.Name)
		r2, _, err := Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID, Reason: "court order 7", Subtree: true, PageSize: 2, Bookmark: r1.NextBookmark})
		require.NoError(t, err)
		require.Equal(t, []string{res.Children[2].ID}, r2.Changed)
		require.Empty(t, r2.NextBookmark)
		require.True(t, e.get(res.Children[2].ID).Frozen)
	})
	t.Run("Rejects freezing a frozen warrant", func(t *testing.T) {
		e.rejects(CodeInvalidState, func(e *env) error {
			_, _, err := Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: res.Children[2].ID, Reason: "x"})
			return err
		})
	})
	t.Run("Unfreezes one warrant", func(t *testing.T) {
		r, eff, err := Unfreeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: res.Children[2].ID, Reason: "lifted"})
		require.NoError(t, err)
		require.Equal(t, []string{res.Children[2].ID}, r.Changed)
		require.Equal(t, EventUnfrozen, eff.Event.Name)
		require.False(t, e.get(res.Children[2].ID).Frozen)
		e.split(codeT1A, res.Children[2].ID, Part{codeT3A, 1})
	})
}

func TestFreezeNotLive(t *testing.T) {
	cases := []struct {
		name   string
		freeze bool
		target func(e *env, w *Warrant) string
	}{
		{"Rejects freezing a SPLIT warrant alone (R13)", true, func(e *env, w *Warrant) string {
			e.split(codeT1A, w.ID, Part{codeT2A, 100})
			return w.ID
		}},
		{"Rejects unfreezing a SPLIT warrant alone that is not frozen (R13)", false, func(e *env, w *Warrant) string {
			e.split(codeT1A, w.ID, Part{codeT2A, 100})
			return w.ID
		}},
		{"Rejects freezing a SETTLED warrant alone (R13)", true, func(e *env, w *Warrant) string {
			e.now = w.MaturesAt
			_, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "P-1", PayingBank: codeBank})
			require.NoError(e.t, err)
			e.confirm(w.ID)
			return w.ID
		}},
		{"Rejects freezing a RETURNED part alone (R13)", true, func(e *env, w *Warrant) string {
			part := e.split(codeT1A, w.ID, Part{codeT2A, 100}).Children[0]
			_, _, err := Reject(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
			require.NoError(e.t, err)
			return part.ID
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			id := tc.target(e, e.active(codeT1A, 1000))
			e.rejects(CodeInvalidState, func(e *env) error {
				req := FreezeRequest{WarrantID: id, Reason: "x"}
				if tc.freeze {
					_, _, err := Freeze(e.st, e.tx(), e.as(codeAssoc), req)
					return err
				}
				_, _, err := Unfreeze(e.st, e.tx(), e.as(codeAssoc), req)
				return err
			})
		})
	}
}
