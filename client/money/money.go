// Package money formats amounts of fen for people. Integer arithmetic only: no float
// ever touches money.
package money

import (
	"strconv"
	"strings"
)

// Yuan formats an amount in fen as yuan with two decimals and thousands separators,
// e.g. 123456789 → "1,234,567.89".
func Yuan(fen int64) string {
	sign := ""
	magnitude := uint64(fen)
	if fen < 0 {
		sign = "-"
		magnitude = uint64(-(fen + 1)) + 1 // safe for math.MinInt64
	}
	whole, cents := magnitude/100, magnitude%100
	digits := strconv.FormatUint(whole, 10)
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	b.WriteByte('.')
	if cents < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.FormatUint(cents, 10))
	return b.String()
}

// WithSign renders an amount for tables and pages: "¥1,234.56".
func WithSign(fen int64) string { return "¥" + Yuan(fen) }
