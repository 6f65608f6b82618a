package crypto_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/identity"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/crypto"
	"github.com/scfledger/warrants/network/devnet/internal/msp"
)

func TestSigner(t *testing.T) {
	material := generate(t, t.TempDir(), testSpecs())
	org1, err := material.Org("Org1MSP")
	require.NoError(t, err)
	manager, err := msp.NewManager([]msp.OrgConfig{{MSPID: "Org1MSP", RootCerts: []*x509.Certificate{org1.CACert}, NodeOUs: true}})
	require.NoError(t, err)
	user, err := org1.UserSigner("User1")
	require.NoError(t, err)

	t.Run("Signatures verify with the channel MSP", func(t *testing.T) {
		message := []byte("proposal bytes")
		id, err := manager.Deserialize(user.Serialize())
		require.NoError(t, err)
		require.Equal(t, msp.RoleClient, id.Role)
		// ECDSA is randomised: check several signatures, each must be low-S to verify.
		for range 16 {
			signature, err := user.Sign(message)
			require.NoError(t, err)
			require.NoError(t, id.Verify(message, signature))
		}
	})

	t.Run("Node signer has the peer role", func(t *testing.T) {
		node, err := org1.NodeSigner()
		require.NoError(t, err)
		id, err := manager.Deserialize(node.Serialize())
		require.NoError(t, err)
		require.Equal(t, msp.RolePeer, id.Role)
	})

	t.Run("Serializes like the fabric-gateway client", func(t *testing.T) {
		gatewayID, err := identity.NewX509Identity("Org1MSP", org1.Users["User1"].Cert)
		require.NoError(t, err)
		sid := &mspproto.SerializedIdentity{}
		require.NoError(t, proto.Unmarshal(user.Serialize(), sid))
		require.Equal(t, "Org1MSP", sid.GetMspid())
		require.Equal(t, gatewayID.Credentials(), sid.GetIdBytes())
		require.Equal(t, "Org1MSP", user.MSPID())
		require.Equal(t, org1.Users["User1"].Cert.Raw, user.Certificate().Raw)
	})

	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	rejections := []struct {
		name    string
		mspID   string
		certPEM []byte
		key     *ecdsa.PrivateKey
	}{
		{"Rejects an empty MSP ID", "", org1.Users["User1"].CertPEM, org1.Users["User1"].Key},
		{"Rejects a missing key", "Org1MSP", org1.Users["User1"].CertPEM, nil},
		{"Rejects bytes that are not a certificate", "Org1MSP", []byte("garbage"), org1.Users["User1"].Key},
		{"Rejects a key that does not match the certificate", "Org1MSP", org1.Users["User1"].CertPEM, otherKey},
	}
	for _, tt := range rejections {
		t.Run(tt.name, func(t *testing.T) {
			_, err := crypto.NewSigner(tt.mspID, tt.certPEM, tt.key)
			require.Error(t, err)
		})
	}
}
