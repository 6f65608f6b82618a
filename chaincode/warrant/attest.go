package warrant

import (
	"slices"
	"strings"
	"time"
)

// AttestationKind is a kind of independent source of trade evidence (R30).
type AttestationKind string

// Attestation kinds: each is a distinct source.
const (
	// AttestTaxInvoice: the 数电发票 check against the tax authority's platform, by a
	// third party unrelated to the trade.
	AttestTaxInvoice AttestationKind = "TAX_INVOICE"
	// AttestGoodsReceipt: receipt of the goods confirmed by the buyer (the debtor).
	AttestGoodsReceipt AttestationKind = "GOODS_RECEIPT"
	// AttestContract: the contract confirmed by both parties (debtor and first holder).
	AttestContract AttestationKind = "CONTRACT"
	// AttestLogistics: logistics or warehouse evidence from a third party.
	AttestLogistics AttestationKind = "LOGISTICS"
)

// AllAttestationKinds lists the kinds in a fixed order.
var AllAttestationKinds = []AttestationKind{AttestTaxInvoice, AttestGoodsReceipt, AttestContract, AttestLogistics}

// DefaultRequiredAttestations: the invoice check and the buyer's goods receipt, two
// sources no single party controls (R30).
func DefaultRequiredAttestations() []AttestationKind {
	return []AttestationKind{AttestTaxInvoice, AttestGoodsReceipt}
}

// MinAttestationSources is the least number of independent sources (distinct
// controllers) behind a VERIFIED warrant, whatever the parameters say (R30).
const MinAttestationSources = 2

// Policy error codes (R30–R32).
const (
	// CodeIncompleteAttestation: the verifier may not pass a warrant before the
	// required attestations are in (R30).
	CodeIncompleteAttestation Code = "INCOMPLETE_ATTESTATION"
	// CodePaymentMismatch: a payment confirmation does not match what is owed (R32).
	CodePaymentMismatch Code = "PAYMENT_MISMATCH"
)

// Policy event names (R30–R32).
const (
	EventAttestorAuthorized  = "warrant.attestorAuthorized"
	EventAttested            = "warrant.attested"
	EventInterestArranged    = "warrant.interestArranged"
	EventSettlementConfirmed = "warrant.settlementConfirmed"
)

// Keys of the policy objects (R30–R32).
const (
	objAttestor = "attestor"         // credit code → AttestorRecord
	objSettling = "warrant~settling" // root, id → marker (leaves awaiting confirmation)
	objPayment  = "warrant~payment"  // paying bank, payment reference → warrant id
)

// Attestation is one source's signed statement about a warrant's trade (R30).
type Attestation struct {
	Kind            AttestationKind    `json:"kind"`
	Attestor        string             `json:"attestor"`
	Result          VerificationResult `json:"result"`
	ConfirmedAmount int64              `json:"confirmedAmount,omitempty" metadata:",optional"`
	EvidenceHash    string             `json:"evidenceHash"`
	Reasons         []string           `json:"reasons,omitempty" metadata:",optional"`
	TxID            string             `json:"txId"`
	At              time.Time          `json:"at"`
}

// AttestorRecord lists the kinds an onboarded attestor may attest (R30).
type AttestorRecord struct {
	CreditCode string            `json:"creditCode"`
	Kinds      []AttestationKind `json:"kinds"`
	UpdatedAt  time.Time         `json:"updatedAt"`
}

// AuthorizeAttestorRequest sets the kinds an attestor may attest (admin).
type AuthorizeAttestorRequest struct {
	CreditCode string            `json:"creditCode"`
	Kinds      []AttestationKind `json:"kinds"`
}

