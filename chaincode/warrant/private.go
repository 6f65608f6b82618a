package warrant

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Private data (R17). Trade documents (contract terms, invoice line items and prices) and
// a bank's financing terms never reach the public ledger: the client passes them in the
// proposal's transient map, the chaincode stores them in a private data collection, and
// the public record keeps only their SHA-256. The hash is taken over the canonical
// encoding (CanonicalJSON), which is also the stored value, so it equals the hash Fabric
// itself puts in the block's hashed read-write set. Trade data has little entropy (a
// price list, a contract number): an unsalted hash could be brute-forced, so every
// document carries a random salt of at least 128 bits chosen by the client, and whoever
// holds the document (salt included) can check it against the ledger, nobody else can.

// Collections and transient keys of R17.
const (
	// TradeDocumentsCollection is the collection of the three orgs (core enterprise,
	// bank, association) that stores trade documents; see chaincode/collections_config.json.
	TradeDocumentsCollection = "tradeDocuments"
	// TransientTrade is the transient map key of an Issue's or Apply's TradeDocuments.
	TransientTrade = "trade"
	// TransientTerms is the transient map key of RecordFinancingTerms' FinancingTerms.
	TransientTerms = "terms"
	// implicitCollectionPrefix names an org's implicit collection, as Fabric does.
	implicitCollectionPrefix = "_implicit_org_"
)

// Bounds of private documents.
const (
	minSaltHex     = 32 // 128 bits
	maxSaltHex     = 128
	maxLineItems   = 200
	maxTermsBytes  = 32 << 10
	maxPrivateJSON = 1 << 20
)

// Private data keys.
const (
	objTradeDocuments = "private~trade" // documents hash → canonical TradeDocuments
	objFinancingTerms = "private~terms" // terms hash → canonical FinancingTerms
)

// ImplicitCollection is the implicit private data collection of an org (Fabric's
// _implicit_org_<MSPID>): its peers alone store what is written there.
func ImplicitCollection(mspID string) string { return implicitCollectionPrefix + mspID }

// TradeDocuments are a warrant's trade details (R17): the trade contract and every
// invoice's line items. They are private data; the warrant keeps their hash
// (Trade.DocumentsHash).
type TradeDocuments struct {
	// Salt is 32 to 128 hex digits of randomness the client draws for this trade.
	Salt     string          `json:"salt"`
	Contract TradeContract   `json:"contract"`
	Invoices []InvoiceDetail `json:"invoices"`
}

// TradeContract is the trade contract behind a warrant.
type TradeContract struct {
	Number   string    `json:"number"`
	SignedAt time.Time `json:"signedAt"`
	Amount   int64     `json:"amount"`                               // contract value, fen
	Terms    string    `json:"terms,omitempty" metadata:",optional"` // delivery, payment and other terms
}

// InvoiceDetail is the line items of one invoice of the public trade (same code and
// number); the line amounts add up to the invoice's amount.
type InvoiceDetail struct {
	Code   string     `json:"code,omitempty" metadata:",optional"`
	Number string     `json:"number"`
	Lines  []LineItem `json:"lines"`
}

// LineItem is one line of an invoice: goods, quantity, unit price and amount (tax
// included), money in fen.
type LineItem struct {
	Description string `json:"description"`
	Quantity    string `json:"quantity"` // a decimal, e.g. "12.5"
	Unit        string `json:"unit,omitempty" metadata:",optional"`
	UnitPrice   int64  `json:"unitPrice"`
	Amount      int64  `json:"amount"`
}

// FinancingTerms are a bank's terms for financing a warrant (R17): kept in the bank's
// implicit collection; the pledge or the factored part keeps their hash.
type FinancingTerms struct {
	// Salt is 32 to 128 hex digits of randomness the bank draws for this financing.
	Salt       string `json:"salt"`
	LoanAmount int64  `json:"loanAmount"` // fen
	RateBP     int64  `json:"rateBp"`     // annual rate, basis points
	Fees       int64  `json:"fees"`       // fen
	Note       string `json:"note,omitempty" metadata:",optional"`
}

// PrivateWrite asks the adapter to write Value under Key in a private data collection.
type PrivateWrite struct {
	Collection string
	Key        string
	Value      []byte
}

// PrivateReader reads one key of a private data collection; a missing key yields (nil, nil).
type PrivateReader interface {
	GetPrivate(collection, key string) ([]byte, error)
}

