package warrant

import (
	"regexp"
	"slices"
	"time"
)

// PaymentChannel is how a settlement was paid (R32).
type PaymentChannel string

// Payment channels.
const (
	ChannelBankTransfer PaymentChannel = "BANK_TRANSFER"
	// ChannelECNY: 数字人民币, paid between e-CNY wallets by an operating institution.
	ChannelECNY PaymentChannel = "ECNY"
)

// PayeeShare is what one payee is owed by a leaf's settlement (R32): the pledgee up to
// its secured amount, the holder the rest plus any buyer-paid interest.
type PayeeShare struct {
	Payee    string `json:"payee"`
	Amount   int64  `json:"amount"`
	Interest int64  `json:"interest,omitempty" metadata:",optional"`
}

// ConfirmedPayment is one payment in the paying bank's record (R32).
type ConfirmedPayment struct {
	Payee        string `json:"payee"`
	PayeeAccount string `json:"payeeAccount"`
	Amount       int64  `json:"amount"`
	PaymentRef   string `json:"paymentRef"`
	PayerWallet  string `json:"payerWallet,omitempty" metadata:",optional"`
	PayeeWallet  string `json:"payeeWallet,omitempty" metadata:",optional"`
}

// PaymentConfirmation is the paying bank's signed record that a settlement was paid
// (R32); the transaction that carries it is signed by that bank's identity.
type PaymentConfirmation struct {
	ConfirmedBy string             `json:"confirmedBy"`
	Channel     PaymentChannel     `json:"channel"`
	Payments    []ConfirmedPayment `json:"payments"`
	TxID        string             `json:"txId"`
	At          time.Time          `json:"at"`
}

// ConfirmSettlementRequest is the paying bank's confirmation of a SETTLING leaf: one
// payment per payee share, in the order of Settlement.Payees (R32).
type ConfirmSettlementRequest struct {
	RequestID string             `json:"requestId,omitempty" metadata:",optional"`
	WarrantID string             `json:"warrantId"`
	Channel   PaymentChannel     `json:"channel"`
	Payments  []ConfirmedPayment `json:"payments"`
}

// walletID is the form of an e-CNY wallet id: 16 digits.
var walletID = regexp.MustCompile(`^[0-9]{16}$`)

// payeeShares splits what a leaf's settlement owes: a pledged leaf pays its pledgee up
// to the secured amount and its holder the rest; buyer-paid interest goes to the
// holder (R31, R32).
func payeeShares(w *Warrant) []PayeeShare {
	interest := buyerInterestDue(w)
	if w.Pledge == nil {
		return []PayeeShare{{Payee: w.Holder, Amount: w.Amount + interest, Interest: interest}}
	}
	secured := min(w.Pledge.Amount, w.Amount)
	shares := []PayeeShare{{Payee: w.Pledge.Pledgee, Amount: secured}}
	if rest := w.Amount - secured + interest; rest > 0 {
		shares = append(shares, PayeeShare{Payee: w.Holder, Amount: rest, Interest: interest})
	}
	return shares
}

// initiate returns the SETTLING copy of a leaf whose settlement the debtor initiated,
// to be confirmed by payingBank within the confirmation window (R32).
func (x *opCtx) initiate(old *Warrant, paymentRef, payingBank string, p *Params) (*Warrant, error) {
	w := *old
	shares := payeeShares(&w)
	interest := buyerInterestDue(&w)
	if _, err := AddAmount(w.Amount, interest); err != nil {
		return nil, err
	}
	w.Status, w.FinanceRequest = StatusSettling, nil
	w.Settlement = &Settlement{PaymentRef: paymentRef, Payee: shares[0].Payee, Amount: w.Amount, At: x.tx.Time,
		PayingBank: payingBank, Interest: interest, Payees: shares,
		ConfirmBy: x.tx.Time.AddDate(0, 0, p.ConfirmationWindowDays)}
	if err := x.putWarrant(old, &w); err != nil {
		return nil, err
	}
	k, err := mustKey(objSettling, w.RootID, w.ID)
	if err != nil {
		return nil, err
	}
	x.buf.put(k, marker)
	return &w, nil
}

// addSettling records amount initiated for settlement in the root summary (R32).
func (x *opCtx) addSettling(rootID string, amount int64) error {
	s, err := loadSummary(x, rootID)
	if err != nil {
		return err
	}
	if s.Settling, err = AddAmount(s.Settling, amount); err != nil {
		return err
	}
	return x.putSummary(s)
}

