package warrant

import "time"

// CreditLine is a core enterprise's issuance line set by a financier bank (R4a). One key
// per debtor: every issuance, settlement and cancellation of that debtor writes it, so
// they serialise per debtor by design.
type CreditLine struct {
	Debtor    string    `json:"debtor"`
	Financier string    `json:"financier"`
	Limit     int64     `json:"limit"`
	Used      int64     `json:"used"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Available is the amount still issuable (never negative).
func (l CreditLine) Available() int64 {
	if l.Used >= l.Limit {
		return 0
	}
	return l.Limit - l.Used
}

// SetCreditLineRequest sets the limit of a core enterprise's credit line.
type SetCreditLineRequest struct {
	Debtor string `json:"debtor"`
	Limit  int64  `json:"limit"`
}

// SetCreditLine sets a debtor's limit (financier of an onboarded bank, R4a). The used
// amount is kept; a limit below it blocks further issuance. The first financier to set
// a debtor's line owns it: only that bank may change it later (FORBIDDEN otherwise).
func SetCreditLine(st State, tx Tx, c Caller, req SetCreditLineRequest) (*CreditLine, Effects, error) {
	return execute(st, tx, c, "SetCreditLine", "", req, func(x *opCtx) (*CreditLine, Effects, error) {
		bank, err := requireActingEnterprise(x, c, RoleFinancier)
		if err != nil {
			return nil, Effects{}, err
		}
		if req.Limit < 0 || req.Limit > MaxAmountCap {
			return nil, Effects{}, newError(CodeInvalidArgument, "limit out of range", "field", "limit")
		}
		if _, err := requireParty(x, "debtor", req.Debtor, RoleIssuer); err != nil {
			return nil, Effects{}, err
		}
		line, err := loadCreditLine(x, req.Debtor)
		if err != nil {
			return nil, Effects{}, err
		}
		if line.Financier != "" && line.Financier != bank.CreditCode {
			return nil, Effects{}, newError(CodeForbidden, "the credit line was set by another financier",
				"debtor", req.Debtor, "financier", line.Financier)
		}
		line.Financier, line.Limit, line.UpdatedAt = bank.CreditCode, req.Limit, x.tx.Time
		if err := x.putCreditLine(line); err != nil {
			return nil, Effects{}, err
		}
		return line, Effects{Event: newEvent(EventCreditLineSet, x.tx, EventPayload{})}, nil
	})
}

// GetCreditLine returns a debtor's credit line (a zero line if none was set) to the
// bank that set it, the debtor and the association: a line is the bank's business
// (R20).
func GetCreditLine(r StateReader, c Caller, debtor string) (*CreditLine, error) {
	if err := ValidateCreditCode(debtor); err != nil {
		return nil, err
	}
	line, err := loadCreditLine(r, debtor)
	if err != nil {
		return nil, err
	}
	if err := authorizeOneOf(r, c, "only the bank that set the line, the debtor and the association read a credit line (R20)",
		debtor, line.Financier); err != nil {
		return nil, err
	}
	return line, nil
}

func loadCreditLine(r StateReader, debtor string) (*CreditLine, error) {
	key, err := CreditLineKey(debtor)
	if err != nil {
		return nil, err
	}
	line := &CreditLine{Debtor: debtor}
	if _, err := getJSON(r, key, line); err != nil {
		return nil, err
	}
	return line, nil
}

func (x *opCtx) putCreditLine(l *CreditLine) error {
	key, err := mustKey(objCreditLine, l.Debtor)
	if err != nil {
		return err
	}
	return x.putJSON(key, l)
}

// consumeCreditLine takes amount from the debtor's line (R4a).
func (x *opCtx) consumeCreditLine(debtor string, amount int64) error {
	line, err := loadCreditLine(x, debtor)
	if err != nil {
		return err
	}
	if amount > line.Available() {
		return newError(CodeInsufficientCreditLine, "amount exceeds the debtor's available credit line",
			"debtor", debtor, "available", fen(line.Available()), "amount", fen(amount))
	}
	if line.Used, err = AddAmount(line.Used, amount); err != nil {
		return err
	}
	line.UpdatedAt = x.tx.Time
	return x.putCreditLine(line)
}

// restoreCreditLine gives amount back to the debtor's line (settlement, cancellation).
func (x *opCtx) restoreCreditLine(debtor string, amount int64) error {
	line, err := loadCreditLine(x, debtor)
	if err != nil {
		return err
	}
	if line.Used, err = SubAmount(line.Used, amount); err != nil {
		return err
	}
	if line.Used < 0 {
		line.Used = 0
	}
	line.UpdatedAt = x.tx.Time
	return x.putCreditLine(line)
}
