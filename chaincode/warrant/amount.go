package warrant

import (
	"math"
	"strconv"
)

// Amounts are int64 minor units (fen); money is never a float.

// AddAmount returns a+b or an INVALID_ARGUMENT error if the sum overflows int64.
func AddAmount(a, b int64) (int64, error) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, newError(CodeInvalidArgument, "amount overflow", "a", strconv.FormatInt(a, 10), "b", strconv.FormatInt(b, 10))
	}
	return a + b, nil
}

// SubAmount returns a-b or an INVALID_ARGUMENT error if the difference overflows int64.
func SubAmount(a, b int64) (int64, error) {
	if (b < 0 && a > math.MaxInt64+b) || (b > 0 && a < math.MinInt64+b) {
		return 0, newError(CodeInvalidArgument, "amount overflow", "a", strconv.FormatInt(a, 10), "b", strconv.FormatInt(b, 10))
	}
	return a - b, nil
}

// SumAmounts adds all amounts with overflow checks.
func SumAmounts(amounts ...int64) (int64, error) {
	var total int64
	for _, a := range amounts {
		var err error
		if total, err = AddAmount(total, a); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// fen formats an amount for error details and events.
func fen(a int64) string { return strconv.FormatInt(a, 10) }
