package warrant

import (
	"time"
)

// maxInvoices bounds the invoices of one trade.
const maxInvoices = 50

// IssueRequest issues a warrant (R4): the debtor's issuer names the first holder.
type IssueRequest struct {
	RequestID string    `json:"requestId,omitempty" metadata:",optional"`
	Debtor    string    `json:"debtor"`
	Holder    string    `json:"holder"`
	Amount    int64     `json:"amount"`
	Currency  string    `json:"currency,omitempty" metadata:",optional"`
	MaturesAt time.Time `json:"maturesAt"`
	Trade     Trade     `json:"trade"`
	// Documents are the trade documents, taken from the transient map (key "trade"),
	// never from the public arguments (R17).
	Documents *TradeDocuments `json:"-"`
}

// Issue creates a root warrant in status ISSUED (R4, R4a, R4b): the caller is an issuer
// of the debtor, the first holder is an onboarded holder that is neither the debtor nor
// a related party, amount within (0, cap], tenor within the parameter and one year, and
// the debtor's credit line covers the amount.
func Issue(st State, tx Tx, c Caller, req IssueRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "Issue", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		debtor, err := requireActingEnterprise(x, c, RoleIssuer)
		if err != nil {
			return nil, Effects{}, err
		}
		if debtor.CreditCode != req.Debtor {
			return nil, Effects{}, newError(CodeForbidden, "caller is not an issuer of the debtor", "debtor", printable(req.Debtor))
		}
		w, err := x.createRoot(debtor, rootTerms{holder: req.Holder, amount: req.Amount, currency: req.Currency,
			maturesAt: req.MaturesAt, trade: req.Trade, documents: req.Documents})
		if err != nil {
			return nil, Effects{}, err
		}
		return w, Effects{Event: newEvent(EventIssued, x.tx, warrantEvent(w))}, nil
	})
}

// rootTerms are the terms of a new root warrant, from Issue or from an application.
type rootTerms struct {
	id        string // "" = derive from the tx id
	holder    string
	amount    int64
	currency  string
	maturesAt time.Time
	trade     Trade
	documents *TradeDocuments // from the transient map; nil if none (R17)
	// fromApplication: the trade is an application's, its documents already attached.
	fromApplication bool
}

// validateTerms checks the R4 terms that do not depend on the debtor's identity.
func (x *opCtx) validateTerms(debtor *Enterprise, t rootTerms) (*Enterprise, *Params, error) {
	p, err := x.params()
	if err != nil {
		return nil, nil, err
	}
	holder, err := requireParty(x, "holder", t.holder, RoleHolder)
	if err != nil {
		return nil, nil, err
	}
	if holder.CreditCode == debtor.CreditCode {
		return nil, nil, newError(CodeInvalidArgument, "the first holder must not be the debtor", "field", "holder")
	}
	if related(holder, debtor) {
		return nil, nil, newError(CodeRelatedParty, "the first holder is a related party of the debtor",
			"holder", holder.CreditCode, "debtor", debtor.CreditCode)
	}
	if err := validateAmount(t.amount, p); err != nil {
		return nil, nil, err
	}
	if t.currency != "" && t.currency != CurrencyCNY {
		return nil, nil, newError(CodeInvalidArgument, "currency must be CNY", "field", "currency")
	}
	if err := validateTenor(x.tx.Time, t.maturesAt, p); err != nil {
		return nil, nil, err
	}
	if err := validateTrade(t.trade); err != nil {
		return nil, nil, err
	}
	return holder, p, nil
}

// createRoot checks the terms, consumes the credit line and writes the new root.
func (x *opCtx) createRoot(debtor *Enterprise, t rootTerms) (*Warrant, error) {
	holder, _, err := x.validateTerms(debtor, t)
	if err != nil {
		return nil, err
	}
	id := t.id
	if id == "" {
		id = rootID(x.tx.ID)
	}
	if _, err := loadWarrant(x, id); err == nil {
		return nil, newError(CodeAlreadyExists, "warrant id already exists", "warrantId", id)
	} else if !IsCode(err, CodeNotFound) {
		return nil, err
	}
	if err := x.consumeCreditLine(debtor.CreditCode, t.amount); err != nil {
		return nil, err
	}
	trade := t.trade
	trade.Invoices = append([]Invoice(nil), t.trade.Invoices...)
	if !t.fromApplication {
		if err := x.attachDocuments(&trade, t.documents); err != nil {
			return nil, err
		}
	}
	w := &Warrant{ID: id, RootID: id, Debtor: debtor.CreditCode, Holder: holder.CreditCode,
		Amount: t.amount, Currency: CurrencyCNY, IssuedAt: x.tx.Time, MaturesAt: t.maturesAt.UTC(),
		Status: StatusIssued, Trade: &trade}
	if err := x.putWarrant(nil, w); err != nil {
		return nil, err
	}
	s := &RootSummary{RootID: id, Debtor: w.Debtor, Face: w.Amount, Outstanding: w.Amount, MaturesAt: w.MaturesAt}
	if err := x.putSummary(s); err != nil {
		return nil, err
	}
	return w, nil
}

