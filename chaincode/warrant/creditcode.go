package warrant

import "strings"

// Unified social credit codes (GB 32100-2015): 18 characters from the alphabet below, the
// last a check character over the first 17 (R3).
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidateCreditCode checks length, alphabet and check character of a credit code.
func ValidateCreditCode(code string) error {
	if len(code) != 18 {
		return newError(CodeInvalidArgument, "credit code must have 18 characters", "creditCode", printable(code))
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(creditCodeAlphabet, code[i])
		if v < 0 {
			return newError(CodeInvalidArgument, "credit code has a character outside 0-9A-HJ-NP-RTUW-Y", "creditCode", printable(code))
		}
		if i < 17 {
			sum += v * creditCodeWeights[i]
			continue
		}
		if want := (31 - sum%31) % 31; v != want {
			return newError(CodeInvalidArgument, "credit code check character is wrong", "creditCode", code)
		}
	}
	return nil
}

// printable returns s if it is safe to echo in an error detail, else a placeholder.
func printable(s string) string {
	if len(s) > 64 || validateText("", s, false, 64) != nil {
		return "(unprintable)"
	}
	return s
}
