package chaincode

import (
	"bytes"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPrefixWriter(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"Prefixes each complete line", []string{"a\nb\n"}, "[cc] a\n[cc] b\n"},
		{"Joins a line split across writes", []string{"hel", "lo\n"}, "[cc] hello\n"},
		{"Flushes an unterminated last line", []string{"a\ntail"}, "[cc] a\n[cc] tail\n"},
		{"Writes nothing for no output", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			w := &prefixWriter{out: &out, mu: &sync.Mutex{}, prefix: "[cc] "}
			for _, s := range tc.writes {
				n, err := w.Write([]byte(s))
				require.NoError(t, err)
				require.Equal(t, len(s), n)
			}
			w.flush()
			require.Equal(t, tc.want, out.String())
		})
	}
}

func TestLaunchEnv(t *testing.T) {
	t.Setenv("CORE_PEER_TLS_ENABLED", "true")
	env := launchEnv(Spec{Name: "asset", Version: "2", Address: "127.0.0.1:9999", Env: []string{"EXTRA=1"}})
	last := map[string]string{}
	for _, kv := range env {
		k, v, _ := bytes.Cut([]byte(kv), []byte("="))
		last[string(k)] = string(v)
	}
	require.Equal(t, "127.0.0.1:9999", last["CHAINCODE_SERVER_ADDRESS"])
	require.Equal(t, "asset:2", last["CORE_CHAINCODE_ID_NAME"])
	require.Equal(t, "false", last["CORE_PEER_TLS_ENABLED"], "the launched chaincode must speak plaintext")
	require.Equal(t, "1", last["EXTRA"])
}