// AttestRequest is an attestor's statement about an ISSUED warrant (R30). A passing
// statement names the amount of trade the source confirms; a failing one gives reasons.
type AttestRequest struct {
	RequestID       string          `json:"requestId,omitempty" metadata:",optional"`
	WarrantID       string          `json:"warrantId"`
	Kind            AttestationKind `json:"kind"`
	Passed          bool            `json:"passed"`
	ConfirmedAmount int64           `json:"confirmedAmount,omitempty" metadata:",optional"`
	EvidenceHash    string          `json:"evidenceHash"`
	Reasons         []string        `json:"reasons,omitempty" metadata:",optional"`
}

func validateKinds(field string, kinds []AttestationKind, min int) error {
	if len(kinds) < min || len(kinds) > len(AllAttestationKinds) {
		return newError(CodeInvalidArgument, "wrong number of attestation kinds", "field", field)
	}
	for i, k := range kinds {
		if !slices.Contains(AllAttestationKinds, k) {
			return newError(CodeInvalidArgument, "unknown attestation kind", "field", field, "kind", printable(string(k)))
		}
		if slices.Contains(kinds[:i], k) {
			return newError(CodeInvalidArgument, "attestation kind repeated", "field", field, "kind", string(k))
		}
	}
	return nil
}

// validateFindings checks the evidence hash and reasons of a check (R5, R30): a failed
// check needs at least one reason.
func validateFindings(evidenceHash string, passed bool, reasons []string) error {
	if err := validateHash("evidenceHash", evidenceHash); err != nil {
		return err
	}
	if len(reasons) > maxReasons {
		return newError(CodeInvalidArgument, "too many reasons", "field", "reasons")
	}
	for _, r := range reasons {
		if err := validateText("reasons", r, true, 256); err != nil {
			return err
		}
	}
	if !passed && len(reasons) == 0 {
		return newError(CodeInvalidArgument, "a failed check needs a reason", "field", "reasons")
	}
	return nil
}

// AuthorizeAttestor records which kinds an enterprise onboarded with role attestor may
// attest (admin, R30). A later call replaces the kinds.
func AuthorizeAttestor(st State, tx Tx, c Caller, req AuthorizeAttestorRequest) (*AttestorRecord, Effects, error) {
	return execute(st, tx, c, "AuthorizeAttestor", "", req, func(x *opCtx) (*AttestorRecord, Effects, error) {
		if err := requireRole(x, c, RoleAdmin); err != nil {
			return nil, Effects{}, err
		}
		if err := validateKinds("kinds", req.Kinds, 1); err != nil {
			return nil, Effects{}, err
		}
		if _, err := requireParty(x, "creditCode", req.CreditCode, RoleAttestor); err != nil {
			return nil, Effects{}, err
		}
		rec := &AttestorRecord{CreditCode: req.CreditCode, Kinds: slices.Clone(req.Kinds), UpdatedAt: x.tx.Time}
		key, err := mustKey(objAttestor, rec.CreditCode)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := x.putJSON(key, rec); err != nil {
			return nil, Effects{}, err
		}
		return rec, Effects{Event: newEvent(EventAttestorAuthorized, x.tx, EventPayload{Subject: rec.CreditCode})}, nil
	})
}

// GetAttestor returns an attestor's record (NOT_FOUND if never authorised).
func GetAttestor(r StateReader, creditCode string) (*AttestorRecord, error) {
	if err := ValidateCreditCode(creditCode); err != nil {
		return nil, err
	}
	key, err := CompositeKey(objAttestor, creditCode)
	if err != nil {
		return nil, err
	}
	var rec AttestorRecord
	found, err := getJSON(r, key, &rec)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, newError(CodeNotFound, "attestor not authorised", "creditCode", creditCode)
	}
	return &rec, nil
}