// PrivateHashReader reads the SHA-256 of one key's value in a private data collection,
// as every peer of the channel holds it (Fabric's GetPrivateDataHash); a missing key
// yields (nil, nil). An operation's State offers it when the operation checks private
// data it cannot read.
type PrivateHashReader interface {
	GetPrivateHash(collection, key string) ([]byte, error)
}

// TransientRequest is a request that takes private data from the proposal's transient
// map (R17); the adapter hands it the map, and refuses transient data to any other
// request.
type TransientRequest interface {
	TakeTransient(transient map[string][]byte) error
}

// VerifyResult answers whether documents match what the ledger holds, and nothing else.
type VerifyResult struct {
	Match bool `json:"match"`
}

// CanonicalJSON is the encoding that is hashed and stored: encoding/json of the struct
// (fields in declared order, no whitespace).
func CanonicalJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// HashTradeDocuments is the hex SHA-256 of the documents' canonical encoding.
func HashTradeDocuments(d TradeDocuments) string { return hashHex(CanonicalJSON(d)) }

// HashFinancingTerms is the hex SHA-256 of the terms' canonical encoding.
func HashFinancingTerms(t FinancingTerms) string { return hashHex(CanonicalJSON(t)) }

func hashHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// decodeTransient takes the one allowed key from a transient map and decodes it strictly.
func decodeTransient[T any](transient map[string][]byte, key string) (*T, error) {
	for k := range transient {
		if k != key {
			return nil, newError(CodeInvalidArgument, "unexpected transient key", "transientKey", printable(k), "want", key)
		}
	}
	raw, ok := transient[key]
	if !ok {
		return nil, nil
	}
	if len(raw) > maxPrivateJSON {
		return nil, newError(CodeInvalidArgument, "transient data too large", "transientKey", key)
	}
	v, err := DecodeRequest[T](raw)
	if err != nil {
		e := AsError(err)
		if e.Details == nil {
			e.Details = map[string]string{}
		}
		e.Details["transientKey"] = key
		return nil, e
	}
	return &v, nil
}

// TakeTransient reads the trade documents (transient key "trade") of an Issue (R17).
func (r *IssueRequest) TakeTransient(transient map[string][]byte) (err error) {
	r.Documents, err = decodeTransient[TradeDocuments](transient, TransientTrade)
	return err
}

// TakeTransient reads the trade documents (transient key "trade") of an Apply (R17).
func (r *ApplyRequest) TakeTransient(transient map[string][]byte) (err error) {
	r.Documents, err = decodeTransient[TradeDocuments](transient, TransientTrade)
	return err
}

// TakeTransient reads the financing terms (transient key "terms") to record (R17).
func (r *RecordTermsRequest) TakeTransient(transient map[string][]byte) (err error) {
	r.Terms, err = decodeTransient[FinancingTerms](transient, TransientTerms)
	return err
}

// validateSalt checks a client-drawn salt: 32 to 128 hex digits.
func validateSalt(field, salt string) error {
	if len(salt) < minSaltHex || len(salt) > maxSaltHex || !isHex(salt) {
		return newError(CodeInvalidArgument, "salt must be 32 to 128 hex digits of randomness", "field", field)
	}
	return nil
}

// validateDocumentText checks free text of a private document: valid UTF-8, no NUL,
// line breaks and tabs allowed, at most max bytes.
func validateDocumentText(field, s string, required bool, max int) error {
	if s == "" && required {
		return newError(CodeInvalidArgument, "is required", "field", field)
	}
	if len(s) > max {
		return newError(CodeInvalidArgument, fmt.Sprintf("longer than %d bytes", max), "field", field)
	}
	if !utf8.ValidString(s) {
		return newError(CodeInvalidArgument, "not valid UTF-8", "field", field)
	}
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t' && r != '\r') || r == 0x7f {
			return newError(CodeInvalidArgument, "control characters are not allowed", "field", field)
		}
	}
	return nil
}

// validateQuantity checks a decimal quantity: digits with at most one point.
func validateQuantity(field, q string) error {
	whole, frac, _ := strings.Cut(q, ".")
	if len(q) > 32 || !isDigits(whole) || (strings.Contains(q, ".") && !isDigits(frac)) {
		return newError(CodeInvalidArgument, "quantity must be a decimal number", "field", field)
	}
	return nil
}