// payingBankOf checks the paying bank named by the debtor (R32).
func payingBankOf(x *opCtx, code string) (*Enterprise, error) {
	return requireBank(x, "payingBank", code, RolePaymentBank)
}

// ConfirmSettlement lets the paying bank named at initiation confirm, with its own
// record, that a SETTLING leaf was paid (R32): the channel, and for each payee share
// the payee, its account, the amount and the bank's payment reference (for e-CNY also
// both wallet ids). Payees and amounts must match the shares exactly and a payment
// reference is used once per bank. The leaf becomes SETTLED, the debtor's credit line
// is restored and the root summary counts the amount and the interest paid.
func ConfirmSettlement(st State, tx Tx, c Caller, req ConfirmSettlementRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "ConfirmSettlement", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		bank, err := requireActingEnterprise(x, c, RolePaymentBank)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := validatePayments(req); err != nil {
			return nil, Effects{}, err
		}
		old, err := loadUnfrozenIn(x, req.WarrantID, StatusSettling, "only a SETTLING leaf can be confirmed")
		if err != nil {
			return nil, Effects{}, err
		}
		if old.Settlement.PayingBank != bank.CreditCode {
			return nil, Effects{}, newError(CodeForbidden, "caller is not the paying bank of this settlement", "warrantId", old.ID)
		}
		if err := matchShares(old.Settlement.Payees, req.Payments); err != nil {
			return nil, Effects{}, err
		}
		for _, pay := range req.Payments {
			if err := x.claimIndex(objPayment, old.ID, bank.CreditCode, pay.PaymentRef); err != nil {
				return nil, Effects{}, err
			}
		}
		w := *old
		s := *old.Settlement
		s.Confirmation = &PaymentConfirmation{ConfirmedBy: bank.CreditCode, Channel: req.Channel,
			Payments: slices.Clone(req.Payments), TxID: x.tx.ID, At: x.tx.Time}
		w.Status, w.Settlement = StatusSettled, &s
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		k, err := mustKey(objSettling, w.RootID, w.ID)
		if err != nil {
			return nil, Effects{}, err
		}
		x.buf.del(k)
		if err := x.restoreCreditLine(w.Debtor, w.Amount); err != nil {
			return nil, Effects{}, err
		}
		if err := x.confirmInSummary(&w); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		return &w, Effects{Event: newEvent(EventSettlementConfirmed, x.tx, ev)}, nil
	})
}

// validatePayments checks the form of a confirmation, before any state is read.
func validatePayments(req ConfirmSettlementRequest) error {
	if req.Channel != ChannelBankTransfer && req.Channel != ChannelECNY {
		return newError(CodeInvalidArgument, "channel must be BANK_TRANSFER or ECNY", "field", "channel")
	}
	if len(req.Payments) < 1 || len(req.Payments) > 2 {
		return newError(CodeInvalidArgument, "a confirmation lists one or two payments", "field", "payments")
	}
	for i, p := range req.Payments {
		if err := ValidateCreditCode(p.Payee); err != nil {
			return newError(CodeInvalidArgument, "payee is not a credit code", "field", "payments.payee")
		}
		if err := validateText("payments.payeeAccount", p.PayeeAccount, true, 64); err != nil {
			return err
		}
		if err := validateText("payments.paymentRef", p.PaymentRef, true, 128); err != nil {
			return err
		}
		if p.Amount <= 0 || p.Amount > MaxAmountCap {
			return newError(CodeInvalidArgument, "payment amount out of range", "field", "payments.amount")
		}
		ecny := req.Channel == ChannelECNY
		for _, wallet := range []string{p.PayerWallet, p.PayeeWallet} {
			if ecny && !walletID.MatchString(wallet) {
				return newError(CodeInvalidArgument, "an e-CNY payment names both wallet ids (16 digits)", "field", "payments.payerWallet")
			}
			if !ecny && wallet != "" {
				return newError(CodeInvalidArgument, "a bank transfer has no wallet ids", "field", "payments.payerWallet")
			}
		}
		for _, q := range req.Payments[:i] {
			if q.PaymentRef == p.PaymentRef {
				return newError(CodeInvalidArgument, "payment reference repeated", "field", "payments.paymentRef")
			}
		}
	}
	return nil
}

