package warrant

// FinancingRequest is the holder asking a financier bank to pledge or factor (R11).
type FinancingRequest struct {
	RequestID string `json:"requestId,omitempty" metadata:",optional"`
	WarrantID string `json:"warrantId"`
	Financier string `json:"financier"`
}

// PledgeRequest is the bank taking a pledge over a warrant for a secured amount (R11).
type PledgeRequest struct {
	RequestID string `json:"requestId,omitempty" metadata:",optional"`
	WarrantID string `json:"warrantId"`
	Amount    int64  `json:"amount"`
	// TermsHash names the financing terms the bank recorded (RecordFinancingTerms);
	// optional (R17).
	TermsHash string `json:"termsHash,omitempty" metadata:",optional"`
}

// BankWarrantRequest names a warrant a bank acts on: factor it or release its pledge.
type BankWarrantRequest struct {
	RequestID string `json:"requestId,omitempty" metadata:",optional"`
	WarrantID string `json:"warrantId"`
	// TermsHash names the financing terms a factoring bank recorded
	// (RecordFinancingTerms); optional, and only for Factor (R17).
	TermsHash string `json:"termsHash,omitempty" metadata:",optional"`
}

// RequestFinancing records that the holder asks a financier bank to finance an ACTIVE,
// unfrozen, unpledged, unmatured warrant (R11). A later request replaces an earlier one.
func RequestFinancing(st State, tx Tx, c Caller, req FinancingRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "RequestFinancing", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		old, holder, err := loadMovableAsHolder(x, req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		bank, err := requireBank(x, "financier", req.Financier, RoleFinancier)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := x.checkFinancingParties(old, holder, bank); err != nil {
			return nil, Effects{}, err
		}
		w := *old
		w.FinanceRequest = &FinanceRequest{Financier: bank.CreditCode, At: x.tx.Time}
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		return &w, Effects{Event: newEvent(EventFinanceRequested, x.tx, ev)}, nil
	})
}

// financeTarget loads a warrant a financier bank acts on after the holder's request and
// applies the guards of R11: not frozen, not already pledged (anti double pledge),
// registered and ACTIVE (anti empty pledge), not matured, asked of this bank, and a
// holder that is still an ACTIVE onboarded holder (R3). It returns the warrant, the bank
// and the holder.
func (x *opCtx) financeTarget(id string) (*Warrant, *Enterprise, *Enterprise, error) {
	bank, err := requireActingEnterprise(x, x.caller, RoleFinancier)
	if err != nil {
		return nil, nil, nil, err
	}
	w, err := loadWarrantArg(x, "warrantId", id)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkMovable(w, x.tx.Time); err != nil {
		return nil, nil, nil, err
	}
	if w.FinanceRequest == nil || w.FinanceRequest.Financier != bank.CreditCode {
		return nil, nil, nil, newError(CodeForbidden, "the holder has not asked this bank for financing", "warrantId", w.ID)
	}
	holder, err := requireParty(x, "holder", w.Holder, RoleHolder)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := x.checkFinancingParties(w, holder, bank); err != nil {
		return nil, nil, nil, err
	}
	return w, bank, holder, nil
}

// checkFinancingParties applies R3 and R8a to a financing of w by bank, with the parties
// as they are now: the debtor is not suspended (FORBIDDEN), the holder is not related to
// the debtor, and the bank is related to neither (RELATED_PARTY: 自融).
func (x *opCtx) checkFinancingParties(w *Warrant, holder, bank *Enterprise) error {
	debtor, err := loadEnterprise(x, w.Debtor)
	if err != nil {
		return err
	}
	if debtor.Status != EnterpriseActive {
		return newError(CodeForbidden, "the debtor is suspended: its warrants cannot be financed", "debtor", w.Debtor)
	}
	if related(holder, debtor) {
		return newError(CodeRelatedParty, "the holder is a related party of the debtor (R8a)", "holder", holder.CreditCode, "debtor", w.Debtor)
	}
	for _, party := range []*Enterprise{holder, debtor} {
		if related(bank, party) {
			return newError(CodeRelatedParty, "the bank is a related party of the holder or the debtor (R8a)",
				"financier", bank.CreditCode, "party", party.CreditCode)
		}
	}
	return nil
}

