package crypto_test

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/crypto"
)

const (
	org1Dir    = "organizations/peerOrganizations/org1.example.com"
	ordererDir = "organizations/ordererOrganizations/example.com"
)

func testSpecs() []crypto.OrgSpec {
	return []crypto.OrgSpec{
		{MSPID: "Org1MSP", Domain: "org1.example.com", Users: []crypto.UserSpec{
			{Name: "User1", Attrs: map[string]string{"scf.entity": "BANK-001", "scf.role": "financier"}},
		}},
		{MSPID: "OrdererMSP", Domain: "example.com", Orderer: true},
	}
}

func generate(t *testing.T, dir string, specs []crypto.OrgSpec) *crypto.Material {
	t.Helper()
	material, err := crypto.Generate(dir, specs)
	require.NoError(t, err)
	return material
}

func TestGenerateWritesLayout(t *testing.T) {
	dir := t.TempDir()
	generate(t, dir, testSpecs())

	mspFiles := func(base string) []string {
		return []string{
			base + "/msp/signcerts/cert.pem", base + "/msp/keystore/priv_sk",
			base + "/msp/cacerts/ca.org1.example.com-cert.pem",
			base + "/msp/tlscacerts/tlsca.org1.example.com-cert.pem", base + "/msp/config.yaml",
		}
	}
	files := []string{
		org1Dir + "/ca/ca.org1.example.com-cert.pem", org1Dir + "/ca/priv_sk",
		org1Dir + "/tlsca/tlsca.org1.example.com-cert.pem", org1Dir + "/tlsca/priv_sk",
		org1Dir + "/msp/cacerts/ca.org1.example.com-cert.pem",
		org1Dir + "/msp/tlscacerts/tlsca.org1.example.com-cert.pem", org1Dir + "/msp/config.yaml",
		org1Dir + "/peers/peer0.org1.example.com/tls/server.crt",
		org1Dir + "/peers/peer0.org1.example.com/tls/server.key",
		org1Dir + "/peers/peer0.org1.example.com/tls/ca.crt",
		org1Dir + "/users/Admin@org1.example.com/tls/client.crt",
		org1Dir + "/users/User1@org1.example.com/tls/client.key",
		org1Dir + "/users/User1@org1.example.com/tls/ca.crt",
		ordererDir + "/ca/ca.example.com-cert.pem",
		ordererDir + "/orderers/orderer.example.com/msp/signcerts/cert.pem",
		ordererDir + "/orderers/orderer.example.com/tls/server.crt",
		ordererDir + "/users/Admin@example.com/msp/keystore/priv_sk",
	}
	files = append(files, mspFiles(org1Dir+"/peers/peer0.org1.example.com")...)
	files = append(files, mspFiles(org1Dir+"/users/Admin@org1.example.com")...)
	files = append(files, mspFiles(org1Dir+"/users/User1@org1.example.com")...)
	for _, file := range files {
		t.Run("Writes "+file, func(t *testing.T) {
			info, err := os.Stat(filepath.Join(dir, file))
			require.NoError(t, err)
			if filepath.Base(file) == "priv_sk" || filepath.Ext(file) == ".key" {
				require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
			}
		})
	}

	t.Run("Writes a NodeOUs config pointing at the CA certificate", func(t *testing.T) {
		config, err := os.ReadFile(filepath.Join(dir, org1Dir, "msp/config.yaml"))
		require.NoError(t, err)
		require.Contains(t, string(config), "Enable: true")
		require.Contains(t, string(config), "Certificate: cacerts/ca.org1.example.com-cert.pem")
		for _, ou := range []string{"client", "peer", "admin", "orderer"} {
			require.Contains(t, string(config), "OrganizationalUnitIdentifier: "+ou)
		}
	})
}

