package crypto

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Signer signs messages as one X.509 identity of an MSP: SHA-256 digests,
// ECDSA with low S, DER encoded, as Fabric expects.
type Signer struct {
	mspID      string
	cert       *x509.Certificate
	serialized []byte
	sign       identity.Sign
}

// NewSigner returns a signer for the identity certified by certPEM, whose
// private key is key.
func NewSigner(mspID string, certPEM []byte, key *ecdsa.PrivateKey) (*Signer, error) {
	if mspID == "" {
		return nil, errors.New("new signer: empty MSP ID")
	}
	if key == nil {
		return nil, errors.New("new signer: no private key")
	}
	cert, err := parseCertificatePEM(certPEM)
	if err != nil {
		return nil, fmt.Errorf("new signer: %w", err)
	}
	if !keyMatches(cert, key) {
		return nil, errors.New("new signer: certificate does not match the private key")
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return nil, fmt.Errorf("new signer: %w", err)
	}
	serialized, err := proto.Marshal(&msp.SerializedIdentity{Mspid: mspID, IdBytes: encodeCertificate(cert.Raw)})
	if err != nil {
		return nil, fmt.Errorf("new signer: serialize identity: %w", err)
	}
	return &Signer{mspID: mspID, cert: cert, serialized: serialized, sign: sign}, nil
}

// MSPID returns the MSP ID of the signer's identity.
func (s *Signer) MSPID() string { return s.mspID }

// Certificate returns the signer's certificate.
func (s *Signer) Certificate() *x509.Certificate { return s.cert }

// Serialize returns the signer's identity as marshalled msp.SerializedIdentity
// bytes (MSP ID and PEM certificate), the form Fabric calls a creator.
func (s *Signer) Serialize() []byte { return bytes.Clone(s.serialized) }

// Sign hashes message with SHA-256 and signs the digest.
func (s *Signer) Sign(message []byte) ([]byte, error) {
	digest := sha256.Sum256(message)
	signature, err := s.sign(digest[:])
	if err != nil {
		return nil, fmt.Errorf("sign as %s: %w", s.mspID, err)
	}
	return signature, nil
}