// TakePledge lets the asked bank take a pledge: the warrant becomes PLEDGED and the pledge is
// registered with time and a registry number (R11). While pledged the warrant cannot be
// split, transferred, factored or pledged again.
func TakePledge(st State, tx Tx, c Caller, req PledgeRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "TakePledge", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		old, bank, _, err := x.financeTarget(req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		if req.Amount <= 0 || req.Amount > old.Amount {
			return nil, Effects{}, newError(CodeInvalidArgument, "pledge amount must be in (0, warrant amount]", "field", "amount")
		}
		if err := x.checkRecordedTerms(bank, req.TermsHash); err != nil {
			return nil, Effects{}, err
		}
		w := *old
		w.Status, w.FinanceRequest = StatusPledged, nil
		w.Pledge = &Pledge{Pledgee: bank.CreditCode, Amount: req.Amount,
			RegistryNo: pledgeRegistryNo(w.ID, x.tx.ID, x.tx.Time), RegisteredAt: x.tx.Time, TermsHash: normHash(req.TermsHash)}
		if err := x.claimIndex(objRegistry, w.ID, w.Pledge.RegistryNo); err != nil {
			return nil, Effects{}, err
		}
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		ev.RegistryNo = w.Pledge.RegistryNo
		return &w, Effects{Event: newEvent(EventPledged, x.tx, ev)}, nil
	})
}

// ReleasePledge lets the pledgee release its pledge: the warrant is ACTIVE again (R11).
func ReleasePledge(st State, tx Tx, c Caller, req BankWarrantRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "ReleasePledge", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		bank, err := requireActingEnterprise(x, c, RoleFinancier)
		if err != nil {
			return nil, Effects{}, err
		}
		if req.TermsHash != "" {
			return nil, Effects{}, newError(CodeInvalidArgument, "releasing a pledge takes no financing terms", "field", "termsHash")
		}
		old, err := loadWarrantArg(x, "warrantId", req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := checkNotFrozen(old); err != nil {
			return nil, Effects{}, err
		}
		if old.Status != StatusPledged || old.Pledge == nil {
			return nil, Effects{}, newError(CodeInvalidState, "warrant is not pledged", "warrantId", old.ID, "status", string(old.Status))
		}
		if old.Pledge.Pledgee != bank.CreditCode {
			return nil, Effects{}, newError(CodeForbidden, "caller is not the pledgee", "warrantId", old.ID)
		}
		w := *old
		w.Status, w.Pledge = StatusActive, nil
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		ev.RegistryNo = old.Pledge.RegistryNo
		return &w, Effects{Event: newEvent(EventPledgeReleased, x.tx, ev)}, nil
	})
}

// Factor lets the asked bank buy the whole warrant (保理, R11): the warrant is consumed
// like a split into one ACTIVE child held by the bank, so lineage records the sale.
// R8a applies as for any change of holder.
func Factor(st State, tx Tx, c Caller, req BankWarrantRequest) (*SplitResult, Effects, error) {
	return execute(st, tx, c, "Factor", req.RequestID, req, func(x *opCtx) (*SplitResult, Effects, error) {
		parent, bank, seller, err := x.financeTarget(req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		p, err := x.params()
		if err != nil {
			return nil, Effects{}, err
		}
		if parent.Depth+1 > p.MaxDepth {
			return nil, Effects{}, newError(CodeInvalidArgument, "maximum lineage depth reached", "maxDepth", fen(int64(p.MaxDepth)))
		}
		path, err := x.pathParties(parent, []*Enterprise{seller}, nil)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := x.checkNewHolder(parent, seller, bank.CreditCode, "financier", path); err != nil {
			return nil, Effects{}, err
		}
		if err := x.checkRecordedTerms(bank, req.TermsHash); err != nil {
			return nil, Effects{}, err
		}
		res, err := x.split(parent, []childSpec{{holder: bank.CreditCode, amount: parent.Amount, status: StatusActive, termsHash: normHash(req.TermsHash)}})
		if err != nil {
			return nil, Effects{}, err
		}
		if err := x.discount(res, bank.CreditCode); err != nil { // R31
			return nil, Effects{}, err
		}
		ch := res.Children[0]
		ev := warrantEvent(parent)
		ev.Status, ev.Parts = StatusSplit, []EventPart{partOf(&ch)}
		return res, Effects{Event: newEvent(EventFactored, x.tx, ev)}, nil
	})
}