// matchShares requires one payment per share, same payee and same amount, in order.
func matchShares(shares []PayeeShare, payments []ConfirmedPayment) error {
	if len(shares) != len(payments) {
		return newError(CodePaymentMismatch, "the settlement has another number of payees",
			"payees", fen(int64(len(shares))), "payments", fen(int64(len(payments))))
	}
	for i, sh := range shares {
		p := payments[i]
		if p.Payee != sh.Payee {
			return newError(CodePaymentMismatch, "payment to the wrong payee", "want", sh.Payee, "got", p.Payee)
		}
		if p.Amount != sh.Amount {
			return newError(CodePaymentMismatch, "payment of the wrong amount", "payee", sh.Payee,
				"want", fen(sh.Amount), "got", fen(p.Amount))
		}
	}
	return nil
}

// confirmInSummary moves a confirmed leaf from settling to settled in its root summary
// and counts its interest as paid (R12, R31, R32).
func (x *opCtx) confirmInSummary(w *Warrant) error {
	s, err := loadSummary(x, w.RootID)
	if err != nil {
		return err
	}
	if s.Settled, err = AddAmount(s.Settled, w.Amount); err != nil {
		return err
	}
	if s.Outstanding, err = SubAmount(s.Outstanding, w.Amount); err != nil {
		return err
	}
	if s.Settling, err = SubAmount(s.Settling, w.Amount); err != nil {
		return err
	}
	if s.InterestPaid, err = AddAmount(s.InterestPaid, w.Settlement.Interest); err != nil {
		return err
	}
	s.SettledLeaves++
	return x.putSummary(s)
}

// PendingSettlement is a leaf awaiting its paying bank's confirmation; Overdue once the
// confirmation window has passed at the given ledger time (R32).
type PendingSettlement struct {
	WarrantID   string    `json:"warrantId"`
	Holder      string    `json:"holder"`
	Amount      int64     `json:"amount"`
	Interest    int64     `json:"interest"`
	PayingBank  string    `json:"payingBank"`
	InitiatedAt time.Time `json:"initiatedAt"`
	ConfirmBy   time.Time `json:"confirmBy"`
	Overdue     bool      `json:"overdue"`
}

// PendingSettlementPage is one page of a root's unconfirmed settlements.
type PendingSettlementPage struct {
	Items    []PendingSettlement `json:"items"`
	Bookmark string              `json:"bookmark,omitempty" metadata:",optional"`
}

// PendingSettlementsRequest pages through a root's unconfirmed settlements as of a
// ledger time (R32).
type PendingSettlementsRequest struct {
	RootID   string    `json:"rootId"`
	AsOf     time.Time `json:"asOf"`
	PageSize int       `json:"pageSize,omitempty" metadata:",optional"`
	Bookmark string    `json:"bookmark,omitempty" metadata:",optional"`
}

// PendingSettlements lists a root's leaves initiated and not yet confirmed, flagging
// those past the confirmation window as overdue, to the parties of the root's tree and
// the association (R32, R16, R20).
func PendingSettlements(r ReadState, c Caller, req PendingSettlementsRequest) (*PendingSettlementPage, error) {
	if err := validateWarrantID("rootId", req.RootID); err != nil {
		return nil, err
	}
	if err := authorizeTreeRead(r, c, req.RootID); err != nil {
		return nil, err
	}
	start, end, err := PartialKeyRange(objSettling, req.RootID)
	if err != nil {
		return nil, err
	}
	kvs, next, err := rangePage(r, start, end, req.PageSize, req.Bookmark)
	if err != nil {
		return nil, err
	}
	page := &PendingSettlementPage{Items: []PendingSettlement{}, Bookmark: next}
	for _, kv := range kvs {
		w, err := loadWarrant(r, lastAttr(kv.Key))
		if err != nil {
			return nil, err
		}
		if w.Settlement == nil {
			return nil, internal("settling index", newError(CodeInvalidState, "leaf has no settlement", "warrantId", w.ID))
		}
		page.Items = append(page.Items, PendingSettlement{WarrantID: w.ID, Holder: w.Holder, Amount: w.Amount,
			Interest: w.Settlement.Interest, PayingBank: w.Settlement.PayingBank, InitiatedAt: w.Settlement.At,
			ConfirmBy: w.Settlement.ConfirmBy, Overdue: req.AsOf.After(w.Settlement.ConfirmBy)})
	}
	return page, nil
}
