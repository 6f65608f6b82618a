package warrant

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCreditCode(t *testing.T) {
	for _, m := range members {
		t.Run("Accepts the cast code of "+m.Name, func(t *testing.T) {
			require.NoError(t, ValidateCreditCode(m.CreditCode))
		})
	}
	for name, code := range map[string]string{
		"Rejects a wrong check character": "9144030052601815XA",
		"Rejects a short code":            "9144030052601815X",
		"Rejects a forbidden letter I":    "91440300I2601815XN",
		"Rejects lower case":              "9144030052601815xn",
		"Rejects an empty code":           "",
	} {
		t.Run(name, func(t *testing.T) {
			require.True(t, IsCode(ValidateCreditCode(code), CodeInvalidArgument))
		})
	}
}

func TestCompositeKey(t *testing.T) {
	t.Run("Uses the Fabric shim format", func(t *testing.T) {
		k, err := CompositeKey("warrant~holder", "A", "ACTIVE", "W1")
		require.NoError(t, err)
		require.Equal(t, "\x00warrant~holder\x00A\x00ACTIVE\x00W1\x00", k)
		typ, attrs := splitCompositeKey(k)
		require.Equal(t, "warrant~holder", typ)
		require.Equal(t, []string{"A", "ACTIVE", "W1"}, attrs)
	})
	t.Run("Ends a partial range at U+10FFFF", func(t *testing.T) {
		s, e, err := PartialKeyRange("warrant~leaf", "R")
		require.NoError(t, err)
		require.Equal(t, "\x00warrant~leaf\x00R\x00", s)
		require.Equal(t, s+"\U0010FFFF", e)
	})
	for name, part := range map[string]string{"Rejects U+0000": "a\x00b", "Rejects U+10FFFF": "a\U0010FFFFb", "Rejects invalid UTF-8": "\xff"} {
		t.Run(name, func(t *testing.T) {
			_, err := CompositeKey("warrant", part)
			require.True(t, IsCode(err, CodeInvalidArgument))
		})
	}
}

func TestError(t *testing.T) {
	t.Run("Encodes as code, message and sorted details", func(t *testing.T) {
		err := newError(CodeFrozen, "warrant is frozen", "z", "1", "a", "2")
		b, jerr := json.Marshal(err)
		require.NoError(t, jerr)
		require.Equal(t, `{"code":"FROZEN","message":"warrant is frozen","details":{"a":"2","z":"1"}}`, string(b))
		require.Equal(t, "FROZEN: warrant is frozen (a=2, z=1)", err.Error())
	})
	t.Run("Works with errors.As and errors.Is through wrapping", func(t *testing.T) {
		wrapped := fmt.Errorf("context: %w", newError(CodePledged, "pledged"))
		var e *Error
		require.ErrorAs(t, wrapped, &e)
		require.Equal(t, CodePledged, e.Code)
		require.ErrorIs(t, wrapped, &Error{Code: CodePledged})
		require.NotErrorIs(t, wrapped, &Error{Code: CodeFrozen})
	})
	t.Run("Maps foreign errors to INTERNAL", func(t *testing.T) {
		require.Equal(t, CodeInternal, ErrorCode(errors.New("disk")))
		require.Nil(t, AsError(nil))
	})
}

func TestAmount(t *testing.T) {
	_, err := AddAmount(math.MaxInt64, 1)
	require.True(t, IsCode(err, CodeInvalidArgument), "add overflows")
	_, err = SubAmount(math.MinInt64, 1)
	require.True(t, IsCode(err, CodeInvalidArgument), "sub overflows")
	s, err := SumAmounts(1, 2, 3)
	require.NoError(t, err)
	require.EqualValues(t, 6, s)
	_, err = SumAmounts(math.MaxInt64, 1)
	require.Error(t, err)
}

