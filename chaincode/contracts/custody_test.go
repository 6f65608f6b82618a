package contracts_test

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// TestCustodyContract covers custody (R10): after a deposit every change of the
// warrant needs the custodian bank's endorsement, enforced by the peers' validation
// of the state-based endorsement policy on the warrant's key.
func TestCustodyContract(t *testing.T) {
	root := newLedger(t)
	root.onboard()
	deposit := func(id string) warrant.DepositRequest {
		return warrant.DepositRequest{WarrantID: id, Custodian: codeBank}
	}
	withoutBank := []string{"CoreEnterpriseMSP", "AssociationMSP"}

	t.Run("The holder deposits with a custodian bank, recorded on the warrant and in history", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		var deposited warrant.Warrant
		l.mustSubmit(asJinggong, "custody:Deposit", deposit(w.ID), &deposited)
		require.Equal(t, codeBank, deposited.Custodian)
		require.Equal(t, warrant.StatusActive, deposited.Status)
		history := l.history(w.ID)
		require.Len(t, history, 6, "two attestations before the verification")
		require.Equal(t, codeBank, history[0].Warrant.Custodian, "newest first")
		require.Empty(t, history[1].Warrant.Custodian)
	})

	t.Run("A deposit breaking R10 is rejected and writes nothing", func(t *testing.T) {
		l := root.in(t)
		w, issued := l.active(10_000), l.issue(10_000)
		held := l.active(10_000)
		l.mustSubmit(asJinggong, "custody:Deposit", deposit(held.ID), nil)
		for _, c := range []struct {
			name    string
			as      string
			request warrant.DepositRequest
			want    warrant.Code
		}{
			{"a caller who is not the holder", asHengda, deposit(w.ID), warrant.CodeForbidden},
			{"the bank itself", asBank, deposit(w.ID), warrant.CodeForbidden},
			{"a custodian without the role", asJinggong, warrant.DepositRequest{WarrantID: w.ID, Custodian: codeT2A}, warrant.CodeForbidden},
			{"a custodian not onboarded", asJinggong, warrant.DepositRequest{WarrantID: w.ID, Custodian: codeT1B}, warrant.CodeNotFound},
			{"an unregistered warrant", asJinggong, deposit(issued.ID), warrant.CodeInvalidState},
			{"a warrant already in custody", asJinggong, deposit(held.ID), warrant.CodeCustody},
		} {
			snapshots := []snapshot{l.snapshot(w.ID), l.snapshot(issued.ID), l.snapshot(held.ID)}
			l.rejected(l.submit(c.as, "custody:Deposit", c.request, nil), c.want, snapshots...)
		}
	})

	t.Run("A change without the custodian's endorsement fails validation; with it, it commits", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		l.mustSubmit(asJinggong, "custody:Deposit", deposit(w.ID), nil)
		request := warrant.SplitTransferRequest{WarrantID: w.ID, Parts: []warrant.Part{{Recipient: codeT2A, Amount: 4_000}}}
		before := l.snapshot(w.ID)
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, commitCode(t, l.submitEndorsedBy(asJinggong, "transfer:SplitTransfer", request, withoutBank...)))
		l.unchanged(before)
		require.Len(t, l.lineage(w.ID, 0), 1)

		var result warrant.SplitResult
		l.mustSubmit(asJinggong, "transfer:SplitTransfer", request, &result)
		offered, remainder := child(l, result, codeT2A), child(l, result, codeT1A)
		require.Empty(t, offered.Custodian, "the part offered leaves custody")
		require.Equal(t, codeBank, remainder.Custodian, "the remainder stays in custody")

		kept := l.snapshot(remainder.ID)
		again := warrant.SplitTransferRequest{WarrantID: remainder.ID, Parts: []warrant.Part{{Recipient: codeT2B, Amount: 1_000}}}
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, commitCode(t, l.submitEndorsedBy(asJinggong, "transfer:SplitTransfer", again, withoutBank...)))
		l.unchanged(kept)
		require.NoError(t, l.submitEndorsedBy(asHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: offered.ID}, withoutBank...),
			"the offered part carries no custody policy")
	})

	t.Run("Only the custodian releases; afterwards the bank's endorsement is no longer needed", func(t *testing.T) {
		l := root.in(t)
		w, free := l.active(10_000), l.active(10_000)
		l.mustSubmit(asJinggong, "custody:Deposit", deposit(w.ID), nil)
		release := warrant.ReleaseCustodyRequest{WarrantID: w.ID}
		before := []snapshot{l.snapshot(w.ID), l.snapshot(free.ID)}
		l.rejected(l.submit(asJinggong, "custody:Release", release, nil), warrant.CodeForbidden, before...)
		l.rejected(l.submit(asAssocTeller, "custody:Release", release, nil), warrant.CodeForbidden, before...)
		l.rejected(l.submit(asBank, "custody:Release", warrant.ReleaseCustodyRequest{WarrantID: free.ID}, nil), warrant.CodeCustody, before...)
		var released warrant.Warrant
		l.mustSubmit(asBank, "custody:Release", release, &released)
		require.Empty(t, released.Custodian)
		require.Len(t, l.history(w.ID), 7, "issued, attested twice, verified, registered, deposited, released")
		request := warrant.SplitTransferRequest{WarrantID: w.ID, Parts: []warrant.Part{{Recipient: codeT2A, Amount: 4_000}}}
		require.NoError(t, l.submitEndorsedBy(asJinggong, "transfer:SplitTransfer", request, withoutBank...))
		require.Equal(t, warrant.StatusSplit, l.warrant(w.ID).Status)
	})

	t.Run("A warrant in custody can be pledged with the custodian's endorsement", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		l.mustSubmit(asJinggong, "custody:Deposit", deposit(w.ID), nil)
		financing := warrant.FinancingRequest{WarrantID: w.ID, Financier: codeBank}
		before := l.snapshot(w.ID)
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, commitCode(t, l.submitEndorsedBy(asJinggong, "finance:RequestFinancing", financing, withoutBank...)))
		l.unchanged(before)
		l.mustSubmit(asJinggong, "finance:RequestFinancing", financing, nil)
		var pledged warrant.Warrant
		l.mustSubmit(asBank, "finance:Pledge", warrant.PledgeRequest{WarrantID: w.ID, Amount: 10_000}, &pledged)
		require.Equal(t, warrant.StatusPledged, pledged.Status)
		require.Equal(t, codeBank, pledged.Custodian)
	})
}
