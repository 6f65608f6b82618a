package msp_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// testCA is a certificate authority for tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// leafOptions describes a test certificate; zero times mean valid now.
type leafOptions struct {
	ous       []string
	notBefore time.Time
	notAfter  time.Time
	isCA      bool
	key       crypto.Signer // ECDSA P-256 when nil
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &testCA{cert: cert, key: key}
}

// issue returns a PEM certificate and its key.
func (ca *testCA) issue(t *testing.T, opts leafOptions) ([]byte, crypto.Signer) {
	t.Helper()
	key := opts.key
	if key == nil {
		ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		key = ecKey
	}
	if opts.notBefore.IsZero() {
		opts.notBefore = time.Now().Add(-time.Hour)
	}
	if opts.notAfter.IsZero() {
		opts.notAfter = time.Now().Add(time.Hour)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	require.NoError(t, err)
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "test", OrganizationalUnit: opts.ous},
		NotBefore:             opts.notBefore,
		NotAfter:              opts.notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  opts.isCA,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, ca.cert, key.Public(), ca.key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), key
}

func serialize(t *testing.T, mspID string, certPEM []byte) []byte {
	t.Helper()
	b, err := proto.Marshal(&mspproto.SerializedIdentity{Mspid: mspID, IdBytes: certPEM})
	require.NoError(t, err)
	return b
}

type ecdsaSig struct{ R, S *big.Int }

// signECDSA signs SHA-256(message) and returns the DER signature with low S,
// or with high S (the malleated twin Fabric rejects) when highS is set.
func signECDSA(t *testing.T, key crypto.Signer, message []byte, highS bool) []byte {
	t.Helper()
	ecKey := key.(*ecdsa.PrivateKey)
	digest := sha256.Sum256(message)
	r, s, err := ecdsa.Sign(rand.Reader, ecKey, digest[:])
	require.NoError(t, err)
	n := ecKey.Curve.Params().N
	half := new(big.Int).Rsh(n, 1)
	if (s.Cmp(half) > 0) != highS {
		s = new(big.Int).Sub(n, s)
	}
	der, err := asn1.Marshal(ecdsaSig{R: r, S: s})
	require.NoError(t, err)
	return der
}

func newEd25519Key(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return key
}

func pemBytes(t *testing.T, certPEM []byte) []byte {
	t.Helper()
	block, _ := pem.Decode(certPEM)
	require.NotNil(t, block)
	return block.Bytes
}

func pemOf(t *testing.T, cert *x509.Certificate) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
}
