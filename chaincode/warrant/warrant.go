package warrant

import "time"

// Status is a warrant's lifecycle state (DESIGN §4). Frozen is a flag, not a status.
type Status string

// Warrant statuses.
const (
	StatusIssued            Status = "ISSUED"             // confirmed by the debtor (R4)
	StatusVerified          Status = "VERIFIED"           // trade background checked (R5)
	StatusActive            Status = "ACTIVE"             // registered (R6) or accepted (R8)
	StatusSplit             Status = "SPLIT"              // consumed by a split or factoring (R7, R11)
	StatusPendingAcceptance Status = "PENDING_ACCEPTANCE" // a transferred part awaiting the recipient (R8)
	StatusPledged           Status = "PLEDGED"            // carries a pledge (R11)
	StatusSettled           Status = "SETTLED"            // paid by the debtor, confirmed by the paying bank (R12, R32)
	StatusSettling          Status = "SETTLING"           // payment initiated by the debtor, awaiting the paying bank (R32)
	StatusRejected          Status = "REJECTED"           // verification failed (R5)
	StatusCancelled         Status = "CANCELLED"          // cancelled before registration (R14)
	// StatusReturned marks an offered part that was rejected or reclaimed; its single
	// child is back with the sender, so lineage is never rewritten (R8).
	StatusReturned Status = "RETURNED"
)

// AllStatuses lists the statuses in a fixed order (for validation and tests).
var AllStatuses = []Status{StatusIssued, StatusVerified, StatusActive, StatusSplit,
	StatusPendingAcceptance, StatusPledged, StatusSettled, StatusRejected, StatusCancelled, StatusReturned,
	StatusSettling}

// IsLeaf reports whether a warrant in this status is a leaf of its root's tree, i.e. its
// amount counts in conservation (R9).
func (s Status) IsLeaf() bool { return s != StatusSplit && s != StatusReturned }

// IsLive reports whether a warrant in this status is a leaf that is still owed.
func (s Status) IsLive() bool {
	switch s {
	case StatusIssued, StatusVerified, StatusActive, StatusPendingAcceptance, StatusPledged, StatusSettling:
		return true
	}
	return false
}

// CurrencyCNY is the only currency; amounts are in fen.
const CurrencyCNY = "CNY"

// Warrant is a supply-chain digital asset warrant or a part of one (DESIGN §4). Parts
// made by splits share RootID, Debtor, MaturesAt and RegistryNo; trade details stay on
// the root.
type Warrant struct {
	ID             string          `json:"id"`
	RootID         string          `json:"rootId"`
	ParentID       string          `json:"parentId,omitempty" metadata:",optional"`
	Depth          int             `json:"depth"`
	Debtor         string          `json:"debtor"`
	Holder         string          `json:"holder"`
	Amount         int64           `json:"amount"`
	Currency       string          `json:"currency"`
	IssuedAt       time.Time       `json:"issuedAt"`
	MaturesAt      time.Time       `json:"maturesAt"`
	Status         Status          `json:"status"`
	RegistryNo     string          `json:"registryNo,omitempty" metadata:",optional"`
	RegisteredAt   time.Time       `json:"registeredAt,omitzero" metadata:",optional"`
	Custodian      string          `json:"custodian,omitempty" metadata:",optional"`
	Pledge         *Pledge         `json:"pledge,omitempty" metadata:",optional"`
	Frozen         bool            `json:"frozen"`
	Freeze         *FreezeRecord   `json:"freeze,omitempty" metadata:",optional"`
	Trade          *Trade          `json:"trade,omitempty" metadata:",optional"`
	Verification   *Verification   `json:"verification,omitempty" metadata:",optional"`
	Settlement     *Settlement     `json:"settlement,omitempty" metadata:",optional"`
	Offer          *Offer          `json:"offer,omitempty" metadata:",optional"`
	FinanceRequest *FinanceRequest `json:"financeRequest,omitempty" metadata:",optional"`
	UpdatedAt      time.Time       `json:"updatedAt"`
	// Policy fields (R30–R33): standard version, attestations, interest, discount.
	Standard      string         `json:"standard"`
	Attestations  []Attestation  `json:"attestations,omitempty" metadata:",optional"`
	InterestTerms *InterestTerms `json:"interestTerms,omitempty" metadata:",optional"`
	Discount      *Discount      `json:"discount,omitempty" metadata:",optional"`
	// TermsHash is the SHA-256 of the financing terms of the bank that holds this part
	// by factoring, kept in that bank's implicit collection (R17).
	TermsHash string `json:"termsHash,omitempty" metadata:",optional"`
	// PriorHolders are the enterprises that held this part's ancestors, nearest first,
	// each once (the recipient of a part returned unaccepted never held it): with
	// holder and debtor, the parties R8a checks a new holder against. Set when the
	// part is created; a root has none.
	PriorHolders []string `json:"priorHolders,omitempty" metadata:",optional"`
}