// validateDocuments checks trade documents against the public trade they back: the
// salt, the contract, and one detail per public invoice whose lines add up to its
// amount (R17).
func validateDocuments(d *TradeDocuments, t Trade) error {
	if err := validateSalt("trade.salt", d.Salt); err != nil {
		return err
	}
	if err := validateText("trade.contract.number", d.Contract.Number, true, 64); err != nil {
		return err
	}
	if d.Contract.SignedAt.IsZero() {
		return newError(CodeInvalidArgument, "is required", "field", "trade.contract.signedAt")
	}
	if d.Contract.Amount <= 0 || d.Contract.Amount > MaxAmountCap {
		return newError(CodeInvalidArgument, "contract amount out of range", "field", "trade.contract.amount")
	}
	if err := validateDocumentText("trade.contract.terms", d.Contract.Terms, false, maxTermsBytes); err != nil {
		return err
	}
	if len(d.Invoices) != len(t.Invoices) {
		return newError(CodeInvalidArgument, "the documents need one invoice detail per invoice of the trade", "field", "trade.invoices")
	}
	for i, detail := range d.Invoices {
		inv := t.Invoices[i]
		if detail.Code != inv.Code || detail.Number != inv.Number {
			return newError(CodeInvalidArgument, "invoice details must follow the trade's invoices in order",
				"field", "trade.invoices", "invoice", invoiceName(inv))
		}
		if err := validateLines(detail.Lines, inv); err != nil {
			return err
		}
	}
	return nil
}

// validateLines checks an invoice's line items and that they add up to its amount.
func validateLines(lines []LineItem, inv Invoice) error {
	if len(lines) == 0 || len(lines) > maxLineItems {
		return newError(CodeInvalidArgument, "an invoice needs 1 to 200 line items", "field", "trade.invoices.lines", "invoice", invoiceName(inv))
	}
	var total int64
	for _, line := range lines {
		if err := validateDocumentText("trade.invoices.lines.description", line.Description, true, 256); err != nil {
			return err
		}
		if err := validateText("trade.invoices.lines.unit", line.Unit, false, 16); err != nil {
			return err
		}
		if err := validateQuantity("trade.invoices.lines.quantity", line.Quantity); err != nil {
			return err
		}
		if line.UnitPrice < 0 || line.UnitPrice > MaxAmountCap || line.Amount <= 0 || line.Amount > MaxAmountCap {
			return newError(CodeInvalidArgument, "line price or amount out of range", "field", "trade.invoices.lines", "invoice", invoiceName(inv))
		}
		var err error
		if total, err = AddAmount(total, line.Amount); err != nil {
			return err
		}
	}
	if total != inv.Amount {
		return newError(CodeInvalidArgument, "line amounts do not add up to the invoice amount",
			"field", "trade.invoices.lines", "invoice", invoiceName(inv), "lines", fen(total), "amount", fen(inv.Amount))
	}
	return nil
}

// validateFinancingTerms checks financing terms (R17).
func validateFinancingTerms(t *FinancingTerms) error {
	if err := validateSalt("terms.salt", t.Salt); err != nil {
		return err
	}
	if t.LoanAmount <= 0 || t.LoanAmount > MaxAmountCap {
		return newError(CodeInvalidArgument, "loan amount out of range", "field", "terms.loanAmount")
	}
	if t.RateBP < 0 || t.RateBP > 10_000 {
		return newError(CodeInvalidArgument, "rate must be 0 to 10000 basis points", "field", "terms.rateBp")
	}
	if t.Fees < 0 || t.Fees > MaxAmountCap {
		return newError(CodeInvalidArgument, "fees out of range", "field", "terms.fees")
	}
	return validateDocumentText("terms.note", t.Note, false, 1024)
}

// attachDocuments validates trade documents against the trade, records their hash in
// the trade and stores them in the trade documents collection (R17). A trade that
// arrives with a documents hash but no documents is refused: the hash is the
// chaincode's to compute.
func (x *opCtx) attachDocuments(t *Trade, d *TradeDocuments) error {
	if t.DocumentsHash != "" {
		return newError(CodeInvalidArgument, "documentsHash is computed from the transient trade documents, not sent",
			"field", "trade.documentsHash")
	}
	if d == nil {
		return nil
	}
	if err := validateDocuments(d, *t); err != nil {
		return err
	}
	value := CanonicalJSON(d)
	t.DocumentsHash = hashHex(value)
	return x.putPrivate(TradeDocumentsCollection, objTradeDocuments, t.DocumentsHash, value)
}

