package warrant

// DepositRequest puts a warrant in a custodian bank's custody (R10).
type DepositRequest struct {
	RequestID string `json:"requestId,omitempty" metadata:",optional"`
	WarrantID string `json:"warrantId"`
	Custodian string `json:"custodian"`
}

// ReleaseCustodyRequest ends custody of a warrant (the custodian, R10).
type ReleaseCustodyRequest struct {
	WarrantID string `json:"warrantId"`
}

// Deposit lets the holder deposit an ACTIVE, unfrozen, unpledged, unmatured warrant with
// a custodian bank (R10). The warrant records the custodian, and the returned Effects ask
// the adapter to set the warrant key's state-based endorsement policy to the custodian's
// org: from then on every change of the warrant needs that bank's endorsement. Custody
// itself blocks no operation; the endorsement policy does.
func Deposit(st State, tx Tx, c Caller, req DepositRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "Deposit", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		old, _, err := loadMovableAsHolder(x, req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		if old.Custodian != "" {
			return nil, Effects{}, newError(CodeCustody, "warrant is already in custody", "warrantId", old.ID, "custodian", old.Custodian)
		}
		bank, err := requireBank(x, "custodian", req.Custodian, RoleCustodian)
		if err != nil {
			return nil, Effects{}, err
		}
		w := *old
		w.Custodian = bank.CreditCode
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		eff := Effects{}
		if eff.Endorsements, err = x.custodyEndorsement(w.ID, bank.CreditCode); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		eff.Event = newEvent(EventDeposited, x.tx, ev)
		return &w, eff, nil
	})
}

// ReleaseCustody lets the custodian end custody (R10); the Effects ask the adapter to
// remove the warrant key's state-based endorsement policy. Allowed in any status but
// frozen, so settled or split warrants can be released too.
func ReleaseCustody(st State, tx Tx, c Caller, req ReleaseCustodyRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "ReleaseCustody", "", req, func(x *opCtx) (*Warrant, Effects, error) {
		old, err := loadWarrantArg(x, "warrantId", req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		bank, err := requireActingEnterprise(x, c, RoleCustodian)
		if err != nil {
			return nil, Effects{}, err
		}
		if old.Custodian == "" {
			return nil, Effects{}, newError(CodeCustody, "warrant is not in custody", "warrantId", old.ID)
		}
		if old.Custodian != bank.CreditCode {
			return nil, Effects{}, newError(CodeForbidden, "caller is not the warrant's custodian", "warrantId", old.ID)
		}
		if err := checkNotFrozen(old); err != nil {
			return nil, Effects{}, err
		}
		w := *old
		w.Custodian = ""
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		key, err := mustKey(objWarrant, w.ID)
		if err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		return &w, Effects{Event: newEvent(EventWithdrawn, x.tx, ev), Endorsements: []KeyEndorsement{{Key: key}}}, nil
	})
}

// custodyEndorsement is the endorsement change that puts warrant id under custodian's org.
func (x *opCtx) custodyEndorsement(id, custodian string) ([]KeyEndorsement, error) {
	bank, err := loadEnterprise(x, custodian)
	if err != nil {
		return nil, err
	}
	key, err := mustKey(objWarrant, id)
	if err != nil {
		return nil, err
	}
	return []KeyEndorsement{{Key: key, MSPIDs: []string{bank.MSPID}}}, nil
}
