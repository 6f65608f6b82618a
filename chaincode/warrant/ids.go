package warrant

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Ids are derived from inputs and the transaction id only (no counters, no randomness).

// maxIDLength bounds any id accepted from a caller: a root id (25 characters)
// and 4 characters a level, for every depth the parameters may allow plus the
// level a rejected or reclaimed offer adds.
const maxIDLength = 25 + 4*(MaxDepthHardLimit+1)

// rootID derives a root warrant id from the transaction id: "W" + 24 hex digits.
func rootID(txID string) string { return "W" + digest("warrant", txID, 12) }

// applicationID derives an application id from the transaction id: "A" + 24 hex digits.
func applicationID(txID string) string { return "A" + digest("application", txID, 12) }

// childID derives the n-th child id (1-based) from its parent's id. The zero-padded
// suffix makes lexicographic key order the lineage tree's pre-order.
func childID(parentID string, n int) string { return fmt.Sprintf("%s.%03d", parentID, n) }

// registryNo derives a warrant's registry number from its id and the registration day:
// "DJ" + yyyymmdd + "-" + 12 hex digits. Unique because warrant ids are.
func registryNo(warrantID string, at time.Time) string {
	return "DJ" + at.UTC().Format("20060102") + "-" + digest("registry", warrantID, 6)
}

// pledgeRegistryNo derives a pledge registration number from the warrant and tx id.
func pledgeRegistryNo(warrantID, txID string, at time.Time) string {
	return "ZY" + at.UTC().Format("20060102") + "-" + digest("pledge", warrantID+"\x00"+txID, 6)
}

func digest(domain, input string, n int) string {
	h := sha256.Sum256([]byte(domain + "\x00" + input))
	return strings.ToUpper(hex.EncodeToString(h[:n]))
}

// validateWarrantID checks the shape of a warrant id: "W", 24 upper-hex digits, then
// ".nnn" segments.
func validateWarrantID(field, id string) error {
	bad := func() error { return newError(CodeInvalidArgument, "malformed warrant id", "field", field) }
	if len(id) < 25 || len(id) > maxIDLength || id[0] != 'W' {
		return bad()
	}
	if !isUpperHex(id[1:25]) {
		return bad()
	}
	rest := id[25:]
	for rest != "" {
		if len(rest) < 4 || rest[0] != '.' || !isDigits(rest[1:4]) {
			return bad()
		}
		rest = rest[4:]
	}
	return nil
}

// validateApplicationID checks the shape of an application id.
func validateApplicationID(id string) error {
	if len(id) != 25 || id[0] != 'A' || !isUpperHex(id[1:]) {
		return newError(CodeInvalidArgument, "malformed application id", "field", "applicationId")
	}
	return nil
}

// validateHash checks a lowercase or uppercase hex SHA-256 digest (64 digits).
func validateHash(field, h string) error {
	if len(h) != 64 || !isHex(h) {
		return newError(CodeInvalidArgument, "must be a hex SHA-256 digest (64 digits)", "field", field)
	}
	return nil
}

// validateText checks a free text field: non-empty if required, at most max bytes,
// valid UTF-8 without control characters.
func validateText(field, s string, required bool, max int) error {
	if s == "" {
		if required {
			return newError(CodeInvalidArgument, "is required", "field", field)
		}
		return nil
	}
	if len(s) > max {
		return newError(CodeInvalidArgument, fmt.Sprintf("longer than %d bytes", max), "field", field)
	}
	if err := validateKeyPart(s); err != nil {
		return newError(CodeInvalidArgument, "invalid characters", "field", field)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return newError(CodeInvalidArgument, "control characters are not allowed", "field", field)
		}
	}
	return nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isUpperHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// hashJSON is the SHA-256 of v's JSON form (encoding/json is deterministic for structs).
func hashJSON(v any) []byte {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return h[:]
}
