package warrant

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/test/cast"
)

func TestSplitTransfer(t *testing.T) {
	t.Run("Splits into pending parts and an ACTIVE remainder (R7)", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		res, eff, err := SplitTransfer(e.st, e.tx(), e.as(codeT1A), SplitTransferRequest{WarrantID: w.ID,
			Parts: []Part{{codeT2A, 300}, {codeT2B, 200}}})
		require.NoError(t, err)
		require.Equal(t, StatusSplit, res.Parent.Status)
		require.Len(t, res.Children, 3)
		require.Equal(t, w.ID+".001", res.Children[0].ID)
		require.Equal(t, StatusPendingAcceptance, res.Children[0].Status)
		require.Equal(t, codeT2A, res.Children[0].Holder)
		require.Equal(t, codeT1A, res.Children[0].Offer.From)
		require.Equal(t, e.now.AddDate(0, 0, 7), res.Children[0].Offer.ExpiresAt)
		rem := res.Children[2]
		require.Equal(t, codeT1A, rem.Holder)
		require.EqualValues(t, 500, rem.Amount)
		require.Equal(t, StatusActive, rem.Status)
		for _, ch := range res.Children {
			require.Equal(t, w.RootID, ch.RootID)
			require.Equal(t, w.Debtor, ch.Debtor)
			require.Equal(t, w.MaturesAt, ch.MaturesAt)
			require.Equal(t, w.RegistryNo, ch.RegistryNo)
			require.Equal(t, 1, ch.Depth)
		}
		require.Equal(t, EventTransferred, eff.Event.Name)
		p := eventPayload(t, eff.Event)
		require.Equal(t, w.RootID, p.RootID, "notice of assignment: the debtor reads the root's tree (R8, R20)")
		require.Len(t, p.Parts, 3)
		notice, err := GetWarrant(e.st, e.as(codeCore), p.Parts[0].ID)
		require.NoError(t, err)
		require.Equal(t, codeT2A, notice.Holder, "the debtor learns the new holder by querying")
		e.conserved(w.ID)
	})
	t.Run("Leaves no remainder when the parts use the whole amount", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		res := e.split(codeT1A, w.ID, Part{codeT2A, 1000})
		require.Len(t, res.Children, 1)
		e.conserved(w.ID)
	})
	type tc struct {
		name  string
		want  Code
		setup func(e *env, w *Warrant) (Caller, SplitTransferRequest)
	}
	req := func(w *Warrant, parts ...Part) SplitTransferRequest {
		return SplitTransferRequest{WarrantID: w.ID, Parts: parts}
	}
	cases := []tc{
		{"Rejects a caller who is not the holder", CodeForbidden, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1B), req(w, Part{codeT2A, 1})
		}},
		{"Rejects no parts", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) { return e.as(codeT1A), req(w) }},
		{"Rejects a zero part", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{codeT2A, 0})
		}},
		{"Rejects a negative part", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{codeT2A, -1}, Part{codeT2B, 2})
		}},
		{"Rejects parts over the amount", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{codeT2A, 600}, Part{codeT2B, 401})
		}},
		{"Rejects parts that overflow", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{codeT2A, 1 << 62}, Part{codeT2B, 1 << 62}, Part{codeT3A, 1 << 62})
		}},
		{"Rejects duplicate recipients", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{codeT2A, 1}, Part{codeT2A, 2})
		}},
		{"Rejects the sender as recipient", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{codeT1A, 1})
		}},
		{"Rejects the debtor as recipient", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{codeCore, 1})
		}},
		{"Rejects an unknown recipient", CodeNotFound, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{withCheck("91440300MA5F00001"), 1})
		}},
		{"Rejects a recipient without the holder role", CodeForbidden, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{codeAssoc, 1})
		}},
		{"Rejects a related-party recipient (R8a)", CodeRelatedParty, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(w, Part{codeT1ARel, 1})
		}},
		{"Rejects a related party of the debtor as recipient (R8a)", CodeRelatedParty, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			code := withCheck("91440300MA5F00301")
			e.onboard(code, MSPCoreEnterprise, cast.Get(cast.Core).Controller, RoleHolder)
			return e.as(codeT1A), req(w, Part{code, 1})
		}},
		{"Rejects more parts than the parameter", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			p := DefaultParams()
			p.MaxParts = 1
			_, _, err := SetParams(e.st, e.tx(), e.as(codeAssoc), p)
			require.NoError(e.t, err)
			return e.as(codeT1A), req(w, Part{codeT2A, 1}, Part{codeT2B, 1})
		}},
		{"Rejects parts below the minimum unit", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			p := DefaultParams()
			p.MinUnit = 100
			_, _, err := SetParams(e.st, e.tx(), e.as(codeAssoc), p)
			require.NoError(e.t, err)
			return e.as(codeT1A), req(w, Part{codeT2A, 99})
		}},
		{"Rejects splitting past the maximum depth", CodeInvalidArgument, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			p := DefaultParams()
			p.MaxDepth = 1
			_, _, err := SetParams(e.st, e.tx(), e.as(codeAssoc), p)
			require.NoError(e.t, err)
			rem := e.split(codeT1A, w.ID, Part{codeT2A, 1}).Children[1]
			return e.as(codeT1A), req(&rem, Part{codeT2B, 1})
		}},
		{"Rejects a matured warrant", CodeMatured, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			e.now = w.MaturesAt
			return e.as(codeT1A), req(w, Part{codeT2A, 1})
		}},
		{"Rejects a frozen warrant (R13)", CodeFrozen, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			_, _, err := Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: w.ID, Reason: "court"})
			require.NoError(e.t, err)
			return e.as(codeT1A), req(w, Part{codeT2A, 1})
		}},
		{"Rejects a pledged warrant (R11)", CodePledged, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			e.pledge(w.ID, codeT1A, 10)
			return e.as(codeT1A), req(w, Part{codeT2A, 1})
		}},
		{"Rejects an already split warrant", CodeInvalidState, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			e.split(codeT1A, w.ID, Part{codeT2A, 1})
			return e.as(codeT1A), req(w, Part{codeT2B, 1})
		}},
		{"Rejects an unregistered warrant", CodeInvalidState, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			return e.as(codeT1A), req(e.issue(codeT1A, 50), Part{codeT2B, 1})
		}},
		{"Rejects a transfer back to an earlier holder: a cycle (R8a)", CodeRelatedParty, func(e *env, w *Warrant) (Caller, SplitTransferRequest) {
			part := e.split(codeT1A, w.ID, Part{codeT2A, 400}).Children[0]
			e.accept(codeT2A, part.ID)
			return e.as(codeT2A), req(&part, Part{codeT1A, 100})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.active(codeT1A, 1000)
			caller, r := c.setup(e, w)
			e.rejects(c.want, func(e *env) error { _, _, err := SplitTransfer(e.st, e.tx(), caller, r); return err })
		})
	}
	t.Run("Accepts 100 parts and derives ordered child ids", func(t *testing.T) {
		e := newEnv(t)
		var parts []Part
		for i := 0; i < 100; i++ {
			code := withCheck(fmt.Sprintf("91440300MA5F%05d", i))
			_, _, err := OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), OnboardEnterpriseRequest{CreditCode: code, Name: "s" + code,
				MSPID: MSPAssociation, Roles: []Role{RoleHolder}, Controller: code})
			require.NoError(t, err)
			parts = append(parts, Part{code, 10})
		}
		w := e.active(codeT1A, 5000)
		res := e.split(codeT1A, w.ID, parts...)
		require.Len(t, res.Children, 101)
		require.Equal(t, w.ID+".101", res.Children[100].ID)
		e.conserved(w.ID)
	})
}

