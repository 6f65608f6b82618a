package warrant

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// touch changes w at the current ledger time without changing anything else: a
// regulator freezes and unfreezes it.
func (e *env) touch(id string) {
	e.t.Helper()
	_, _, err := Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: id, Reason: "check"})
	require.NoError(e.t, err)
	_, _, err = Unfreeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: id, Reason: "done"})
	require.NoError(e.t, err)
}

func TestBackdatedTransactions(t *testing.T) {
	// Each case prepares a warrant whose last change is at the current ledger time, moves
	// the ledger time one second back and returns the operation on that warrant.
	cases := []struct {
		name  string
		setup func(e *env, w *Warrant) func(e *env) error
	}{
		{"Rejects a backdated split-transfer (R7)", func(e *env, w *Warrant) func(e *env) error {
			return func(e *env) error {
				_, _, err := SplitTransfer(e.st, e.tx(), e.as(codeT1A), SplitTransferRequest{WarrantID: w.ID, Parts: []Part{{codeT2A, 1}}})
				return err
			}
		}},
		{"Rejects a backdated acceptance (R8)", func(e *env, w *Warrant) func(e *env) error {
			part := e.split(codeT1A, w.ID, Part{codeT2A, 10}).Children[0]
			e.now = e.now.Add(time.Hour)
			e.touch(part.ID)
			return func(e *env) error {
				_, _, err := Accept(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
				return err
			}
		}},
		{"Rejects a backdated rejection (R8)", func(e *env, w *Warrant) func(e *env) error {
			part := e.split(codeT1A, w.ID, Part{codeT2A, 10}).Children[0]
			e.now = e.now.Add(time.Hour)
			e.touch(part.ID)
			return func(e *env) error {
				_, _, err := Reject(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
				return err
			}
		}},
		{"Rejects a reclaim dated after the window but before the last change (R8)", func(e *env, w *Warrant) func(e *env) error {
			part := e.split(codeT1A, w.ID, Part{codeT2A, 10}).Children[0]
			e.now = part.Offer.ExpiresAt.Add(time.Hour)
			e.touch(part.ID)
			return func(e *env) error {
				_, _, err := Reclaim(e.st, e.tx(), e.as(codeT1A), OfferRequest{WarrantID: part.ID})
				return err
			}
		}},
		{"Rejects a settlement dated before the last change (R12)", func(e *env, w *Warrant) func(e *env) error {
			e.now = w.MaturesAt.Add(time.Hour)
			e.touch(w.ID)
			return func(e *env) error {
				_, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "P-1", PayingBank: codeBank})
				return err
			}
		}},
		{"Rejects a backdated deposit (R10)", func(e *env, w *Warrant) func(e *env) error {
			return func(e *env) error {
				_, _, err := Deposit(e.st, e.tx(), e.as(codeT1A), DepositRequest{WarrantID: w.ID, Custodian: codeBank})
				return err
			}
		}},
		{"Rejects a backdated pledge (R11)", func(e *env, w *Warrant) func(e *env) error {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			require.NoError(e.t, err)
			return func(e *env) error {
				_, _, err := TakePledge(e.st, e.tx(), e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 1})
				return err
			}
		}},
		{"Rejects a backdated freeze (R13)", func(e *env, w *Warrant) func(e *env) error {
			return func(e *env) error {
				_, _, err := Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID, Reason: "x"})
				return err
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.active(codeT1A, 1000)
			e.now = e.now.Add(time.Hour)
			e.touch(w.ID)
			op := tc.setup(e, w)
			e.now = e.now.Add(-time.Second)
			e.rejects(CodeInvalidArgument, func(e *env) error {
				err := op(e)
				require.ErrorContains(t, err, "transaction time is before the warrant's last change")
				return err
			})
		})
	}
	t.Run("Accepts a transaction at the same time as the last change", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		e.split(codeT1A, w.ID, Part{codeT2A, 1})
	})
}
