package warrant

import (
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// NormalizeName is how the ledger compares a controller or a registered name (R3): Unicode
// NFKC (full-width and half-width forms alike, e.g. "（" and "("), case-folded, trimmed,
// runs of white space collapsed to one space. Two controllers that normalise to the same
// text are the same controller, so "Chen Family", "chen family" and "ＣＨＥＮ　ＦＡＭＩＬＹ"
// name one group.
func NormalizeName(s string) string {
	s = cases.Fold().String(norm.NFKC.String(s))
	return strings.Join(strings.Fields(norm.NFKC.String(s)), " ")
}