// Attest records an attestor's statement about an ISSUED root warrant (R30). The caller
// must act for an ACTIVE enterprise onboarded as attestor and authorised for the kind;
// the buyer's goods receipt comes from the debtor, the contract from the debtor and the
// first holder, third-party kinds from an enterprise related to neither. A failing
// statement, or one that conflicts with the warrant or with another source (confirms
// less than the face value, or another amount than the same kind did), makes the
// warrant REJECTED with the reasons; that is a successful call.
func Attest(st State, tx Tx, c Caller, req AttestRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "Attest", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		attestor, err := requireActingEnterprise(x, c, RoleAttestor)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := validateKinds("kind", []AttestationKind{req.Kind}, 1); err != nil {
			return nil, Effects{}, err
		}
		if err := validateFindings(req.EvidenceHash, req.Passed, req.Reasons); err != nil {
			return nil, Effects{}, err
		}
		if req.Passed && (req.ConfirmedAmount <= 0 || req.ConfirmedAmount > MaxAmountCap) {
			return nil, Effects{}, newError(CodeInvalidArgument, "a passing attestation confirms an amount in (0, 1e15] fen", "field", "confirmedAmount")
		}
		if !req.Passed && req.ConfirmedAmount != 0 {
			return nil, Effects{}, newError(CodeInvalidArgument, "a failing attestation confirms no amount", "field", "confirmedAmount")
		}
		rec, err := GetAttestor(x, attestor.CreditCode)
		if err != nil {
			if IsCode(err, CodeNotFound) {
				return nil, Effects{}, newError(CodeForbidden, "attestor is not authorised for any kind", "entity", attestor.CreditCode)
			}
			return nil, Effects{}, err
		}
		if !slices.Contains(rec.Kinds, req.Kind) {
			return nil, Effects{}, newError(CodeForbidden, "attestor is not authorised for this kind", "kind", string(req.Kind))
		}
		old, err := loadUnfrozenIn(x, req.WarrantID, StatusIssued, "only an ISSUED warrant can be attested")
		if err != nil {
			return nil, Effects{}, err
		}
		if err := x.checkAttestorSource(old, attestor, req.Kind); err != nil {
			return nil, Effects{}, err
		}
		for _, a := range old.Attestations {
			if a.Kind == req.Kind && a.Attestor == attestor.CreditCode {
				return nil, Effects{}, newError(CodeAlreadyExists, "this attestor already attested this kind",
					"warrantId", old.ID, "kind", string(req.Kind))
			}
		}
		a := Attestation{Kind: req.Kind, Attestor: attestor.CreditCode, Result: VerificationPassed,
			ConfirmedAmount: req.ConfirmedAmount, EvidenceHash: normHash(req.EvidenceHash),
			Reasons: slices.Clone(req.Reasons), TxID: x.tx.ID, At: x.tx.Time}
		if !req.Passed {
			a.Result = VerificationFailed
		}
		w := *old
		w.Attestations = append(slices.Clone(old.Attestations), a)
		if reasons := attestationFindings(old, a); len(reasons) > 0 {
			w.Status = StatusRejected
			w.Verification = &Verification{Verifier: attestor.CreditCode, Result: VerificationFailed,
				EvidenceHash: a.EvidenceHash, Reasons: reasons, At: x.tx.Time}
		}
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		ev.Subject = string(a.Kind)
		return &w, Effects{Event: newEvent(EventAttested, x.tx, ev)}, nil
	})
}

// checkAttestorSource applies the rule of who may speak for each kind (R30).
func (x *opCtx) checkAttestorSource(w *Warrant, attestor *Enterprise, kind AttestationKind) error {
	switch kind {
	case AttestGoodsReceipt:
		if attestor.CreditCode != w.Debtor {
			return newError(CodeForbidden, "goods receipt is confirmed by the buyer (the debtor)", "kind", string(kind))
		}
		return nil
	case AttestContract:
		if attestor.CreditCode != w.Debtor && attestor.CreditCode != w.Holder {
			return newError(CodeForbidden, "the contract is confirmed by its parties (debtor and holder)", "kind", string(kind))
		}
		return nil
	}
	for _, party := range []string{w.Debtor, w.Holder} {
		e, err := loadEnterprise(x, party)
		if err != nil {
			return err
		}
		if related(e, attestor) {
			return newError(CodeRelatedParty, "a third-party source must not be related to the debtor or the holder",
				"kind", string(kind), "party", party)
		}
	}
	return nil
}

