package warrant

// SettleRequest settles one leaf (R12).
type SettleRequest struct {
	RequestID  string `json:"requestId,omitempty" metadata:",optional"`
	WarrantID  string `json:"warrantId"`
	PaymentRef string `json:"paymentRef"`
	PayingBank string `json:"payingBank"` // the bank that pays and confirms (R32)
}

// SettleRootRequest settles one page of a root's leaves (R12); repeat with the returned
// bookmark until it is empty.
type SettleRootRequest struct {
	RequestID  string `json:"requestId,omitempty" metadata:",optional"`
	RootID     string `json:"rootId"`
	PaymentRef string `json:"paymentRef"`
	PayingBank string `json:"payingBank"` // the bank that pays and confirms (R32)
	PageSize   int    `json:"pageSize,omitempty" metadata:",optional"`
	Bookmark   string `json:"bookmark,omitempty" metadata:",optional"`
}

// SkippedLeaf is a leaf a root settlement could not pay, and why; after maturity it is
// overdue.
type SkippedLeaf struct {
	WarrantID string `json:"warrantId"`
	Status    Status `json:"status"`
	Reason    string `json:"reason"`
}

// SettleRootResult is the outcome of one page of a root settlement.
type SettleRootResult struct {
	Settled      []Warrant     `json:"settled"`
	Skipped      []SkippedLeaf `json:"skipped"`
	NextBookmark string        `json:"nextBookmark,omitempty" metadata:",optional"`
	Summary      RootSummary   `json:"summary"`
}

// Settle lets the debtor's issuer initiate the payment of one ACTIVE or PLEDGED,
// unfrozen leaf on or after maturity with a payment reference and the paying bank
// (R12). The leaf becomes SETTLING: it is final, the credit line restored (R4a) and
// the root summary's settled amount updated only when that bank confirms (R32).
func Settle(st State, tx Tx, c Caller, req SettleRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "Settle", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		if err := validateText("paymentRef", req.PaymentRef, true, 128); err != nil {
			return nil, Effects{}, err
		}
		old, err := loadWarrantArg(x, "warrantId", req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		_, err = requireSettlingIssuer(x, old.Debtor)
		if err != nil {
			return nil, Effects{}, err
		}
		if reason := settleBlock(old, x); reason != nil {
			return nil, Effects{}, reason
		}
		bank, p, err := x.settlementTerms(req.PayingBank)
		if err != nil {
			return nil, Effects{}, err
		}
		w, err := x.initiate(old, req.PaymentRef, bank.CreditCode, p)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := x.addSettling(w.RootID, w.Amount); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(w)
		return w, Effects{Event: newEvent(EventSettled, x.tx, ev)}, nil
	})
}

// settleBlock returns why a leaf cannot be settled now, or nil.
func settleBlock(w *Warrant, x *opCtx) *Error {
	if w.Frozen {
		return newError(CodeFrozen, "warrant is frozen", "warrantId", w.ID)
	}
	if w.Status != StatusActive && w.Status != StatusPledged {
		return newError(CodeInvalidState, "only an ACTIVE or PLEDGED leaf can be settled", "warrantId", w.ID, "status", string(w.Status))
	}
	if !matured(w, x.tx.Time) {
		return newError(CodeNotMatured, "warrant has not matured", "warrantId", w.ID)
	}
	return nil
}

// settlementTerms checks the paying bank and reads the parameters (R32).
func (x *opCtx) settlementTerms(payingBank string) (*Enterprise, *Params, error) {
	bank, err := payingBankOf(x, payingBank)
	if err != nil {
		return nil, nil, err
	}
	p, err := x.params()
	if err != nil {
		return nil, nil, err
	}
	return bank, p, nil
}

// SettleRoot lets the debtor's issuer initiate the settlement of one page of a root's
// leaves in leaf-id order (R12, R32). Leaves settled or settling are passed over; leaves that cannot be paid (pending,
// frozen, unregistered) are listed as skipped, i.e. overdue. The root summary is updated
// once for the page; the credit line on each confirmation.
func SettleRoot(st State, tx Tx, c Caller, req SettleRootRequest) (*SettleRootResult, Effects, error) {
	return execute(st, tx, c, "SettleRoot", req.RequestID, req, func(x *opCtx) (*SettleRootResult, Effects, error) {
		if err := validateText("paymentRef", req.PaymentRef, true, 128); err != nil {
			return nil, Effects{}, err
		}
		root, err := loadWarrantArg(x, "rootId", req.RootID)
		if err != nil {
			return nil, Effects{}, err
		}
		if root.ParentID != "" {
			return nil, Effects{}, newError(CodeInvalidArgument, "not a root warrant", "field", "rootId")
		}
		_, err = requireSettlingIssuer(x, root.Debtor)
		if err != nil {
			return nil, Effects{}, err
		}
		bank, p, err := x.settlementTerms(req.PayingBank)
		if err != nil {
			return nil, Effects{}, err
		}
		if !matured(root, x.tx.Time) {
			return nil, Effects{}, newError(CodeNotMatured, "warrant has not matured", "warrantId", root.ID)
		}
		start, end, err := treeRange(objLineage, root.ID)
		if err != nil {
			return nil, Effects{}, err
		}
		ids, next, err := leafPage(x.st, start, end, req.PageSize, req.Bookmark)
		if err != nil {
			return nil, Effects{}, err
		}
		res := &SettleRootResult{NextBookmark: next, Settled: []Warrant{}, Skipped: []SkippedLeaf{}}
		var total int64
		ev := EventPayload{RootID: root.ID}
		for _, id := range ids {
			leaf, err := loadWarrant(x, id)
			if err != nil {
				return nil, Effects{}, err
			}
			if leaf.Status == StatusSettled || leaf.Status == StatusSettling {
				continue
			}
			if reason := settleBlock(leaf, x); reason != nil {
				res.Skipped = append(res.Skipped, SkippedLeaf{WarrantID: leaf.ID, Status: leaf.Status, Reason: reason.Message})
				continue
			}
			w, err := x.initiate(leaf, req.PaymentRef, bank.CreditCode, p)
			if err != nil {
				return nil, Effects{}, err
			}
			if total, err = AddAmount(total, w.Amount); err != nil {
				return nil, Effects{}, err
			}
			res.Settled = append(res.Settled, *w)
			ev.Parts = append(ev.Parts, EventPart{ID: w.ID, Status: StatusSettling})
		}
		if len(res.Settled) > 0 {
			if err := x.addSettling(root.ID, total); err != nil {
				return nil, Effects{}, err
			}
		}
		s, err := loadSummary(x, root.ID)
		if err != nil {
			return nil, Effects{}, err
		}
		if x.tx.Time.After(s.MaturesAt) {
			s.Overdue = s.Outstanding
		}
		s.AsOf = x.tx.Time
		res.Summary = *s
		return res, Effects{Event: newEvent(EventRootSettled, x.tx, ev)}, nil
	})
}
