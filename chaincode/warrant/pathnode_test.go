package warrant

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadPathNode checks that the R8a path reads the same holder and status as a
// whole decode, from stored warrants with every optional record and from records the
// shortcut cannot read (members reordered, nested first, escaped), which it decodes
// whole (R8a).
func TestReadPathNode(t *testing.T) {
	e := newEnv(t)
	w := e.active(codeT1A, 1000)
	res := e.split(codeT1A, w.ID, Part{codeT2A, 100})
	full := *e.get(w.ID)
	full.Pledge = &Pledge{Pledgee: codeBank, Amount: 1, RegistryNo: "ZY", RegisteredAt: t0}
	full.Freeze = &FreezeRecord{Reason: "a \"quoted\" reason \\ with escapes", By: "r", At: t0}
	full.Custodian = codeBank
	stored := func(w Warrant) string {
		b, err := json.Marshal(w)
		require.NoError(t, err)
		return string(b)
	}
	cases := []struct {
		name, record string
		shortcut     bool
	}{
		{"a stored root", stored(*e.get(w.ID)), true},
		{"a stored pending part", stored(res.Children[0]), true},
		{"a record with every optional member", stored(full), true},
		{"status before holder", `{"status":"SPLIT","depth":1,"holder":"H"}`, true},
		{"spaces", " {\n \"holder\" : \"H\" ,\t\"x\": -1.5e3 , \"status\":\"ACTIVE\" } ", true},
		{"an object before the holder", `{"trade":{"holder":"X"},"holder":"H","status":"ACTIVE"}`, false},
		{"an array before the status", `{"holder":"H","a":[1],"status":"ACTIVE"}`, false},
		{"an escaped holder", `{"holder":"\u0048","status":"ACTIVE"}`, false},
		{"an escaped member name", `{"hold\u0065r":"X","holder":"H","status":"ACTIVE"}`, false},
		{"a missing status", `{"holder":"H","depth":1}`, false},
	}
	for _, c := range cases {
		var want pathNode
		require.NoError(t, json.Unmarshal([]byte(c.record), &want), c.name)
		_, ok := scanPathNode([]byte(c.record))
		require.Equal(t, c.shortcut, ok, "%s: read by the shortcut", c.name)
		got, err := readPathNode([]byte(c.record))
		require.NoError(t, err, c.name)
		require.Equal(t, want, got, c.name)
	}
	t.Run("Rejects a record that is not a warrant", func(t *testing.T) {
		for _, record := range []string{`{"holder":1,"status":"ACTIVE"}`, `{"holder":"H",`, ``, `["holder","H"]`} {
			_, err := readPathNode([]byte(record))
			require.True(t, IsCode(err, CodeInternal), "%q: %v", record, err)
		}
	})
}

// FuzzReadPathNode checks that the path reads what a whole decode reads from stored
// warrants of any holder, status and other contents.
func FuzzReadPathNode(f *testing.F) {
	f.Add("91440300908301663N", "ACTIVE", "W1", "reason", int64(1))
	f.Add("a\"b", "SPLIT\u2028", "", "\x00", int64(-1))
	f.Fuzz(func(t *testing.T, holder, status, parent, reason string, amount int64) {
		w := Warrant{ID: "W1", ParentID: parent, Holder: holder, Status: Status(status), Amount: amount,
			Freeze: &FreezeRecord{Reason: reason}, Trade: &Trade{ContractHash: holder}}
		record, err := json.Marshal(w)
		require.NoError(t, err)
		var want pathNode
		require.NoError(t, json.Unmarshal(record, &want))
		got, err := readPathNode(record)
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
}