// RecordTermsRequest records a bank's financing terms in its implicit collection (R17).
type RecordTermsRequest struct {
	// Terms are taken from the transient map (key "terms"), never from the public
	// arguments.
	Terms *FinancingTerms `json:"-"`
}

// TermsRecord is the hash under which financing terms were recorded; a Pledge or a
// Factor names it (termsHash).
type TermsRecord struct {
	TermsHash string `json:"termsHash"`
}

// RecordFinancingTerms lets a financier bank store its financing terms in its own
// implicit collection (R17). The transaction writes nothing public, so only the bank's
// org endorses it (the implicit collection's endorsement policy is the org's): the
// terms never leave the bank's peers. A later Pledge or Factor names the returned hash,
// and the chaincode checks it against the collection's hash, which every peer holds.
func RecordFinancingTerms(st State, tx Tx, c Caller, req RecordTermsRequest) (*TermsRecord, Effects, error) {
	return execute(st, tx, c, "RecordFinancingTerms", "", req, func(x *opCtx) (*TermsRecord, Effects, error) {
		bank, err := requireActingEnterprise(x, c, RoleFinancier)
		if err != nil {
			return nil, Effects{}, err
		}
		if req.Terms == nil {
			return nil, Effects{}, newError(CodeInvalidArgument, "the terms are required in the transient map", "transientKey", TransientTerms)
		}
		if err := validateFinancingTerms(req.Terms); err != nil {
			return nil, Effects{}, err
		}
		value := CanonicalJSON(req.Terms)
		h := hashHex(value)
		if err := x.putPrivate(ImplicitCollection(bank.MSPID), objFinancingTerms, h, value); err != nil {
			return nil, Effects{}, err
		}
		return &TermsRecord{TermsHash: h}, Effects{Event: newEvent(EventTermsRecorded, x.tx, EventPayload{})}, nil
	})
}

// checkRecordedTerms checks that the bank recorded financing terms under hash in its
// implicit collection (RecordFinancingTerms): the collection's hash of that key, which
// every peer holds, equals it (R17). "" names no terms.
func (x *opCtx) checkRecordedTerms(bank *Enterprise, hash string) error {
	if hash == "" {
		return nil
	}
	if err := validateHash("termsHash", hash); err != nil {
		return err
	}
	hash = normHash(hash)
	reader, ok := x.st.(PrivateHashReader)
	if !ok {
		return internal("check financing terms", fmt.Errorf("the state offers no private data hashes"))
	}
	key, err := mustKey(objFinancingTerms, hash)
	if err != nil {
		return err
	}
	got, err := reader.GetPrivateHash(ImplicitCollection(bank.MSPID), key)
	if err != nil {
		return internal("read private data hash", err)
	}
	if hex.EncodeToString(got) != hash {
		return newError(CodeNotFound, "the bank has recorded no financing terms with this hash (RecordFinancingTerms)", "termsHash", hash)
	}
	return nil
}

// putPrivate buffers a private write; execute hands it to the adapter on success only.
func (x *opCtx) putPrivate(collection, obj, hash string, value []byte) error {
	key, err := mustKey(obj, hash)
	if err != nil {
		return err
	}
	x.private = append(x.private, PrivateWrite{Collection: collection, Key: key, Value: value})
	return nil
}

// VerifyTradeDocuments tells any member whether documents are the trade documents of
// a warrant's root: their hash equals the one on the ledger (R17). It answers only
// match or no match: an unknown warrant, or one without documents, is no match.
func VerifyTradeDocuments(r StateReader, warrantID string, documents TradeDocuments) (*VerifyResult, error) {
	if err := validateWarrantID("warrantId", warrantID); err != nil {
		return nil, err
	}
	root, err := rootOf(r, warrantID)
	if err != nil || root == nil {
		return &VerifyResult{}, err
	}
	want := ""
	if root.Trade != nil {
		want = root.Trade.DocumentsHash
	}
	return &VerifyResult{Match: want != "" && HashTradeDocuments(documents) == want}, nil
}

