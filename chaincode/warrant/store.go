package warrant

import "time"

// loadWarrant reads a warrant; NOT_FOUND if absent.
func loadWarrant(r StateReader, id string) (*Warrant, error) {
	key, err := WarrantKey(id)
	if err != nil {
		return nil, err
	}
	var w Warrant
	found, err := getJSON(r, key, &w)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, newError(CodeNotFound, "warrant not found", "warrantId", id)
	}
	return &w, nil
}

// loadWarrantArg validates a caller-supplied warrant id and loads it.
func loadWarrantArg(r StateReader, field, id string) (*Warrant, error) {
	if err := validateWarrantID(field, id); err != nil {
		return nil, err
	}
	return loadWarrant(r, id)
}

// loadUnfrozenIn validates and loads the warrant a request names and requires it
// unfrozen (R13) and in status want, with the record that status carries (the trade
// of an ISSUED or VERIFIED warrant, the settlement of a SETTLING leaf). refusal is the
// INVALID_STATE message, e.g. "only an ISSUED warrant can be verified".
func loadUnfrozenIn(r StateReader, id string, want Status, refusal string) (*Warrant, error) {
	w, err := loadWarrantArg(r, "warrantId", id)
	if err != nil {
		return nil, err
	}
	if err := checkNotFrozen(w); err != nil {
		return nil, err
	}
	if w.Status != want || statusRecordMissing(w) {
		return nil, newError(CodeInvalidState, refusal, "warrantId", w.ID, "status", string(w.Status))
	}
	return w, nil
}

// statusRecordMissing reports whether w lacks the record its status implies.
func statusRecordMissing(w *Warrant) bool {
	switch w.Status {
	case StatusIssued, StatusVerified:
		return w.Trade == nil
	case StatusSettling:
		return w.Settlement == nil
	}
	return false
}

// putWarrant writes w and keeps its index entries in step with old (nil on create):
// holder and debtor indexes carry the status (the debtor's lists only leaves, what it
// owes: a node consumed by a split or return leaves it), the lineage index lists every
// node of a root, once, when it is created; its leaves are the nodes without children
// (leaves.go, R9, R16).
// Every change of a stored warrant passes here, so here the ledger time is checked
// against the warrant's last change: the tx time is the client's proposal timestamp,
// and a transaction dated before that change (backdated, to reclaim, settle or move
// a warrant "earlier") is INVALID_ARGUMENT (R7, R8, R12).
func (x *opCtx) putWarrant(old, w *Warrant) error {
	var indexed []string
	if old != nil {
		indexed = treeParties(old)
	}
	return x.putWarrantIndexed(old, w, indexed)
}

// putChild writes a new child of parent: parent's parties are in the tree's party
// index already.
func (x *opCtx) putChild(parent, child *Warrant) error {
	return x.putWarrantIndexed(nil, child, treeParties(parent))
}

// putWarrantIndexed is putWarrant for a warrant some of whose parties, indexed, the
// tree's party index holds already (R20).
func (x *opCtx) putWarrantIndexed(old, w *Warrant, indexed []string) error {
	if old != nil && x.tx.Time.Before(old.UpdatedAt) {
		return newError(CodeInvalidArgument, "transaction time is before the warrant's last change",
			"warrantId", old.ID, "updatedAt", old.UpdatedAt.Format(time.RFC3339Nano))
	}
	w.UpdatedAt, w.Standard = x.tx.Time, StandardVersion
	key, err := mustKey(objWarrant, w.ID)
	if err != nil {
		return err
	}
	type idx struct{ obj, party string }
	for _, ix := range []idx{{objByHolder, w.Holder}, {objByDebtor, w.Debtor}} {
		listed := func(v *Warrant) bool { return v != nil && (ix.obj == objByHolder || v.Status.IsLeaf()) }
		if listed(old) {
			oldParty := old.Holder
			if ix.obj == objByDebtor {
				oldParty = old.Debtor
			}
			if oldParty == ix.party && old.Status == w.Status {
				continue
			}
			k, err := mustKey(ix.obj, oldParty, string(old.Status), old.ID)
			if err != nil {
				return err
			}
			x.buf.del(k)
		}
		if !listed(w) {
			continue
		}
		k, err := mustKey(ix.obj, ix.party, string(w.Status), w.ID)
		if err != nil {
			return err
		}
		x.buf.put(k, marker)
	}
	if old == nil {
		k, err := treeKey(objLineage, w.RootID, w.ID)
		if err != nil {
			return err
		}
		x.buf.put(k, marker)
	}
	if err := x.indexParties(indexed, w); err != nil {
		return err
	}
	return x.putJSON(key, w)
}

