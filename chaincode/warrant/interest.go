package warrant

import (
	"math/big"
	"time"
)

// InterestPayer says who bears the interest of a discount (R31).
type InterestPayer string

// Interest payers.
const (
	// PayerBuyer: 买方付息. The debtor pays the interest with settlement; the seller
	// receives the face value.
	PayerBuyer InterestPayer = "BUYER"
	// PayerHolder: the holder bears the interest; the bank pays face value less interest.
	PayerHolder InterestPayer = "HOLDER"
)

// DayCount is the day-count convention of an interest arrangement (R31).
type DayCount string

// Day counts: actual days over a year of 365 or 360 days.
const (
	DayCountAct365 DayCount = "ACT/365"
	DayCountAct360 DayCount = "ACT/360"
)

// MaxRateBasisPoints bounds the annual rate: 24% (2400 basis points).
const MaxRateBasisPoints = 2400

// chinaStandardTime is UTC+8, the zone whose calendar dates interest days count.
var chinaStandardTime = time.FixedZone("CST", 8*3600)

// InterestTerms is a root's interest arrangement, set by the debtor before registration
// (R31).
type InterestTerms struct {
	Payer      InterestPayer `json:"payer"`
	RateBP     int           `json:"rateBp"` // annual rate in basis points (1/10000)
	DayCount   DayCount      `json:"dayCount"`
	ArrangedAt time.Time     `json:"arrangedAt"`
}

// Discount records the interest of a part a bank factored (R31): Proceeds is what the
// bank paid the seller; with PayerBuyer, Interest is owed by the debtor with settlement.
type Discount struct {
	Bank     string        `json:"bank"`
	Payer    InterestPayer `json:"payer"`
	RateBP   int           `json:"rateBp"`
	DayCount DayCount      `json:"dayCount"`
	Days     int           `json:"days"`
	Interest int64         `json:"interest"`
	Proceeds int64         `json:"proceeds"`
	At       time.Time     `json:"at"`
}

// ArrangeInterestRequest sets a root's interest arrangement (R31).
type ArrangeInterestRequest struct {
	RequestID string        `json:"requestId,omitempty" metadata:",optional"`
	WarrantID string        `json:"warrantId"`
	Payer     InterestPayer `json:"payer"`
	RateBP    int           `json:"rateBp"`
	DayCount  DayCount      `json:"dayCount"`
}

// ArrangeInterest lets the debtor's issuer set who pays the interest of a discount, the
// annual rate and the day count on an unfrozen root that is ISSUED or VERIFIED (R31).
// Once registered the terms never change.
func ArrangeInterest(st State, tx Tx, c Caller, req ArrangeInterestRequest) (*Warrant, Effects, error) {
	return execute(st, tx, c, "ArrangeInterest", req.RequestID, req, func(x *opCtx) (*Warrant, Effects, error) {
		if req.Payer != PayerBuyer && req.Payer != PayerHolder {
			return nil, Effects{}, newError(CodeInvalidArgument, "payer must be BUYER or HOLDER", "field", "payer")
		}
		if req.RateBP < 1 || req.RateBP > MaxRateBasisPoints {
			return nil, Effects{}, newError(CodeInvalidArgument, "rate must be 1..2400 basis points", "field", "rateBp")
		}
		if _, err := yearDays(req.DayCount); err != nil {
			return nil, Effects{}, err
		}
		old, err := loadWarrantArg(x, "warrantId", req.WarrantID)
		if err != nil {
			return nil, Effects{}, err
		}
		_, err = requireDebtorIssuer(x, old.Debtor)
		if err != nil {
			return nil, Effects{}, err
		}
		if err := checkNotFrozen(old); err != nil {
			return nil, Effects{}, err
		}
		if old.ParentID != "" || (old.Status != StatusIssued && old.Status != StatusVerified) {
			return nil, Effects{}, newError(CodeInvalidState, "interest is arranged on a root before registration",
				"warrantId", old.ID, "status", string(old.Status))
		}
		w := *old
		w.InterestTerms = &InterestTerms{Payer: req.Payer, RateBP: req.RateBP, DayCount: req.DayCount, ArrangedAt: x.tx.Time}
		if err := x.putWarrant(old, &w); err != nil {
			return nil, Effects{}, err
		}
		ev := warrantEvent(&w)
		return &w, Effects{Event: newEvent(EventInterestArranged, x.tx, ev)}, nil
	})
}