func TestGenerateMaterial(t *testing.T) {
	material := generate(t, t.TempDir(), testSpecs())
	org1, err := material.Org("Org1MSP")
	require.NoError(t, err)
	orderer, err := material.Org("OrdererMSP")
	require.NoError(t, err)

	tests := []struct {
		name       string
		org        *crypto.Org
		cert       *x509.Certificate
		commonName string
		ou         string
	}{
		{"Peer carries the peer OU", org1, org1.Node.Cert, "peer0.org1.example.com", "peer"},
		{"Orderer carries the orderer OU", orderer, orderer.Node.Cert, "orderer.example.com", "orderer"},
		{"Admin carries the admin OU", org1, org1.Users["Admin"].Cert, "Admin@org1.example.com", "admin"},
		{"User carries the client OU", org1, org1.Users["User1"].Cert, "User1@org1.example.com", "client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.commonName, tt.cert.Subject.CommonName)
			require.Equal(t, []string{tt.ou}, tt.cert.Subject.OrganizationalUnit)
			require.NoError(t, tt.cert.CheckSignatureFrom(tt.org.CACert))
		})
	}

	t.Run("Node TLS certificate names the node, localhost and 127.0.0.1", func(t *testing.T) {
		leaf := org1.Node.TLSCert.Leaf
		require.Equal(t, []string{"peer0.org1.example.com", "localhost"}, leaf.DNSNames)
		require.Len(t, leaf.IPAddresses, 1)
		require.Equal(t, "127.0.0.1", leaf.IPAddresses[0].String())
		require.NoError(t, leaf.CheckSignatureFrom(org1.TLSCACert))
	})

	t.Run("Lists users including Admin", func(t *testing.T) {
		require.Equal(t, []string{"Admin", "User1"}, org1.UserNames())
		require.Equal(t, []string{"Admin"}, orderer.UserNames())
		user, err := org1.User("User1")
		require.NoError(t, err)
		require.FileExists(t, user.CertPath)
		require.FileExists(t, user.KeyPath)
	})

	t.Run("Rejects an unknown MSP or user", func(t *testing.T) {
		_, err := material.Org("NoMSP")
		require.ErrorContains(t, err, "NoMSP")
		_, err = org1.User("Nobody")
		require.ErrorContains(t, err, "Nobody")
	})
}

func TestGenerateIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	first := generate(t, dir, testSpecs())

	t.Run("Regenerating reuses identical certificates and keys", func(t *testing.T) {
		second := generate(t, dir, testSpecs())
		for i, org := range first.Orgs {
			again := second.Orgs[i]
			require.Equal(t, org.CACertPEM, again.CACertPEM)
			require.Equal(t, org.TLSCACertPEM, again.TLSCACertPEM)
			require.Equal(t, org.Node.CertPEM, again.Node.CertPEM)
			require.Equal(t, org.Node.TLSCertPEM, again.Node.TLSCertPEM)
			require.True(t, org.Node.Key.Equal(again.Node.Key))
			for name, user := range org.Users {
				require.Equal(t, user.CertPEM, again.Users[name].CertPEM)
				require.Equal(t, user.TLSCertPEM, again.Users[name].TLSCertPEM)
				require.True(t, user.Key.Equal(again.Users[name].Key))
			}
		}
	})

	t.Run("Adds a missing user with the existing CA", func(t *testing.T) {
		specs := testSpecs()
		specs[0].Users = append(specs[0].Users, crypto.UserSpec{Name: "User2"})
		second := generate(t, dir, specs)
		org1 := second.Orgs[0]
		require.Equal(t, first.Orgs[0].CACertPEM, org1.CACertPEM)
		require.Equal(t, first.Orgs[0].Users["User1"].CertPEM, org1.Users["User1"].CertPEM)
		require.NoError(t, org1.Users["User2"].Cert.CheckSignatureFrom(first.Orgs[0].CACert))
	})

	t.Run("Reissues a user whose attributes changed and keeps its key", func(t *testing.T) {
		specs := testSpecs()
		specs[0].Users[0].Attrs = map[string]string{"scf.role": "supplier"}
		second := generate(t, dir, specs)
		before, after := first.Orgs[0].Users["User1"], second.Orgs[0].Users["User1"]
		require.NotEqual(t, before.CertPEM, after.CertPEM)
		require.True(t, before.Key.Equal(after.Key))
		require.Equal(t, map[string]string{"scf.role": "supplier"}, certAttrs(t, after.Cert))
	})
}