// loadParamsFor reads the parameters in force for an operation.
func (x *opCtx) params() (*Params, error) { return GetParams(x) }

// matured reports whether the ledger time is on or after w's maturity.
func matured(w *Warrant, t time.Time) bool { return !t.Before(w.MaturesAt) }

// checkNotFrozen rejects operations on a frozen warrant (R13).
func checkNotFrozen(w *Warrant) error {
	if w.Frozen {
		return newError(CodeFrozen, "warrant is frozen", "warrantId", w.ID)
	}
	return nil
}

// checkMovable is the common guard of every change of holder or amount (R7, R11, R13):
// not frozen, not pledged, ACTIVE and before maturity.
func checkMovable(w *Warrant, t time.Time) error {
	if err := checkNotFrozen(w); err != nil {
		return err
	}
	if w.Status == StatusPledged || w.Pledge != nil {
		return newError(CodePledged, "warrant is pledged", "warrantId", w.ID)
	}
	if err := checkDiscountHeld(w); err != nil {
		return err
	}
	if w.Status != StatusActive {
		return newError(CodeInvalidState, "warrant is not ACTIVE", "warrantId", w.ID, "status", string(w.Status))
	}
	if matured(w, t) {
		return newError(CodeMatured, "warrant has matured", "warrantId", w.ID)
	}
	return nil
}

// loadMovableAsHolder loads a warrant the caller acts on as its holder and
// checks that it may move (ACTIVE, unfrozen, unpledged, unmatured).
func loadMovableAsHolder(x *opCtx, warrantID string) (*Warrant, *Enterprise, error) {
	w, err := loadWarrantArg(x, "warrantId", warrantID)
	if err != nil {
		return nil, nil, err
	}
	holder, err := requireHolder(x, w)
	if err != nil {
		return nil, nil, err
	}
	if err := checkMovable(w, x.tx.Time); err != nil {
		return nil, nil, err
	}
	return w, holder, nil
}

// requireBank checks that the enterprise named in field is onboarded, active,
// holds role, and belongs to an ACTIVE member of kind BANK (R34).
func requireBank(x *opCtx, field, creditCode string, role Role) (*Enterprise, error) {
	bank, err := requireParty(x, field, creditCode, role)
	if err != nil {
		return nil, err
	}
	m, err := activeMember(x, field, bank.MSPID)
	if err != nil {
		return nil, err
	}
	if m.Kind != KindBank {
		return nil, newError(CodeForbidden, field+" is not a bank", field, bank.CreditCode)
	}
	return bank, nil
}

// requireHolder checks that the caller acts for the warrant's holder.
func requireHolder(x *opCtx, w *Warrant) (*Enterprise, error) {
	e, err := requireActingEnterprise(x, x.caller, RoleHolder)
	if err != nil {
		return nil, err
	}
	if e.CreditCode != w.Holder {
		return nil, newError(CodeForbidden, "caller is not the warrant's holder", "warrantId", w.ID)
	}
	return e, nil
}

// requireDebtorIssuer checks that the caller is an issuer of the warrant's debtor.
func requireDebtorIssuer(x *opCtx, debtor string) (*Enterprise, error) {
	return debtorIssuer(x, debtor, requireActingEnterprise)
}

// requireSettlingIssuer is requireDebtorIssuer for settlement, which a suspended debtor
// may still make: suspension stops issuing and financing, never paying (R3, R12).
func requireSettlingIssuer(x *opCtx, debtor string) (*Enterprise, error) {
	return debtorIssuer(x, debtor, actingEnterprise)
}

func debtorIssuer(x *opCtx, debtor string, acting func(StateReader, Caller, Role) (*Enterprise, error)) (*Enterprise, error) {
	e, err := acting(x, x.caller, RoleIssuer)
	if err != nil {
		return nil, err
	}
	if e.CreditCode != debtor {
		return nil, newError(CodeForbidden, "caller is not an issuer of the debtor", "debtor", debtor)
	}
	return e, nil
}