func (e *env) accept(holder, id string) *Warrant {
	w, _, err := Accept(e.st, e.tx(), e.as(holder), OfferRequest{WarrantID: id})
	require.NoError(e.t, err)
	return w
}

func TestAcceptRejectReclaim(t *testing.T) {
	setup := func(t *testing.T) (*env, *Warrant, Warrant) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		return e, w, e.split(codeT1A, w.ID, Part{codeT2A, 300}).Children[0]
	}
	t.Run("Accepting makes the part ACTIVE (R8)", func(t *testing.T) {
		e, w, part := setup(t)
		got, eff, err := Accept(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
		require.NoError(t, err)
		require.Equal(t, StatusActive, got.Status)
		require.Nil(t, got.Offer)
		require.Equal(t, EventAccepted, eff.Event.Name)
		require.Equal(t, part.ID, eventPayload(t, eff.Event).WarrantID)
		notice, err := GetWarrant(e.st, e.as(codeCore), part.ID)
		require.NoError(t, err)
		require.Equal(t, codeT2A, notice.Holder, "the debtor's notice of assignment, by query (R8, R20)")
		e.conserved(w.ID)
	})
	t.Run("Rejecting returns the part to the sender as a new child (R8)", func(t *testing.T) {
		e, w, part := setup(t)
		res, eff, err := Reject(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
		require.NoError(t, err)
		require.Equal(t, StatusReturned, res.Part.Status)
		require.Equal(t, part.ID+".001", res.Returned.ID)
		require.Equal(t, codeT1A, res.Returned.Holder)
		require.Equal(t, StatusActive, res.Returned.Status)
		require.Equal(t, EventRejected, eff.Event.Name)
		e.conserved(w.ID)
		t.Run("and the sender may offer it to the same recipient again", func(t *testing.T) {
			e.split(codeT1A, res.Returned.ID, Part{codeT2A, 300})
		})
	})
	t.Run("Reclaiming after the window returns the part (R8)", func(t *testing.T) {
		e, w, part := setup(t)
		e.rejects(CodeInvalidState, func(e *env) error {
			_, _, err := Reclaim(e.st, e.tx(), e.as(codeT1A), OfferRequest{WarrantID: part.ID})
			return err
		})
		e.now = part.Offer.ExpiresAt
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := Reclaim(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
			return err
		})
		res, eff, err := Reclaim(e.st, e.tx(), e.as(codeT1A), OfferRequest{WarrantID: part.ID})
		require.NoError(t, err)
		require.Equal(t, codeT1A, res.Returned.Holder)
		require.Equal(t, EventReclaimed, eff.Event.Name)
		e.conserved(w.ID)
	})
	rejections := []struct {
		name string
		want Code
		call func(e *env, part Warrant) error
	}{
		{"Rejects acceptance by someone else", CodeForbidden, func(e *env, part Warrant) error {
			_, _, err := Accept(e.st, e.tx(), e.as(codeT2B), OfferRequest{WarrantID: part.ID})
			return err
		}},
		{"Rejects rejection by the sender", CodeForbidden, func(e *env, part Warrant) error {
			_, _, err := Reject(e.st, e.tx(), e.as(codeT1A), OfferRequest{WarrantID: part.ID})
			return err
		}},
		{"Rejects accepting a warrant that is not pending", CodeInvalidState, func(e *env, part Warrant) error {
			_, _, err := Accept(e.st, e.tx(), e.as(codeT1A), OfferRequest{WarrantID: part.ParentID + ".002"})
			return err
		}},
		{"Rejects accepting a frozen part", CodeFrozen, func(e *env, part Warrant) error {
			_, _, err := Accept(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
			return err
		}},
	}
	for _, tc := range rejections {
		t.Run(tc.name, func(t *testing.T) {
			e, _, part := setup(t)
			if tc.want == CodeFrozen {
				_, _, err := Freeze(e.st, e.tx(), e.as(codeAssoc), FreezeRequest{WarrantID: part.ID, Reason: "order"})
				require.NoError(t, err)
			}
			e.rejects(tc.want, func(e *env) error { return tc.call(e, part) })
		})
	}
}

func TestReturnIntoCustody(t *testing.T) {
	cases := []struct {
		name    string
		release bool // the custodian releases the split warrant before the part comes back
		back    func(e *env, part Warrant) (*ReturnResult, Effects, error)
	}{
		{"A rejected part goes back into the sender's custody (R10)", false, func(e *env, part Warrant) (*ReturnResult, Effects, error) {
			return Reject(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
		}},
		{"A reclaimed part goes back into the sender's custody (R10)", false, func(e *env, part Warrant) (*ReturnResult, Effects, error) {
			e.now = part.Offer.ExpiresAt
			return Reclaim(e.st, e.tx(), e.as(codeT1A), OfferRequest{WarrantID: part.ID})
		}},
		{"A part returned after custody was released comes back out of custody", true, func(e *env, part Warrant) (*ReturnResult, Effects, error) {
			return Reject(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: part.ID})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.active(codeT1A, 1000)
			_, _, err := Deposit(e.st, e.tx(), e.as(codeT1A), DepositRequest{WarrantID: w.ID, Custodian: codeBank})
			require.NoError(t, err)
			part := e.split(codeT1A, w.ID, Part{codeT2A, 1000}).Children[0]
			require.Empty(t, part.Custodian)
			if tc.release {
				_, _, err := ReleaseCustody(e.st, e.tx(), e.as(codeBank), ReleaseCustodyRequest{WarrantID: w.ID})
				require.NoError(t, err)
			}
			res, eff, err := tc.back(e, part)
			require.NoError(t, err)
			if tc.release {
				require.Empty(t, res.Returned.Custodian)
				require.Empty(t, eff.Endorsements)
				return
			}
			require.Equal(t, codeBank, res.Returned.Custodian)
			require.Equal(t, codeBank, e.get(res.Returned.ID).Custodian)
			key, _ := WarrantKey(res.Returned.ID)
			require.Equal(t, []KeyEndorsement{{Key: key, MSPIDs: []string{MSPBank}}}, eff.Endorsements)
			e.conserved(w.ID)
		})
	}
}

// TestPriorHoldersFollowThePath checks the record R8a reads instead of the ancestors:
// every node's prior holders are its ancestors' holders, nearest first, each once,
// without the recipients of parts returned unaccepted (R8a).
func TestPriorHoldersFollowThePath(t *testing.T) {
	e := newEnv(t)
	root, nodes := leafTree(t, e)
	e.accept(codeT2A, nodes[7]) // the part of the remainder's split
	_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT2A), FinancingRequest{WarrantID: nodes[7], Financier: codeBank})
	require.NoError(t, err)
	factored, _, err := Factor(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: nodes[7]})
	require.NoError(t, err)
	nodes = append(nodes, factored.Children[0].ID)
	for _, id := range nodes {
		var want []string
		for a := e.get(id); a.ParentID != ""; {
			a = e.get(a.ParentID)
			if a.Status != StatusReturned && !slices.Contains(want, a.Holder) {
				want = append(want, a.Holder)
			}
		}
		require.Equal(t, want, e.get(id).PriorHolders, "node %s of %s", id, root.ID)
	}
	require.Equal(t, []string{codeT1A}, e.get(nodes[2]).PriorHolders, "T2A returned its part: it never held it")
	require.Equal(t, []string{codeT3A, codeT2B, codeT1A}, e.get(nodes[5]).PriorHolders, "the end of the chain")
	t.Run("Offers a part again to the recipient that returned it", func(t *testing.T) {
		res := e.split(codeT1A, nodes[2], Part{codeT2A, 10})
		require.Equal(t, codeT2A, res.Children[0].Holder)
	})
	t.Run("Refuses a part to an earlier holder", func(t *testing.T) {
		e.accept(codeT1B, nodes[5])
		e.rejects(CodeRelatedParty, func(e *env) error {
			_, _, err := SplitTransfer(e.st, e.tx(), e.as(codeT1B), SplitTransferRequest{WarrantID: nodes[5], Parts: []Part{{codeT2B, 10}}})
			return err
		})
	})
}