func TestGenerateRejectsBadFiles(t *testing.T) {
	user1 := org1Dir + "/users/User1@org1.example.com"
	tests := []struct {
		name    string
		damage  func(t *testing.T, dir string)
		wantErr string
	}{
		{"Rejects a corrupt CA certificate", func(t *testing.T, dir string) {
			writeTestFile(t, filepath.Join(dir, org1Dir, "ca/ca.org1.example.com-cert.pem"), []byte("not a certificate"))
		}, "no CERTIFICATE PEM block"},
		{"Rejects a corrupt private key", func(t *testing.T, dir string) {
			writeTestFile(t, filepath.Join(dir, user1, "msp/keystore/priv_sk"), []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
		}, "parse private key"},
		{"Rejects a certificate whose key is missing", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, user1, "msp/keystore/priv_sk")))
		}, "private key"},
		{"Rejects a certificate that does not match its key", func(t *testing.T, dir string) {
			copyTestFile(t, filepath.Join(dir, org1Dir, "users/Admin@org1.example.com/msp/keystore/priv_sk"), filepath.Join(dir, user1, "msp/keystore/priv_sk"))
		}, "does not match its private key"},
		{"Rejects a certificate issued by another CA", func(t *testing.T, dir string) {
			copyTestFile(t, filepath.Join(dir, ordererDir, "users/Admin@example.com/msp/signcerts/cert.pem"), filepath.Join(dir, user1, "msp/signcerts/cert.pem"))
			copyTestFile(t, filepath.Join(dir, ordererDir, "users/Admin@example.com/msp/keystore/priv_sk"), filepath.Join(dir, user1, "msp/keystore/priv_sk"))
		}, "not issued by CA ca.org1.example.com"},
		{"Rejects a CA certificate that does not match the CA key", func(t *testing.T, dir string) {
			copyTestFile(t, filepath.Join(dir, org1Dir, "tlsca/priv_sk"), filepath.Join(dir, org1Dir, "ca/priv_sk"))
		}, "does not match the private key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			generate(t, dir, testSpecs())
			tt.damage(t, dir)
			_, err := crypto.Generate(dir, testSpecs())
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestGenerateRejectsBadSpecs(t *testing.T) {
	tests := []struct {
		name  string
		specs []crypto.OrgSpec
	}{
		{"Rejects no organisations", nil},
		{"Rejects an empty MSP ID", []crypto.OrgSpec{{Domain: "org1.example.com"}}},
		{"Rejects a domain that escapes the directory", []crypto.OrgSpec{{MSPID: "Org1MSP", Domain: "../org1"}}},
		{"Rejects a duplicate MSP ID", []crypto.OrgSpec{{MSPID: "Org1MSP", Domain: "a.com"}, {MSPID: "Org1MSP", Domain: "b.com"}}},
		{"Rejects a duplicate user", []crypto.OrgSpec{{MSPID: "Org1MSP", Domain: "a.com", Users: []crypto.UserSpec{{Name: "U"}, {Name: "U"}}}}},
		{"Rejects a user name with a path separator", []crypto.OrgSpec{{MSPID: "Org1MSP", Domain: "a.com", Users: []crypto.UserSpec{{Name: "a/b"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := crypto.Generate(dir, tt.specs)
			require.Error(t, err)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			require.Empty(t, entries)
		})
	}
}

func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

func copyTestFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	writeTestFile(t, to, data)
}
