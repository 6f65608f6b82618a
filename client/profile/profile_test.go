package profile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/client/profile"
)

const rootPEM = "-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n"

func TestTarget(t *testing.T) {
	dir := t.TempDir()
	rootPath := filepath.Join(dir, "ca.crt")
	require.NoError(t, os.WriteFile(rootPath, []byte(rootPEM), 0o600))
	// A profile as fabric-samples' test network writes it: the client
	// organization is named by its org name, not its MSP ID.
	p := &profile.Profile{
		Name:   "test-network-org1",
		Client: profile.Client{Organization: "Org1"},
		Organizations: map[string]profile.Org{
			"Org1": {MSPID: "Org1MSP", Peers: []string{"peer0.org1.example.com"}},
			"Org2": {MSPID: "Org2MSP", Peers: []string{"peer0.org2.example.com"}},
		},
		Peers: map[string]profile.Peer{
			"peer0.org1.example.com": {URL: "grpcs://localhost:7051", TLSCACerts: profile.PEM{PEM: rootPEM},
				GRPCOptions: map[string]any{"ssl-target-name-override": "peer0.org1.example.com", "grpc.keepalive_time_ms": 120000}},
			"peer0.org2.example.com": {URL: "grpcs://localhost:9051", TLSCACerts: profile.PEM{Path: rootPath},
				GRPCOptions: profile.HostOverrides("org2.alias")},
			"plain":     {URL: "grpc://127.0.0.1:7051"},
			"no-root":   {URL: "grpcs://127.0.0.1:7051"},
			"bad-url":   {URL: "https://127.0.0.1:7051"},
			"lost-root": {URL: "grpcs://127.0.0.1:7051", TLSCACerts: profile.PEM{Path: filepath.Join(dir, "missing.crt")}},
		},
	}
	tests := []struct {
		name string
		peer string
		want profile.Target
		err  string
	}{
		{"No name picks the client organization's first peer, with its inline root", "",
			profile.Target{Address: "localhost:7051", TLS: true, RootPEM: []byte(rootPEM), HostAlias: "peer0.org1.example.com"}, ""},
		{"A named peer, its root read from a file and its host override", "peer0.org2.example.com",
			profile.Target{Address: "localhost:9051", TLS: true, RootPEM: []byte(rootPEM), HostAlias: "org2.alias"}, ""},
		{"A grpc:// peer is dialled without TLS", "plain", profile.Target{Address: "127.0.0.1:7051", HostAlias: "plain"}, ""},
		{"An unknown peer is refused", "peer9", profile.Target{}, `no peer "peer9"`},
		{"A TLS peer without a root is refused", "no-root", profile.Target{}, "no TLS root"},
		{"A URL of another scheme is refused", "bad-url", profile.Target{}, "neither grpc:// nor grpcs://"},
		{"A root file that cannot be read is refused", "lost-root", profile.Target{}, "TLS root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Target(tt.peer)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	t.Run("The MSP ID is the client organization's", func(t *testing.T) {
		require.Equal(t, "Org1MSP", p.MSPID())
	})
	t.Run("A profile that lists no peer has no target", func(t *testing.T) {
		_, err := (&profile.Profile{Name: "empty"}).Target("")
		require.ErrorContains(t, err, "lists no peer")
	})
}

func TestWriteLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "connection-core.json")
	written := &profile.Profile{
		Name: "devnet-core", Version: "1.0.0", Client: profile.Client{Organization: "CoreEnterpriseMSP"},
		Organizations: map[string]profile.Org{"CoreEnterpriseMSP": {MSPID: "CoreEnterpriseMSP", Peers: []string{"peer0.core.example.com"}}},
		Peers: map[string]profile.Peer{"peer0.core.example.com": {URL: "grpcs://127.0.0.1:7051", TLSCACerts: profile.PEM{PEM: rootPEM},
			GRPCOptions: profile.HostOverrides("peer0.core.example.com")}},
		Channels: map[string]profile.Channel{"warrants": {Peers: map[string]struct{}{"peer0.core.example.com": {}}, Chaincodes: []string{"warrant"}}},
	}
	require.NoError(t, written.Write(path))
	read, err := profile.Load(path)
	require.NoError(t, err)
	require.Equal(t, written, read)

	t.Run("A file that is not a profile is refused", func(t *testing.T) {
		require.NoError(t, os.WriteFile(path, []byte("[]"), 0o600))
		_, err := profile.Load(path)
		require.ErrorContains(t, err, "parse connection profile")
	})
}