func yearDays(dc DayCount) (int64, error) {
	switch dc {
	case DayCountAct365:
		return 365, nil
	case DayCountAct360:
		return 360, nil
	}
	return 0, newError(CodeInvalidArgument, "day count must be ACT/365 or ACT/360", "field", "dayCount")
}

// InterestDays counts the days of interest from one instant to another: the difference
// of their calendar dates in China Standard Time (UTC+8), at least one day (R31).
func InterestDays(from, to time.Time) int {
	f := from.In(chinaStandardTime)
	t := to.In(chinaStandardTime)
	fd := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, time.UTC)
	td := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	days := int(td.Sub(fd).Hours() / 24)
	if days < 1 {
		return 1
	}
	return days
}

// ComputeInterest returns amount × rateBP/10000 × days / year-days in fen, rounded half
// up (四舍五入) to the fen (R31). It is exact (big integers) and fails if the result
// does not fit an amount.
func ComputeInterest(amount int64, rateBP int, dc DayCount, days int) (int64, error) {
	year, err := yearDays(dc)
	if err != nil {
		return 0, err
	}
	if amount < 0 || rateBP < 0 || days < 0 {
		return 0, newError(CodeInvalidArgument, "interest of a negative quantity")
	}
	num := new(big.Int).Mul(big.NewInt(amount), big.NewInt(int64(rateBP)))
	num.Mul(num, big.NewInt(int64(days)))
	den := big.NewInt(10000 * year)
	// half up: floor((2·num + den) / (2·den))
	num.Mul(num, big.NewInt(2)).Add(num, den)
	q := num.Quo(num, new(big.Int).Mul(den, big.NewInt(2)))
	if !q.IsInt64() || q.Int64() > MaxAmountCap {
		return 0, newError(CodeInvalidArgument, "interest overflows the amount range")
	}
	return q.Int64(), nil
}

// discount applies the root's interest arrangement to the part a bank just factored
// (R31): the interest of its amount from today to maturity. With PayerHolder the bank
// pays the seller the amount less interest; with PayerBuyer it pays the face value and
// the interest is added to the debtor's obligation in the root summary. A root without
// an arrangement leaves the part as it is.
func (x *opCtx) discount(res *SplitResult, bank string) error {
	root, err := loadWarrant(x, res.Parent.RootID)
	if err != nil {
		return err
	}
	terms := root.InterestTerms
	if terms == nil {
		return nil
	}
	old := res.Children[0]
	days := InterestDays(x.tx.Time, old.MaturesAt)
	interest, err := ComputeInterest(old.Amount, terms.RateBP, terms.DayCount, days)
	if err != nil {
		return err
	}
	d := &Discount{Bank: bank, Payer: terms.Payer, RateBP: terms.RateBP, DayCount: terms.DayCount,
		Days: days, Interest: interest, Proceeds: old.Amount, At: x.tx.Time}
	if terms.Payer == PayerHolder {
		if d.Proceeds, err = SubAmount(old.Amount, interest); err != nil || d.Proceeds <= 0 {
			return newError(CodeInvalidArgument, "interest exceeds the amount", "warrantId", old.ID)
		}
	} else if interest > 0 {
		if err := x.addInterestDue(root.ID, interest); err != nil {
			return err
		}
	}
	w := old
	w.Discount = d
	if err := x.putWarrant(&old, &w); err != nil {
		return err
	}
	res.Children[0] = w
	return nil
}

// buyerInterestDue is the buyer-paid interest payable with the settlement of w (R31).
func buyerInterestDue(w *Warrant) int64 {
	if w.Discount == nil || w.Discount.Payer != PayerBuyer {
		return 0
	}
	return w.Discount.Interest
}

// checkDiscountHeld refuses to move a part whose buyer-paid interest is still owed: the
// discounting bank holds it to settlement, so the interest is paid to whoever bore the
// discount (R31).
func checkDiscountHeld(w *Warrant) error {
	if buyerInterestDue(w) > 0 {
		return newError(CodeInvalidState, "a part discounted with buyer-paid interest is held to settlement", "warrantId", w.ID)
	}
	return nil
}

// addInterestDue adds buyer-paid interest to the root summary (R31).
func (x *opCtx) addInterestDue(rootID string, interest int64) error {
	s, err := loadSummary(x, rootID)
	if err != nil {
		return err
	}
	if s.InterestDue, err = AddAmount(s.InterestDue, interest); err != nil {
		return err
	}
	return x.putSummary(s)
}
