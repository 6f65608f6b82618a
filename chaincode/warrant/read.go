package warrant

import (
	"slices"
	"time"
)

// Need-to-know reads (R20). World state is readable by every peer of the channel, but the
// chaincode answers a client only what its business needs:
//
//   - a warrant, its history, its root's lineage and summary: the enterprises on the root's
//     tree (the debtor, every holder and offeree, the custodian, pledgee and asked banks)
//     and the association's verifier, registrar and regulator;
//   - lists by holder or by debtor: that holder or debtor, and the association;
//   - registry lookups: every member, but only a RegistryEntry (no parties, no terms).
//
// "On the root's tree" is one read of the party index (root, credit code), written when a
// party first has a part in the tree (putWarrant), never a scan of the lineage.

// RegistryEntry is what a registry lookup tells any member (R6, R20): whether the invoice,
// document or registry number is registered and, if so, the warrant's registry number,
// status, whether it is encumbered (pledged or in custody), amount and maturity.
type RegistryEntry struct {
	Registered bool      `json:"registered"`
	RegistryNo string    `json:"registryNo,omitempty" metadata:",optional"`
	Status     Status    `json:"status,omitempty" metadata:",optional"`
	Encumbered bool      `json:"encumbered"`
	Amount     int64     `json:"amount,omitempty" metadata:",optional"`
	MaturesAt  time.Time `json:"maturesAt,omitzero" metadata:",optional"`
}

// treeParties are the enterprises w gives a part in its root's tree.
func treeParties(w *Warrant) []string {
	parties := []string{w.Holder}
	if w.ParentID == "" {
		parties = append(parties, w.Debtor)
	}
	if w.Custodian != "" {
		parties = append(parties, w.Custodian)
	}
	if w.Pledge != nil {
		parties = append(parties, w.Pledge.Pledgee)
	}
	if w.FinanceRequest != nil {
		parties = append(parties, w.FinanceRequest.Financier)
	}
	return parties
}

// indexParties writes the party index entries w adds to its root's tree: those of
// its parties not in indexed, the parties the tree's index already holds (those of the
// stored w, or of the parent of a new child). Entries are never removed, so writing
// them again would change nothing. The writes are blind: they read nothing, so they
// add no MVCC conflict.
func (x *opCtx) indexParties(indexed []string, w *Warrant) error {
	for _, party := range treeParties(w) {
		if slices.Contains(indexed, party) {
			continue
		}
		k, err := mustKey(objParty, w.RootID, party)
		if err != nil {
			return err
		}
		x.buf.put(k, marker)
	}
	return nil
}

// isAssociationReader reports whether the caller reads as the association (R20).
func isAssociationReader(r StateReader, c Caller) (bool, error) {
	for _, role := range []Role{RoleVerifier, RoleRegistrar, RoleRegulator} {
		if ok, err := hasRole(r, c, role); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

// readerEntity returns the onboarded enterprise the caller reads for: its scf.entity, of
// the caller's org. A suspended enterprise still reads what concerns it.
func readerEntity(r StateReader, c Caller) (string, error) {
	if ValidateCreditCode(c.Entity) != nil {
		return "", newError(CodeForbidden, "caller has no valid scf.entity attribute")
	}
	e, err := loadEnterprise(r, c.Entity)
	if err != nil {
		if IsCode(err, CodeNotFound) {
			return "", newError(CodeForbidden, "caller's enterprise is not onboarded", "entity", c.Entity)
		}
		return "", err
	}
	if e.MSPID != c.MSPID {
		return "", newError(CodeForbidden, "caller's org is not the enterprise's org", "entity", c.Entity, "mspId", printable(c.MSPID))
	}
	return e.CreditCode, nil
}

// authorizeTreeRead lets the caller read the tree of rootID (R20): the association, or an
// enterprise with an entry in the tree's party index.
func authorizeTreeRead(r StateReader, c Caller, rootID string) error {
	if ok, err := isAssociationReader(r, c); ok || err != nil {
		return err
	}
	entity, err := readerEntity(r, c)
	if err != nil {
		return err
	}
	key, err := CompositeKey(objParty, rootID, entity)
	if err != nil {
		return err
	}
	b, err := r.Get(key)
	if err != nil {
		return internal("read party index", err)
	}
	if b == nil {
		return newError(CodeForbidden, "caller is not a party of this warrant (R20)", "rootId", rootID, "entity", entity)
	}
	return nil
}

// authorizePartyRead lets the caller list the warrants of party (R20): the association,
// or the party itself.
func authorizePartyRead(r StateReader, c Caller, party string) error {
	return authorizeOneOf(r, c, "only the party itself and the association list its warrants (R20)", party)
}

// authorizeOneOf lets the association's readers or an enterprise among parties read;
// anyone else is FORBIDDEN with refusal as the message (R20). Empty parties never
// match.
func authorizeOneOf(r StateReader, c Caller, refusal string, parties ...string) error {
	if ok, err := isAssociationReader(r, c); ok || err != nil {
		return err
	}
	entity, err := readerEntity(r, c)
	if err != nil {
		return err
	}
	if entity == "" || !slices.Contains(parties, entity) {
		return newError(CodeForbidden, refusal, "entity", entity)
	}
	return nil
}

// registryEntry is the public view of the warrant a registry index names ("" = none).
func registryEntry(r StateReader, id string) (*RegistryEntry, error) {
	if id == "" {
		return &RegistryEntry{}, nil
	}
	w, err := loadWarrant(r, id)
	if err != nil {
		return nil, err
	}
	return &RegistryEntry{Registered: true, RegistryNo: w.RegistryNo, Status: w.Status,
		Encumbered: w.Pledge != nil || w.Custodian != "", Amount: w.Amount, MaturesAt: w.MaturesAt}, nil
}