// attestationFindings returns why a new attestation rejects the warrant: it fails, it
// confirms less than the face value, or it confirms another amount than an earlier
// passing attestation of the same kind.
func attestationFindings(w *Warrant, a Attestation) []string {
	prefix := string(a.Kind) + " attestation by " + a.Attestor + ": "
	if a.Result == VerificationFailed {
		out := make([]string, len(a.Reasons))
		for i, r := range a.Reasons {
			out[i] = prefix + r
		}
		return out
	}
	var reasons []string
	if a.ConfirmedAmount < w.Amount {
		reasons = append(reasons, prefix+"confirms "+fen(a.ConfirmedAmount)+" fen, less than the amount "+fen(w.Amount)+" fen")
	}
	for _, b := range w.Attestations {
		if b.Kind == a.Kind && b.Result == VerificationPassed && b.ConfirmedAmount != a.ConfirmedAmount {
			reasons = append(reasons, prefix+"conflicts with "+b.Attestor+", which confirmed "+fen(b.ConfirmedAmount)+" fen")
		}
	}
	return reasons
}

// missingAttestations returns, in the order of the parameter, the required kinds not yet
// attested, and a finding if the sources behind them are fewer than
// MinAttestationSources distinct controllers (R30).
func (x *opCtx) missingAttestations(w *Warrant, required []AttestationKind) ([]string, error) {
	var missing []string
	var attestors []string
	for _, k := range required {
		var by []string
		for _, a := range w.Attestations {
			if a.Kind == k && a.Result == VerificationPassed {
				by = append(by, a.Attestor)
			}
		}
		complete := len(by) > 0
		if k == AttestContract {
			complete = slices.Contains(by, w.Debtor) && slices.Contains(by, w.Holder)
		}
		if !complete {
			missing = append(missing, string(k))
			continue
		}
		attestors = append(attestors, by...)
	}
	if len(missing) > 0 {
		return missing, nil
	}
	var controllers []string
	for _, code := range attestors {
		e, err := loadEnterprise(x, code)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(controllers, e.Controller) {
			controllers = append(controllers, e.Controller)
		}
	}
	if len(controllers) < MinAttestationSources {
		return []string{"independent sources"}, nil
	}
	return nil, nil
}

// requireAttestations is the verifier's precondition for passing a warrant (R30).
func (x *opCtx) requireAttestations(w *Warrant) error {
	p, err := x.params()
	if err != nil {
		return err
	}
	missing, err := x.missingAttestations(w, p.RequiredAttestations)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return newError(CodeIncompleteAttestation, "the required attestations are not complete",
			"warrantId", w.ID, "missing", strings.Join(missing, ","))
	}
	return nil
}

// validatePolicy checks the policy parameters (R30, R32).
func (p Params) validatePolicy() error {
	if err := validateKinds("requiredAttestations", p.RequiredAttestations, MinAttestationSources); err != nil {
		return err
	}
	if p.ConfirmationWindowDays < 1 || p.ConfirmationWindowDays > 30 {
		return newError(CodeInvalidArgument, "parameter out of range", "field", "confirmationWindowDays")
	}
	return nil
}

// withPolicyDefaults fills policy parameters left unset with their defaults, so that
// parameters written before they existed keep their meaning.
func (p Params) withPolicyDefaults() Params {
	if len(p.RequiredAttestations) == 0 {
		p.RequiredAttestations = DefaultRequiredAttestations()
	}
	if p.ConfirmationWindowDays == 0 {
		p.ConfirmationWindowDays = DefaultConfirmationWindowDays
	}
	return p
}

// DefaultConfirmationWindowDays: a settlement unconfirmed for longer is overdue (R32).
const DefaultConfirmationWindowDays = 3
