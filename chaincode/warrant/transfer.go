package warrant

import (
	"slices"
)

// Part is one recipient and amount of a split-transfer (R7).
type Part struct {
	Recipient string `json:"recipient"`
	Amount    int64  `json:"amount"`
}

// SplitTransferRequest splits a warrant and offers the parts to their recipients (R7).
type SplitTransferRequest struct {
	RequestID string `json:"requestId,omitempty" metadata:",optional"`
	WarrantID string `json:"warrantId"`
	Parts     []Part `json:"parts"`
}

// SplitResult is the consumed parent and its new children in id order.
type SplitResult struct {
	Parent   Warrant   `json:"parent"`
	Children []Warrant `json:"children"`
}

// OfferRequest names a pending part to accept, reject or reclaim (R8).
type OfferRequest struct {
	RequestID string `json:"requestId,omitempty" metadata:",optional"`
	WarrantID string `json:"warrantId"`
}

// ReturnResult is a rejected or reclaimed part and the child that went back to the sender.
type ReturnResult struct {
	Part     Warrant `json:"part"`
	Returned Warrant `json:"returned"`
}

// SplitTransfer lets the holder split an ACTIVE, unfrozen, unpledged, unmatured warrant
// into parts for recipients (R7, R8a): 1..maxParts parts, each >= the minimum unit,
// distinct recipients that are onboarded holders, not the sender, the debtor, a related
// party of the sender or of the debtor, or anyone on the warrant's path back to its root. The sum may not
// exceed the amount; a remainder stays with the sender as a new ACTIVE child. The parent
// becomes SPLIT; recipients' children are PENDING_ACCEPTANCE. A warrant in custody
// needs its custodian's endorsement, enforced by state-based endorsement (R10); the
// remainder stays in custody.
func SplitTransfer(st State, tx Tx, c Caller, req SplitTransferRequest) (*SplitResult, Effects, error) {
	return executeReading(st, tx, c, "SplitTransfer", req.RequestID, req, splitReads(c, req), func(x *opCtx) (*SplitResult, Effects, error) {
		parent, err := loadWarrantArg(x, "warrantId", req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		sender, err := requireHolder(x, parent)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := checkMovable(parent, x.tx.Time); err != nil {
			return nil, Effects{}, err
		}
		p, err := x.params()
		if err != nil {
			return nil, Effects{}, err
		}
		specs, err := x.planSplit(parent, sender, req.Parts, p)
		if err != nil {
			return nil, Effects{}, err
		}
		res, err := x.split(parent, specs)
		if err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(parent)
		ev.Status = StatusSplit
		for _, ch := range res.Children {
			ev.Parts = append(ev.Parts, partOf(&ch))
		}
		eff := Effects{Event: newEvent(EventTransferred, x.tx, ev)}
		if parent.Custodian != "" {
			last := res.Children[len(res.Children)-1]
			if last.Custodian != "" {
				if eff.Endorsements, err = x.custodyEndorsement(last.ID, last.Custodian); err != nil {
					return nil, Effects{}, err
				}
			}
		}
		return res, eff, nil
	})
}

// splitReads lists the keys every successful split reads before it creates the children:
// the warrant, the caller's and the recipients' enterprises, and the parameters. Keys
// that cannot be built are left out; the checks that read them one by one report the
// problem.
func splitReads(c Caller, req SplitTransferRequest) []string {
	keys := []string{ParamsKey()}
	add := func(key string, err error) {
		if err == nil {
			keys = append(keys, key)
		}
	}
	if validateWarrantID("warrantId", req.WarrantID) == nil {
		add(WarrantKey(req.WarrantID))
	}
	for _, code := range append([]string{c.Entity}, partRecipients(req.Parts)...) {
		if ValidateCreditCode(code) == nil {
			add(EnterpriseKey(code))
		}
	}
	return keys
}

func partRecipients(parts []Part) []string {
	codes := make([]string, len(parts))
	for i, p := range parts {
		codes[i] = p.Recipient
	}
	return codes
}

// childSpec describes one child of a split.
type childSpec struct {
	holder    string
	amount    int64
	status    Status
	offer     *Offer
	custodian string
	termsHash string // a factoring bank's financing terms (R17)
}

// planSplit validates the parts against R7 and R8a and returns the children to create.
func (x *opCtx) planSplit(parent *Warrant, sender *Enterprise, parts []Part, p *Params) ([]childSpec, error) {
	if parent.Depth+1 > p.MaxDepth {
		return nil, newError(CodeInvalidArgument, "maximum lineage depth reached", "maxDepth", fen(int64(p.MaxDepth)))
	}
	if len(parts) == 0 || len(parts) > p.MaxParts {
		return nil, newError(CodeInvalidArgument, "number of parts out of range", "field", "parts", "maxParts", fen(int64(p.MaxParts)))
	}
	var sum int64
	seen := make([]string, 0, len(parts))
	for _, part := range parts {
		if part.Amount < p.MinUnit {
			return nil, newError(CodeInvalidArgument, "part amount below the minimum unit", "field", "parts.amount", "minUnit", fen(p.MinUnit))
		}
		var err error
		if sum, err = AddAmount(sum, part.Amount); err != nil {
			return nil, err
		}
		if slices.Contains(seen, part.Recipient) {
			return nil, newError(CodeInvalidArgument, "duplicate recipient", "field", "parts.recipient", "recipient", part.Recipient)
		}
		seen = append(seen, part.Recipient)
	}
	if sum > parent.Amount {
		return nil, newError(CodeInvalidArgument, "parts exceed the warrant amount", "amount", fen(parent.Amount), "parts", fen(sum))
	}
	path, err := x.pathParties(parent, []*Enterprise{sender}, x.recipientMembers(parts))
	if err != nil {
		return nil, err
	}
	window := x.tx.Time.AddDate(0, 0, p.AcceptanceWindowDays)
	specs := make([]childSpec, 0, len(parts)+1)
	for _, part := range parts {
		if err := x.checkNewHolder(parent, sender, part.Recipient, "parts.recipient", path); err != nil {
			return nil, err
		}
		specs = append(specs, childSpec{holder: part.Recipient, amount: part.Amount, status: StatusPendingAcceptance,
			offer: &Offer{From: sender.CreditCode, OfferedAt: x.tx.Time, ExpiresAt: window}})
	}
	if rest := parent.Amount - sum; rest > 0 {
		specs = append(specs, childSpec{holder: sender.CreditCode, amount: rest, status: StatusActive, custodian: parent.Custodian})
	}
	return specs, nil
}

// recipientMembers are the keys of the member records (R34) of the recipients' orgs
// (their enterprises are read already), which checkNewHolder reads on every path that
// succeeds: prefetched with the path's enterprises, a recipient of another org than
// the sender's costs no round trip of its own.
func (x *opCtx) recipientMembers(parts []Part) []string {
	keys := make([]string, 0, len(parts))
	for _, part := range parts {
		if e, err := loadEnterprise(x, part.Recipient); err == nil {
			if k, err := MemberKey(e.MSPID); err == nil {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// checkNewHolder applies R3 and R8a to an enterprise that is to receive (part of) w: an
// ACTIVE onboarded holder that is neither the sender nor the debtor, has not held w or
// an ancestor of it (a cycle, A→…→A), and is related (same controller, as it is now) to
// none of them (A→B→A′). path is pathParties(w): the debtor and every holder back to the
// root, so the check is O(depth).
func (x *opCtx) checkNewHolder(w *Warrant, sender *Enterprise, code, field string, path []*Enterprise) error {
	if code == sender.CreditCode {
		return newError(CodeInvalidArgument, "recipient is the sender", "field", field)
	}
	if code == w.Debtor {
		return newError(CodeInvalidArgument, "recipient is the debtor", "field", field)
	}
	rcpt, err := requireParty(x, field, code, RoleHolder)
	if err != nil {
		return err
	}
	for _, e := range path {
		switch {
		case e.CreditCode == code:
			return newError(CodeRelatedParty, "recipient already held this warrant: a cycle (R8a)", "recipient", code)
		case !related(e, rcpt):
		case e.CreditCode == w.Debtor:
			return newError(CodeRelatedParty, "recipient is a related party of the debtor (R8a)", "recipient", code, "debtor", w.Debtor)
		case e.CreditCode == sender.CreditCode:
			return newError(CodeRelatedParty, "recipient is a related party of the sender (R8a)", "recipient", code, "sender", sender.CreditCode)
		default:
			return newError(CodeRelatedParty, "recipient is a related party of an earlier holder (R8a)", "recipient", code, "holder", e.CreditCode)
		}
	}
	return nil
}

// pathParties returns the debtor of w, its holder and the holders on its path back to
// its root (w.PriorHolders), as they are now. It reads no ancestor, only the distinct
// enterprises, in one batch, but for known, loaded already, with also (keys the caller
// reads next on every path that succeeds): O(distinct holders), no scan.
func (x *opCtx) pathParties(w *Warrant, known []*Enterprise, also []string) ([]*Enterprise, error) {
	codes := []string{w.Debtor}
	if w.Status != StatusReturned {
		codes = append(codes, w.Holder)
	}
	for _, code := range w.PriorHolders {
		if !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	keys := make([]string, 0, len(codes)+len(also))
	for _, code := range codes {
		if k, err := EnterpriseKey(code); err == nil {
			keys = append(keys, k)
		}
	}
	if err := x.buf.prefetch(append(keys, also...)...); err != nil {
		return nil, err
	}
	path := make([]*Enterprise, 0, len(codes))
	for _, code := range codes {
		i := slices.IndexFunc(known, func(e *Enterprise) bool { return e.CreditCode == code })
		if i >= 0 {
			path = append(path, known[i])
			continue
		}
		e, err := loadEnterprise(x, code)
		if err != nil {
			return nil, err
		}
		path = append(path, e)
	}
	return path, nil
}

// priorHoldersOf are the prior holders of a new child of parent: parent's holder
// first, unless parent is a part being returned, which its recipient never held, then
// parent's own prior holders.
func priorHoldersOf(parent *Warrant) []string {
	if parent.Status == StatusPendingAcceptance || parent.Status == StatusReturned {
		return slices.Clone(parent.PriorHolders)
	}
	prior := make([]string, 0, len(parent.PriorHolders)+1)
	prior = append(prior, parent.Holder)
	for _, code := range parent.PriorHolders {
		if code != parent.Holder {
			prior = append(prior, code)
		}
	}
	return prior
}

// split consumes parent and writes its children (ids parent.001, parent.002, ...).
//
// A warrant gets children only in the transaction that consumes it (SPLIT here, RETURNED
// in returnPart), and an ACTIVE parent has not been consumed, so its children's keys are
// free: reading them would only add to the read set what the parent's version, read
// and checked at commit, already guards.
func (x *opCtx) split(parent *Warrant, specs []childSpec) (*SplitResult, error) {
	res := &SplitResult{Parent: *parent}
	res.Parent.Status = StatusSplit
	res.Parent.FinanceRequest = nil
	if err := x.putWarrant(parent, &res.Parent); err != nil {
		return nil, err
	}
	for i, s := range specs {
		ch := childOf(parent, childID(parent.ID, i+1), s.holder, s.amount, s.status)
		ch.Offer, ch.Custodian, ch.TermsHash = s.offer, s.custodian, s.termsHash
		if err := x.putChild(parent, ch); err != nil {
			return nil, err
		}
		res.Children = append(res.Children, *ch)
	}
	return res, nil
}

// childOf builds a child that inherits root, debtor, maturity and registry references.
func childOf(parent *Warrant, id, holder string, amount int64, status Status) *Warrant {
	return &Warrant{ID: id, RootID: parent.RootID, ParentID: parent.ID, Depth: parent.Depth + 1,
		Debtor: parent.Debtor, Holder: holder, PriorHolders: priorHoldersOf(parent), Amount: amount, Currency: parent.Currency,
		IssuedAt: parent.IssuedAt, MaturesAt: parent.MaturesAt, Status: status,
		RegistryNo: parent.RegistryNo, RegisteredAt: parent.RegisteredAt}
}

// Accept lets the recipient accept a pending part: it becomes ACTIVE (R8).
func Accept(st State, tx Tx, c Caller, req OfferRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "Accept", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		old, err := x.pendingPart(req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		if _, err := requireHolder(x, old); err != nil {
			return nil, Effects{}, err
		}
		w := *old
		w.Status, w.Offer = StatusActive, nil
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		return &w, Effects{Event: newEvent(EventAccepted, x.tx, ev)}, nil
	})
}

// Reject lets the recipient refuse a pending part: it goes back to the sender as a new
// ACTIVE child (R8).
func Reject(st State, tx Tx, c Caller, req OfferRequest) (*ReturnResult, Effects, error) {
	return execute(st, tx, c, "Reject", req.RequestID, req, func(x *opCtx) (*ReturnResult, Effects, error) {
		old, err := x.pendingPart(req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		if _, err := requireHolder(x, old); err != nil {
			return nil, Effects{}, err
		}
		return x.returnPart(old, EventRejected)
	})
}

// Reclaim lets the sender take back a part not accepted within the acceptance window
// (ledger time, R8).
func Reclaim(st State, tx Tx, c Caller, req OfferRequest) (*ReturnResult, Effects, error) {
	return execute(st, tx, c, "Reclaim", req.RequestID, req, func(x *opCtx) (*ReturnResult, Effects, error) {
		old, err := x.pendingPart(req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		sender, err := requireActingEnterprise(x, c, RoleHolder)
		if err != nil {
			return nil, Effects{}, err
		}
		if sender.CreditCode != old.Offer.From {
			return nil, Effects{}, newError(CodeForbidden, "caller is not the sender of the offer", "warrantId", old.ID)
		}
		if x.tx.Time.Before(old.Offer.ExpiresAt) {
			return nil, Effects{}, newError(CodeInvalidState, "the acceptance window is still open",
				"warrantId", old.ID, "expiresAt", old.Offer.ExpiresAt.Format("2006-01-02T15:04:05Z07:00"))
		}
		return x.returnPart(old, EventReclaimed)
	})
}

// pendingPart loads a PENDING_ACCEPTANCE, unfrozen part.
func (x *opCtx) pendingPart(id string) (*Warrant, error) {
	w, err := loadWarrantArg(x, "warrantId", id)
	if err != nil {
		return nil, err
	}
	if w.Status != StatusPendingAcceptance || w.Offer == nil {
		return nil, newError(CodeInvalidState, "warrant is not awaiting acceptance", "warrantId", w.ID, "status", string(w.Status))
	}
	if err := checkNotFrozen(w); err != nil {
		return nil, err
	}
	return w, nil
}

// returnPart marks a pending part RETURNED and gives a new ACTIVE child to the sender.
// The child goes back into the custody the sender's warrant was in (R10): it inherits
// the custodian of the warrant the part was split from, and the Effects put its key
// under the custodian's org, as for the remainder of a split.
func (x *opCtx) returnPart(old *Warrant, event string) (*ReturnResult, Effects, error) {
	from, err := loadWarrant(x, old.ParentID)
	if err != nil {
		return nil, Effects{}, err
	}
	part := *old
	part.Status = StatusReturned
	if err := x.putWarrant(old, &part); err != nil {
		return nil, Effects{}, err
	}
	back := childOf(old, childID(old.ID, 1), old.Offer.From, old.Amount, StatusActive)
	back.Custodian = from.Custodian
	if err := x.putChild(old, back); err != nil {
		return nil, Effects{}, err
	}
	ev := warrantEvent(old)
	ev.Status, ev.Parts = StatusReturned, []EventPart{partOf(back)}
	eff := Effects{Event: newEvent(event, x.tx, ev)}
	if back.Custodian != "" {
		if eff.Endorsements, err = x.custodyEndorsement(back.ID, back.Custodian); err != nil {
			return nil, Effects{}, err
		}
	}
	return &ReturnResult{Part: part, Returned: *back}, eff, nil
}
