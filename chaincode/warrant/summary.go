package warrant

import "time"

// RootSummary is the money view of a root (R9, R12, R16). It is stored per root and
// written only on issue, settlement and cancellation, so settlements of one root
// serialise by design while splits and transfers never touch it. Face = Settled +
// Outstanding for a root that is not cancelled; Overdue is the outstanding amount once
// the ledger time is past maturity (computed when read).
type RootSummary struct {
	RootID        string    `json:"rootId"`
	Debtor        string    `json:"debtor"`
	Face          int64     `json:"face"`
	Settled       int64     `json:"settled"`
	Outstanding   int64     `json:"outstanding"`
	Overdue       int64     `json:"overdue"`
	SettledLeaves int       `json:"settledLeaves"`
	MaturesAt     time.Time `json:"maturesAt"`
	Cancelled     bool      `json:"cancelled"`
	// Settling is the amount initiated by the debtor and not yet confirmed by the
	// paying bank; InterestDue and InterestPaid account buyer-paid interest apart
	// from the face value (R31, R32).
	Settling     int64     `json:"settling"`
	InterestDue  int64     `json:"interestDue"`
	InterestPaid int64     `json:"interestPaid"`
	AsOf         time.Time `json:"asOf,omitzero" metadata:",optional"`
}

func loadSummary(r StateReader, rootID string) (*RootSummary, error) {
	key, err := RootSummaryKey(rootID)
	if err != nil {
		return nil, err
	}
	var s RootSummary
	found, err := getJSON(r, key, &s)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, newError(CodeNotFound, "root summary not found", "rootId", rootID)
	}
	return &s, nil
}

func (x *opCtx) putSummary(s *RootSummary) error {
	key, err := mustKey(objSummary, s.RootID)
	if err != nil {
		return err
	}
	s.Overdue, s.AsOf = 0, time.Time{}
	return x.putJSON(key, s)
}

// addSettled records n settled leaves worth amount in their root's summary.
func (x *opCtx) addSettled(rootID string, amount int64, n int) error {
	s, err := loadSummary(x, rootID)
	if err != nil {
		return err
	}
	if s.Settled, err = AddAmount(s.Settled, amount); err != nil {
		return err
	}
	if s.Outstanding, err = SubAmount(s.Outstanding, amount); err != nil {
		return err
	}
	s.SettledLeaves += n
	return x.putSummary(s)
}

// GetRootSummary returns a root's summary as of the given ledger time, to the parties of
// the tree and the association (R16, R20).
func GetRootSummary(r StateReader, c Caller, rootID string, asOf time.Time) (*RootSummary, error) {
	if err := validateWarrantID("rootId", rootID); err != nil {
		return nil, err
	}
	s, err := loadSummary(r, rootID)
	if err != nil {
		return nil, err
	}
	if err := authorizeTreeRead(r, c, rootID); err != nil {
		return nil, err
	}
	s.AsOf = asOf.UTC()
	if !s.Cancelled && asOf.After(s.MaturesAt) {
		s.Overdue = s.Outstanding
	}
	return s, nil
}

// conservationBatch is the page size CheckConservation reads leaves with.
const conservationBatch = 1000

// CheckConservation verifies R9 for a root: its leaves sum to the face value and the
// settled leaves sum to the summary's settled amount, and every node the lineage shows
// as a leaf (no child) is in a leaf status. It pages through the root's lineage; tests
// and audits call it, operations keep R9 by construction.
func CheckConservation(r ReadState, rootID string) error {
	s, err := loadSummary(r, rootID)
	if err != nil {
		return err
	}
	start, end, err := treeRange(objLineage, rootID)
	if err != nil {
		return err
	}
	var total, settled int64
	for start != "" {
		ids, next, err := leavesFrom(r, start, end, conservationBatch)
		if err != nil {
			return err
		}
		for _, id := range ids {
			w, err := loadWarrant(r, id)
			if err != nil {
				return err
			}
			if w.RootID != rootID || !w.Status.IsLeaf() {
				return newError(CodeConservation, "a node without children is not a leaf", "warrantId", w.ID)
			}
			if total, err = AddAmount(total, w.Amount); err != nil {
				return err
			}
			if w.Status == StatusSettled {
				if settled, err = AddAmount(settled, w.Amount); err != nil {
					return err
				}
			}
		}
		start = next
	}
	if total != s.Face {
		return newError(CodeConservation, "leaves do not sum to the face value", "rootId", rootID,
			"face", fen(s.Face), "leaves", fen(total))
	}
	if settled != s.Settled {
		return newError(CodeConservation, "settled leaves do not match the summary", "rootId", rootID,
			"settled", fen(s.Settled), "leaves", fen(settled))
	}
	if !s.Cancelled && s.Settled+s.Outstanding != s.Face {
		return newError(CodeConservation, "settled + outstanding != face", "rootId", rootID)
	}
	return nil
}
