package warrant

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// withCheck appends the GB 32100-2015 check character to 17 characters.
func withCheck(s string) string {
	sum := 0
	for i := 0; i < 17; i++ {
		for v := 0; v < len(creditCodeAlphabet); v++ {
			if creditCodeAlphabet[v] == s[i] {
				sum += v * creditCodeWeights[i]
			}
		}
	}
	return s + string(creditCodeAlphabet[(31-sum%31)%31])
}

// requireSameState compares two snapshots byte for byte and names the first difference.
func requireSameState(t testing.TB, before, after []KV) {
	t.Helper()
	for i := 0; i < len(before) && i < len(after); i++ {
		if before[i].Key != after[i].Key || !bytes.Equal(before[i].Value, after[i].Value) {
			t.Fatalf("state changed by a rejected call at key %q (was %q)", after[i].Key, before[i].Key)
		}
	}
	if len(before) != len(after) {
		t.Fatalf("state changed by a rejected call: %d keys before, %d after", len(before), len(after))
	}
}

// onboard adds an enterprise outside the cast and returns its caller with those roles.
func (e *env) onboard(code, mspID, controller string, roles ...Role) Caller {
	e.t.Helper()
	_, _, err := OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), OnboardEnterpriseRequest{
		CreditCode: code, Name: "企业" + code, MSPID: mspID, Roles: roles, Controller: controller})
	require.NoError(e.t, err)
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return NewCaller(mspID, code, strings.Join(names, ","))
}