// validateAmount checks 0 < amount <= cap (R4).
func validateAmount(amount int64, p *Params) error {
	if amount <= 0 {
		return newError(CodeInvalidArgument, "amount must be positive", "field", "amount")
	}
	if amount > p.AmountCap {
		return newError(CodeInvalidArgument, "amount exceeds the cap", "field", "amount", "cap", fen(p.AmountCap))
	}
	return nil
}

// validateTenor checks that maturity is after now, within the tenor parameter and never
// more than one year away (R4).
func validateTenor(now, maturesAt time.Time, p *Params) error {
	if !maturesAt.After(now) {
		return newError(CodeInvalidArgument, "maturity must be after the issue time", "field", "maturesAt")
	}
	days := min(p.MaxTenorDays, MaxTenorHardLimitDays)
	if maturesAt.After(now.AddDate(0, 0, days)) {
		return newError(CodeInvalidArgument, "tenor exceeds the maximum", "field", "maturesAt", "maxTenorDays", fen(int64(days)))
	}
	return nil
}

// validateTrade checks the shape of a trade: hashes, invoice keys, amounts, parties, and
// no invoice or document twice (DUPLICATE_INVOICE).
func validateTrade(t Trade) error {
	if err := validateHash("trade.contractHash", t.ContractHash); err != nil {
		return err
	}
	if t.DocumentsHash != "" {
		if err := validateHash("trade.documentsHash", t.DocumentsHash); err != nil {
			return err
		}
	}
	if len(t.Invoices) == 0 || len(t.Invoices) > maxInvoices {
		return newError(CodeInvalidArgument, "a trade needs 1 to 50 invoices", "field", "trade.invoices")
	}
	for i, inv := range t.Invoices {
		if err := validateInvoiceKey("trade.invoices", inv.Code, inv.Number); err != nil {
			return err
		}
		if inv.Amount <= 0 || inv.Amount > MaxAmountCap {
			return newError(CodeInvalidArgument, "invoice amount out of range", "field", "trade.invoices.amount")
		}
		if err := ValidateCreditCode(inv.Seller); err != nil {
			return newError(CodeInvalidArgument, "invoice seller is not a valid credit code", "field", "trade.invoices.seller")
		}
		if err := ValidateCreditCode(inv.Buyer); err != nil {
			return newError(CodeInvalidArgument, "invoice buyer is not a valid credit code", "field", "trade.invoices.buyer")
		}
		if err := validateHash("trade.invoices.documentHash", inv.DocumentHash); err != nil {
			return err
		}
		for _, prev := range t.Invoices[:i] {
			if prev.Code == inv.Code && prev.Number == inv.Number {
				return newError(CodeDuplicateInvoice, "invoice listed twice", "invoice", invoiceName(inv))
			}
			if equalFoldHex(prev.DocumentHash, inv.DocumentHash) {
				return newError(CodeDuplicateInvoice, "document hash listed twice", "documentHash", inv.DocumentHash)
			}
		}
	}
	return nil
}

// validateInvoiceKey checks an invoice's identity as the tax system defines it (R5, R6):
// a fully digitalised e-invoice (数电发票) is identified by its 20-digit number alone and
// has no invoice code; a legacy VAT invoice by its 10- or 12-digit code plus its 8-digit
// number. Only these exact forms are accepted, so one invoice has one index key: a
// 数电发票 presented with a made-up code, or a code or number padded with zeros, is
// rejected instead of naming a second, different invoice.
func validateInvoiceKey(field, code, number string) error {
	switch {
	case len(number) == 20 && isDigits(number):
		if code != "" {
			return newError(CodeInvalidArgument, "a 数电发票 (20-digit number) has no invoice code", "field", field+".code")
		}
	case len(number) == 8 && isDigits(number):
		if (len(code) != 10 && len(code) != 12) || !isDigits(code) {
			return newError(CodeInvalidArgument, "a legacy VAT invoice code must be 10 or 12 digits", "field", field+".code")
		}
	default:
		return newError(CodeInvalidArgument, "invoice number must be 20 digits (数电发票) or 8 digits (legacy VAT)", "field", field+".number")
	}
	return nil
}

// invoiceKeyAttrs are the attributes of an invoice's index key, its identity (R6): the
// number alone for a 数电发票, code and number for a legacy VAT invoice.
func invoiceKeyAttrs(code, number string) []string {
	if code == "" {
		return []string{number}
	}
	return []string{code, number}
}

// invoiceName names an invoice in messages: its number, or code/number.
func invoiceName(inv Invoice) string {
	if inv.Code == "" {
		return inv.Number
	}
	return inv.Code + "/" + inv.Number
}

func equalFoldHex(a, b string) bool { return normHash(a) == normHash(b) }

// normHash lower-cases a hex digest so index keys do not depend on the caller's case.
func normHash(h string) string {
	b := []byte(h)
	for i, c := range b {
		if c >= 'A' && c <= 'F' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