// Trade is the public part of a warrant's trade background: hashes and invoice keys; the
// line items are private data (R17).
type Trade struct {
	ContractHash string    `json:"contractHash"`
	Invoices     []Invoice `json:"invoices"`
	// DocumentsHash is the SHA-256 of the trade documents (TradeDocuments, salted) the
	// chaincode stored in the trade documents collection; "" when none were given (R17).
	DocumentsHash string `json:"documentsHash,omitempty" metadata:",optional"`
}

// Invoice is a VAT invoice behind a warrant; seller and buyer are credit codes.
type Invoice struct {
	Code         string `json:"code,omitempty" metadata:",optional"` // "" for a 数电发票
	Number       string `json:"number"`
	Amount       int64  `json:"amount"`
	Seller       string `json:"seller"`
	Buyer        string `json:"buyer"`
	DocumentHash string `json:"documentHash"`
}

// VerificationResult is the outcome of R5.
type VerificationResult string

// Verification outcomes.
const (
	VerificationPassed VerificationResult = "VERIFIED"
	VerificationFailed VerificationResult = "REJECTED"
)

// Verification records who checked the trade background, the outcome and why (R5).
type Verification struct {
	Verifier     string             `json:"verifier"`
	Result       VerificationResult `json:"result"`
	EvidenceHash string             `json:"evidenceHash"`
	Reasons      []string           `json:"reasons,omitempty" metadata:",optional"`
	At           time.Time          `json:"at"`
}

// Pledge is a registered pledge (R11); priority follows RegisteredAt.
type Pledge struct {
	Pledgee      string    `json:"pledgee"`
	Amount       int64     `json:"amount"`
	RegistryNo   string    `json:"registryNo"`
	RegisteredAt time.Time `json:"registeredAt"`
	// TermsHash is the SHA-256 of the pledgee's financing terms, kept in its implicit
	// collection (R17); "" when none were given.
	TermsHash string `json:"termsHash,omitempty" metadata:",optional"`
}

// Settlement records a payment of a leaf (R12): initiated by the debtor, final when the
// paying bank confirms it (R32). Payee is the first payee (the pledgee of a pledged
// leaf, else the holder); Payees lists every share, Interest the buyer-paid interest
// due with it (R31).
type Settlement struct {
	PaymentRef   string               `json:"paymentRef"`
	Payee        string               `json:"payee"`
	Amount       int64                `json:"amount"`
	At           time.Time            `json:"at"`
	PayingBank   string               `json:"payingBank,omitempty" metadata:",optional"`
	Interest     int64                `json:"interest,omitempty" metadata:",optional"`
	Payees       []PayeeShare         `json:"payees,omitempty" metadata:",optional"`
	ConfirmBy    time.Time            `json:"confirmBy,omitzero" metadata:",optional"`
	Confirmation *PaymentConfirmation `json:"confirmation,omitempty" metadata:",optional"`
}

// Offer is a pending transfer of a part to its recipient (R8).
type Offer struct {
	From      string    `json:"from"`
	OfferedAt time.Time `json:"offeredAt"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// FreezeRecord records a regulator's freeze (R13).
type FreezeRecord struct {
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// FinanceRequest records that the holder asked a bank for financing (R11).
type FinanceRequest struct {
	Financier string    `json:"financier"`
	At        time.Time `json:"at"`
}
