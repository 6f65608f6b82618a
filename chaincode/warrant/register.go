package warrant

// RegisterRequest registers a VERIFIED warrant (R6).
type RegisterRequest struct {
	WarrantID string `json:"warrantId"`
}

// Register lets a registrar register a VERIFIED, unfrozen, unmatured warrant (R6): it
// assigns a deterministic registry number, indexes every invoice and document hash for
// public lookup and makes the warrant ACTIVE. A receivable is registered once, ever: if
// any invoice or document is already indexed the call fails with ALREADY_REGISTERED.
func Register(st State, tx Tx, c Caller, req RegisterRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "Register", "", req, func(x *opCtx) (*Warrant, Effects, error) {
		if err := requireRole(x, c, RoleRegistrar); err != nil {
			return nil, Effects{}, err
		}
		old, err := loadUnfrozenIn(x, req.WarrantID, StatusVerified, "only a VERIFIED warrant can be registered")
		if err != nil {
			return nil, Effects{}, err
		}
		if matured(old, x.tx.Time) {
			return nil, Effects{}, newError(CodeMatured, "warrant has matured", "warrantId", old.ID)
		}
		if err := x.checkUnrelated(old); err != nil {
			return nil, Effects{}, err
		}
		for _, inv := range old.Trade.Invoices {
			if err := x.claimIndex(objInvoice, old.ID, invoiceKeyAttrs(inv.Code, inv.Number)...); err != nil {
				return nil, Effects{}, err
			}
			if err := x.claimIndex(objDocument, old.ID, normHash(inv.DocumentHash)); err != nil {
				return nil, Effects{}, err
			}
		}
		w := *old
		w.RegistryNo, w.RegisteredAt, w.Status = registryNo(w.ID, x.tx.Time), x.tx.Time, StatusActive
		if err := x.claimIndex(objRegistry, w.ID, w.RegistryNo); err != nil {
			return nil, Effects{}, err
		}
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		ev.RegistryNo = w.RegistryNo
		return &w, Effects{Event: newEvent(EventRegistered, x.tx, ev)}, nil
	})
}

// checkUnrelated refuses to register a warrant whose holder is, as it is now, a related
// party of its debtor: relations are checked at each step, not only at verification (R8a).
func (x *opCtx) checkUnrelated(w *Warrant) error {
	debtor, err := loadEnterprise(x, w.Debtor)
	if err != nil {
		return err
	}
	holder, err := loadEnterprise(x, w.Holder)
	if err != nil {
		return err
	}
	if related(holder, debtor) {
		return newError(CodeRelatedParty, "the holder is a related party of the debtor (R8a)", "holder", w.Holder, "debtor", w.Debtor)
	}
	return nil
}

// claimIndex points a registry index entry at warrantID; ALREADY_REGISTERED if taken.
func (x *opCtx) claimIndex(obj, warrantID string, attrs ...string) error {
	key, err := CompositeKey(obj, attrs...)
	if err != nil {
		return err
	}
	b, err := x.Get(key)
	if err != nil {
		return internal("read index", err)
	}
	if b != nil {
		d := []string{"index", obj, "warrantId", string(b)}
		for i, a := range attrs {
			d = append(d, "key"+fen(int64(i)), a)
		}
		return newError(CodeAlreadyRegistered, "already registered", d...)
	}
	x.buf.put(key, []byte(warrantID))
	return nil
}