// VerifyFinancingTerms tells any member whether terms are the financing terms recorded
// on a warrant: its pledge's, or those of the bank that factored it (R17). It answers
// only match or no match.
func VerifyFinancingTerms(r StateReader, warrantID string, terms FinancingTerms) (*VerifyResult, error) {
	if err := validateWarrantID("warrantId", warrantID); err != nil {
		return nil, err
	}
	w, err := loadWarrant(r, warrantID)
	if IsCode(err, CodeNotFound) {
		return &VerifyResult{}, nil
	}
	if err != nil {
		return nil, err
	}
	want := termsHashOf(w)
	return &VerifyResult{Match: want != "" && HashFinancingTerms(terms) == want}, nil
}

// termsHashOf is the hash of the financing terms recorded on w ("" if none).
func termsHashOf(w *Warrant) string {
	if w.Pledge != nil && w.Pledge.TermsHash != "" {
		return w.Pledge.TermsHash
	}
	return w.TermsHash
}

// rootOf loads the root of a warrant's tree; nil if the warrant does not exist.
func rootOf(r StateReader, warrantID string) (*Warrant, error) {
	w, err := loadWarrant(r, warrantID)
	if IsCode(err, CodeNotFound) {
		return nil, nil
	}
	if err != nil || w.RootID == w.ID {
		return w, err
	}
	root, err := loadWarrant(r, w.RootID)
	if IsCode(err, CodeNotFound) {
		return nil, nil
	}
	return root, err
}

// GetTradeDocuments returns the trade documents of a warrant's root to a party of its
// tree or the association (R17, R20), read from the trade documents collection (the
// peer must be a member). NOT_FOUND if the trade has none or this peer lacks them.
func GetTradeDocuments(r StateReader, p PrivateReader, c Caller, warrantID string) (*TradeDocuments, error) {
	w, err := GetWarrant(r, c, warrantID)
	if err != nil {
		return nil, err
	}
	root := w
	if w.RootID != w.ID {
		if root, err = loadWarrant(r, w.RootID); err != nil {
			return nil, err
		}
	}
	if root.Trade == nil || root.Trade.DocumentsHash == "" {
		return nil, newError(CodeNotFound, "the warrant's trade has no documents on the ledger", "warrantId", warrantID)
	}
	var d TradeDocuments
	if err := getPrivateJSON(p, TradeDocumentsCollection, objTradeDocuments, root.Trade.DocumentsHash, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// GetFinancingTerms returns the financing terms recorded on a warrant to the financier
// of the bank that set them — its pledgee, or the bank holding it by factoring — read
// from that bank's implicit collection (R17). Any other caller is FORBIDDEN.
func GetFinancingTerms(r StateReader, p PrivateReader, c Caller, warrantID string) (*FinancingTerms, error) {
	w, err := loadWarrantArg(r, "warrantId", warrantID)
	if err != nil {
		return nil, err
	}
	bank := w.Holder
	if w.Pledge != nil {
		bank = w.Pledge.Pledgee
	}
	entity, err := readerEntity(r, c)
	if err != nil {
		return nil, err
	}
	financier, err := hasRole(r, c, RoleFinancier)
	if err != nil {
		return nil, err
	}
	if entity != bank || !financier {
		return nil, newError(CodeForbidden, "only the financing bank reads its terms (R17)", "warrantId", warrantID)
	}
	h := termsHashOf(w)
	if h == "" {
		return nil, newError(CodeNotFound, "no financing terms are recorded on the warrant", "warrantId", warrantID)
	}
	var t FinancingTerms
	if err := getPrivateJSON(p, ImplicitCollection(c.MSPID), objFinancingTerms, h, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// getPrivateJSON reads and decodes a private document stored under its hash, and
// checks the hash.
func getPrivateJSON(p PrivateReader, collection, obj, hash string, out any) error {
	key, err := mustKey(obj, hash)
	if err != nil {
		return err
	}
	b, err := p.GetPrivate(collection, key)
	if err != nil {
		return internal("read private data", err)
	}
	if b == nil {
		return newError(CodeNotFound, "the private data is not on this peer", "collection", collection)
	}
	if hashHex(b) != hash {
		return internal("read private data", fmt.Errorf("stored value does not match its hash"))
	}
	if err := json.Unmarshal(b, out); err != nil {
		return internal("decode private data", err)
	}
	return nil
}
