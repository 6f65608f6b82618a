package crypto_test

import (
	"crypto/x509"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/crypto"
)

// certAttrs reads a certificate's attributes the way chaincode does (cid uses attrmgr).
func certAttrs(t *testing.T, cert *x509.Certificate) map[string]string {
	t.Helper()
	attrs, err := attrmgr.New().GetAttributesFromCert(cert)
	require.NoError(t, err)
	return attrs.Attrs
}

func TestUserAttributes(t *testing.T) {
	org1 := generate(t, t.TempDir(), testSpecs()).Orgs[0]

	t.Run("Chaincode reads the user's attributes from its certificate", func(t *testing.T) {
		attrs, err := attrmgr.New().GetAttributesFromCert(org1.Users["User1"].Cert)
		require.NoError(t, err)
		value, found, err := attrs.Value("scf.entity")
		require.NoError(t, err)
		require.True(t, found)
		require.Equal(t, "BANK-001", value)
		require.Equal(t, map[string]string{"scf.entity": "BANK-001", "scf.role": "financier"}, attrs.Attrs)
	})

	t.Run("A user without attributes has none", func(t *testing.T) {
		require.Empty(t, certAttrs(t, org1.Users["Admin"].Cert))
	})

	t.Run("Attributes of a spec named Admin go to the admin", func(t *testing.T) {
		specs := testSpecs()
		specs[0].Users = append(specs[0].Users, crypto.UserSpec{Name: "Admin", Attrs: map[string]string{"scf.role": "operator"}})
		org := generate(t, t.TempDir(), specs).Orgs[0]
		require.Equal(t, map[string]string{"scf.role": "operator"}, certAttrs(t, org.Users["Admin"].Cert))
		require.Equal(t, []string{"admin"}, org.Users["Admin"].Cert.Subject.OrganizationalUnit)
	})
}
