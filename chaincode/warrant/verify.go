package warrant

import (
	"fmt"
)

// maxReasons bounds the reasons a verifier may give.
const maxReasons = 20

// VerifyRequest records the verifier's off-chain check of a warrant's trade background
// (R5): whether it passed, why not, and the hash of the evidence.
type VerifyRequest struct {
	WarrantID    string   `json:"warrantId"`
	EvidenceHash string   `json:"evidenceHash"`
	Passed       bool     `json:"passed"`
	Reasons      []string `json:"reasons,omitempty" metadata:",optional"`
}

// Verify checks an ISSUED warrant (R5). Besides the verifier's own result the contract
// cross-checks: every invoice names the debtor as buyer and the holder as seller; the
// invoices cover the amount; no invoice or document is registered to another warrant;
// holder and debtor are not related. The warrant becomes VERIFIED, or REJECTED with the
// reasons; either is a successful call.
func Verify(st State, tx Tx, c Caller, req VerifyRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "Verify", "", req, func(x *opCtx) (*Warrant, Effects, error) {
		if err := requireRole(x, c, RoleVerifier); err != nil {
			return nil, Effects{}, err
		}
		if err := validateFindings(req.EvidenceHash, req.Passed, req.Reasons); err != nil {
			return nil, Effects{}, err
		}
		old, err := loadUnfrozenIn(x, req.WarrantID, StatusIssued, "only an ISSUED warrant can be verified")
		if err != nil {
			return nil, Effects{}, err
		}
		if req.Passed { // R30: the verifier passes a warrant only on a complete set of attestations
			if err := x.requireAttestations(old); err != nil {
				return nil, Effects{}, err
			}
		}
		reasons := append([]string(nil), req.Reasons...)
		found, err := x.crossCheck(old)
		if err != nil {
			return nil, Effects{}, err
		}
		reasons = append(reasons, found...)
		w := *old
		v := &Verification{Verifier: verifierName(c), Result: VerificationPassed,
			EvidenceHash: normHash(req.EvidenceHash), At: x.tx.Time}
		w.Status = StatusVerified
		if len(reasons) > 0 {
			v.Result, v.Reasons = VerificationFailed, reasons
			w.Status = StatusRejected
		}
		w.Verification = v
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		return &w, Effects{Event: newEvent(EventVerified, x.tx, ev)}, nil
	})
}

// crossCheck returns the R5 findings against w, in a fixed order.
func (x *opCtx) crossCheck(w *Warrant) ([]string, error) {
	var reasons []string
	var sum int64
	for _, inv := range w.Trade.Invoices {
		name := invoiceName(inv)
		if inv.Buyer != w.Debtor {
			reasons = append(reasons, "invoice "+name+": buyer is not the debtor")
		}
		if inv.Seller != w.Holder {
			reasons = append(reasons, "invoice "+name+": seller is not the first holder")
		}
		var err error
		if sum, err = AddAmount(sum, inv.Amount); err != nil {
			return nil, err
		}
		if other, err := indexedWarrant(x, objInvoice, invoiceKeyAttrs(inv.Code, inv.Number)...); err != nil {
			return nil, err
		} else if other != "" && other != w.ID {
			reasons = append(reasons, "invoice "+name+": already registered to "+other)
		}
		if other, err := indexedWarrant(x, objDocument, normHash(inv.DocumentHash)); err != nil {
			return nil, err
		} else if other != "" && other != w.ID {
			reasons = append(reasons, "invoice "+name+": document already registered to "+other)
		}
	}
	if sum < w.Amount {
		reasons = append(reasons, fmt.Sprintf("invoices sum to %d fen, less than the amount %d fen", sum, w.Amount))
	}
	debtor, err := loadEnterprise(x, w.Debtor)
	if err != nil {
		return nil, err
	}
	holder, err := loadEnterprise(x, w.Holder)
	if err != nil {
		return nil, err
	}
	if related(debtor, holder) {
		reasons = append(reasons, "holder and debtor are related parties")
	}
	return reasons, nil
}

// indexedWarrant returns the warrant id stored in a registry index entry, "" if none.
func indexedWarrant(r StateReader, obj string, attrs ...string) (string, error) {
	key, err := CompositeKey(obj, attrs...)
	if err != nil {
		return "", err
	}
	b, err := r.Get(key)
	if err != nil {
		return "", internal("read index", err)
	}
	return string(b), nil
}

// verifierName is the name recorded for an association caller: its entity if it has a
// valid one, else its org.
func verifierName(c Caller) string {
	if ValidateCreditCode(c.Entity) == nil {
		return c.Entity
	}
	return c.MSPID
}