func TestMemState(t *testing.T) {
	m := NewMemState()
	for i := 999; i >= 0; i-- {
		require.NoError(t, m.Put(fmt.Sprintf("k%04d", i), []byte{byte(i)}))
	}
	t.Run("Ranges in order with a limit and an end", func(t *testing.T) {
		kvs, err := m.Range("k0100", "k0200", 5)
		require.NoError(t, err)
		require.Len(t, kvs, 5)
		require.Equal(t, "k0100", kvs[0].Key)
		kvs, _ = m.Range("k0100", "k0200", 0)
		require.Len(t, kvs, 100)
		require.Equal(t, "k0199", kvs[99].Key)
	})
	t.Run("Deletes keys", func(t *testing.T) {
		for i := 0; i < 1000; i += 2 {
			require.NoError(t, m.Delete(fmt.Sprintf("k%04d", i)))
		}
		require.Equal(t, 500, m.Len())
		kvs, _ := m.Range("", "", 3)
		require.Equal(t, []string{"k0001", "k0003", "k0005"}, []string{kvs[0].Key, kvs[1].Key, kvs[2].Key})
		v, err := m.Get("k0002")
		require.NoError(t, err)
		require.Nil(t, v)
	})
	t.Run("Refuses empty values as Fabric would delete them", func(t *testing.T) {
		require.Error(t, m.Put("x", nil))
	})
}

func TestCaller(t *testing.T) {
	e := newEnv(t)
	has := func(c Caller, role Role) bool {
		ok, err := hasRole(e.st, c, role)
		require.NoError(t, err)
		return ok
	}
	c := NewCaller(MSPBank, codeBank, " custodian , financier,admin")
	require.Equal(t, []Role{RoleCustodian, RoleFinancier, RoleAdmin}, c.Roles)
	require.True(t, has(c, RoleCustodian))
	require.True(t, has(c, RoleFinancier))
	require.False(t, has(c, RoleAdmin), "admin only counts in an association member (R2)")
	require.False(t, has(NewCaller(MSPAssociation, "", "issuer"), RoleIssuer))
	require.True(t, has(NewCaller(MSPBank, "", "holder"), RoleHolder))
	require.False(t, has(NewCaller("UnregisteredMSP", "", "holder"), RoleHolder), "a role counts only in a member org (R34)")
	require.False(t, has(NewCaller(MSPBank, "", "owner"), Role("owner")))
}

func TestDecodeRequest(t *testing.T) {
	for name, in := range map[string]string{
		"Rejects unknown fields":    `{"warrantId":"W","bogus":1}`,
		"Rejects trailing data":     `{"warrantId":"W"} {}`,
		"Rejects null":              `null`,
		"Rejects an array":          `[]`,
		"Rejects a wrong type":      `{"warrantId":5}`,
		"Rejects truncated objects": `{"warrantId":"W"`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeRequest[RegisterRequest]([]byte(in))
			require.True(t, IsCode(err, CodeInvalidArgument), "%v", err)
		})
	}
	t.Run("Decodes a valid object", func(t *testing.T) {
		r, err := DecodeRequest[SplitTransferRequest]([]byte(` {"warrantId":"W1","parts":[{"recipient":"X","amount":5}]} `))
		require.NoError(t, err)
		require.Equal(t, []Part{{Recipient: "X", Amount: 5}}, r.Parts)
	})
}

func TestShimRange(t *testing.T) {
	t.Run("Maps a partial-key range to its object type and attributes", func(t *testing.T) {
		s, e, _ := PartialKeyRange("warrant~holder", "A", "ACTIVE")
		typ, attrs, err := ShimRange(s, e)
		require.NoError(t, err)
		require.Equal(t, "warrant~holder", typ)
		require.Equal(t, []string{"A", "ACTIVE"}, attrs)
	})
	t.Run("Maps a subtree range to the root's lineage prefix", func(t *testing.T) {
		p, _ := CompositeKey("warrant~lineage", "R")
		start := p + "R.001."
		typ, attrs, err := ShimRange(start, start+"\U0010FFFF")
		require.NoError(t, err)
		require.Equal(t, "warrant~lineage", typ)
		require.Equal(t, []string{"R"}, attrs)
	})
	t.Run("Rejects simple-key ranges", func(t *testing.T) {
		_, _, err := ShimRange("a", "b")
		require.Error(t, err)
	})
}
