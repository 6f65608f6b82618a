package contracts_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// TestFinanceContract covers financing (R11): pledge with its registration, no
// double pledge, no empty pledge, no movement while pledged, release, factoring.
func TestFinanceContract(t *testing.T) {
	root := newLedger(t)
	root.onboard()
	ask := func(l *ledger, w warrant.Warrant) {
		l.t.Helper()
		l.mustSubmit(userOf[w.Holder], "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: w.ID, Financier: codeBank}, nil)
	}
	pledge := func(id string, amount int64) warrant.PledgeRequest {
		return warrant.PledgeRequest{WarrantID: id, Amount: amount}
	}

	t.Run("The asked bank takes a registered pledge", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		var asked warrant.Warrant
		l.mustSubmit(asJinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: w.ID, Financier: codeBank}, &asked)
		require.Equal(t, codeBank, asked.FinanceRequest.Financier)
		var pledged warrant.Warrant
		l.mustSubmit(asBank, "finance:Pledge", pledge(w.ID, 8_000), &pledged)
		require.Equal(t, warrant.StatusPledged, pledged.Status)
		require.Equal(t, codeBank, pledged.Pledge.Pledgee)
		require.Equal(t, int64(8_000), pledged.Pledge.Amount)
		require.True(t, strings.HasPrefix(pledged.Pledge.RegistryNo, "ZY"), pledged.Pledge.RegistryNo)
		require.False(t, pledged.Pledge.RegisteredAt.IsZero())
		require.Equal(t, entryOf(pledged), l.lookup("query:LookupRegistryNo", pledged.Pledge.RegistryNo))
		require.Len(t, l.list("query:ListByHolder", codeT1A, warrant.StatusPledged), 1)
	})

	t.Run("A pledge breaking R11 is rejected and writes nothing", func(t *testing.T) {
		l := root.in(t)
		notAsked, issued, asked := l.active(10_000), l.issue(10_000), l.active(10_000)
		ask(l, asked)
		offered, _ := l.offer(l.active(10_000), codeT2A, 5_000)
		pledged := l.active(10_000)
		ask(l, pledged)
		l.mustSubmit(asBank, "finance:Pledge", pledge(pledged.ID, 10_000), nil)
		for _, c := range []struct {
			name    string
			as      string
			request warrant.PledgeRequest
			want    warrant.Code
		}{
			{"without the holder's request", asBank, pledge(notAsked.ID, 1_000), warrant.CodeForbidden},
			{"by a supplier", asJinggong, pledge(asked.ID, 1_000), warrant.CodeForbidden},
			{"by a financier in the wrong org", asAssocTeller, pledge(asked.ID, 1_000), warrant.CodeForbidden},
			{"for nothing", asBank, pledge(asked.ID, 0), warrant.CodeInvalidArgument},
			{"for more than the warrant", asBank, pledge(asked.ID, 10_001), warrant.CodeInvalidArgument},
			{"on an unregistered warrant", asBank, pledge(issued.ID, 1_000), warrant.CodeInvalidState},
			{"on a part awaiting acceptance", asBank, pledge(offered.ID, 1_000), warrant.CodeInvalidState},
			{"a second pledge", asBank, pledge(pledged.ID, 1_000), warrant.CodePledged},
		} {
			snapshots := []snapshot{l.snapshot(notAsked.ID), l.snapshot(issued.ID), l.snapshot(asked.ID), l.snapshot(offered.ID), l.snapshot(pledged.ID)}
			l.rejected(l.submit(c.as, "finance:Pledge", c.request, nil), c.want, snapshots...)
		}
	})

	t.Run("Only the holder asks for financing, of a registered warrant and a bank", func(t *testing.T) {
		l := root.in(t)
		w, issued := l.active(10_000), l.issue(10_000)
		offered, _ := l.offer(l.active(10_000), codeT2A, 5_000)
		for _, c := range []struct {
			name    string
			as      string
			request warrant.FinancingRequest
			want    warrant.Code
		}{
			{"a caller who is not the holder", asHengda, warrant.FinancingRequest{WarrantID: w.ID, Financier: codeBank}, warrant.CodeForbidden},
			{"a financier that is no bank", asJinggong, warrant.FinancingRequest{WarrantID: w.ID, Financier: codeT2A}, warrant.CodeForbidden},
			{"a financier not onboarded", asJinggong, warrant.FinancingRequest{WarrantID: w.ID, Financier: codeT1B}, warrant.CodeNotFound},
			{"an unregistered warrant", asJinggong, warrant.FinancingRequest{WarrantID: issued.ID, Financier: codeBank}, warrant.CodeInvalidState},
			{"a part awaiting acceptance", asHengda, warrant.FinancingRequest{WarrantID: offered.ID, Financier: codeBank}, warrant.CodeInvalidState},
		} {
			snapshots := []snapshot{l.snapshot(w.ID), l.snapshot(issued.ID), l.snapshot(offered.ID)}
			l.rejected(l.submit(c.as, "finance:RequestFinancing", c.request, nil), c.want, snapshots...)
		}
	})

	t.Run("A pledged warrant cannot move until the pledgee releases it", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		ask(l, w)
		l.mustSubmit(asBank, "finance:Pledge", pledge(w.ID, 10_000), nil)
		before := l.snapshot(w.ID)
		l.rejected(l.submit(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: w.ID,
			Parts: []warrant.Part{{Recipient: codeT2A, Amount: 1_000}}}, nil), warrant.CodePledged, before)
		l.rejected(l.submit(asJinggong, "custody:Deposit", warrant.DepositRequest{WarrantID: w.ID, Custodian: codeBank}, nil), warrant.CodePledged, before)
		l.rejected(l.submit(asJinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: w.ID, Financier: codeBank}, nil), warrant.CodePledged, before)
		l.rejected(l.submit(asBank, "finance:Factor", warrant.BankWarrantRequest{WarrantID: w.ID}, nil), warrant.CodePledged, before)
		l.rejected(l.submit(asJinggong, "finance:ReleasePledge", warrant.BankWarrantRequest{WarrantID: w.ID}, nil), warrant.CodeForbidden, before)

		var released warrant.Warrant
		l.mustSubmit(asBank, "finance:ReleasePledge", warrant.BankWarrantRequest{WarrantID: w.ID}, &released)
		require.Equal(t, warrant.StatusActive, released.Status)
		require.Nil(t, released.Pledge)
		again := l.snapshot(w.ID)
		l.rejected(l.submit(asBank, "finance:ReleasePledge", warrant.BankWarrantRequest{WarrantID: w.ID}, nil), warrant.CodeInvalidState, again)
		l.transfer(w, codeT2A, 1_000)
	})

	t.Run("Factoring makes the bank the holder through a recorded sale", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		before := l.snapshot(w.ID)
		l.rejected(l.submit(asBank, "finance:Factor", warrant.BankWarrantRequest{WarrantID: w.ID}, nil), warrant.CodeForbidden, before)
		ask(l, w)
		var result warrant.SplitResult
		l.mustSubmit(asBank, "finance:Factor", warrant.BankWarrantRequest{WarrantID: w.ID}, &result)
		require.Equal(t, warrant.StatusSplit, result.Parent.Status)
		require.Len(t, result.Children, 1)
		bought := result.Children[0]
		require.Equal(t, codeBank, bought.Holder)
		require.Equal(t, w.Amount, bought.Amount)
		require.Equal(t, warrant.StatusActive, bought.Status)
		l.conserved(w.ID)

		// The bank passes part on; the new holder cannot sell it back to the bank (R8a).
		atHengda, _ := l.transfer(bought, codeT2A, 4_000)
		ask(l, atHengda)
		cycle := l.snapshot(atHengda.ID)
		l.rejected(l.submit(asBank, "finance:Factor", warrant.BankWarrantRequest{WarrantID: atHengda.ID}, nil), warrant.CodeRelatedParty, cycle)
		var pledged warrant.Warrant
		l.mustSubmit(asBank, "finance:Pledge", pledge(atHengda.ID, 4_000), &pledged)
		require.Equal(t, warrant.StatusPledged, pledged.Status)
	})
}
