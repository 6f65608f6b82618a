package crypto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"time"

	"github.com/scfledger/warrants/network/devnet/config"
)

const (
	// validity is how long generated certificates stay valid (a dev network
	// should never see one expire).
	validity = config.CertificateValidity
	// backdate lets certificates be valid despite small clock differences.
	backdate = config.CertificateBackdate
)

// authority is a self-signed certificate authority whose key is on disk.
type authority struct {
	cert    *x509.Certificate
	certPEM []byte
	key     *ecdsa.PrivateKey
}

// loadOrCreateAuthority loads the CA named name (for example ca.org1.example.com)
// from dir, creating its key and self-signed certificate when they are missing.
func loadOrCreateAuthority(dir, name, domain string) (*authority, error) {
	certPath := filepath.Join(dir, name+"-cert.pem")
	keyPath := filepath.Join(dir, "priv_sk")
	key, err := loadOrCreateKey(certPath, keyPath)
	if err != nil {
		return nil, fmt.Errorf("CA %s: %w", name, err)
	}
	certExists, err := fileExists(certPath)
	if err != nil {
		return nil, fmt.Errorf("CA %s: %w", name, err)
	}
	if certExists {
		cert, certPEM, err := readCertificate(certPath)
		if err != nil {
			return nil, fmt.Errorf("CA %s: %w", name, err)
		}
		if err := checkAuthority(cert, key); err != nil {
			return nil, fmt.Errorf("CA %s: %s: %w", name, certPath, err)
		}
		return &authority{cert: cert, certPEM: certPEM, key: key}, nil
	}
	a, err := selfSign(name, domain, key)
	if err != nil {
		return nil, fmt.Errorf("CA %s: %w", name, err)
	}
	if err := writeFile(certPath, a.certPEM, certFileMode); err != nil {
		return nil, fmt.Errorf("CA %s: %w", name, err)
	}
	return a, nil
}

// checkAuthority rejects a loaded CA certificate that cannot sign for key.
func checkAuthority(cert *x509.Certificate, key *ecdsa.PrivateKey) error {
	if !cert.IsCA {
		return errors.New("certificate is not a CA certificate")
	}
	if !keyMatches(cert, key) {
		return errors.New("certificate does not match the private key priv_sk")
	}
	if err := cert.CheckSignatureFrom(cert); err != nil {
		return fmt.Errorf("certificate is not self-signed: %w", err)
	}
	return nil
}

// selfSign creates the self-signed CA certificate for key.
func selfSign(name, domain string, key *ecdsa.PrivateKey) (*authority, error) {
	serial, err := serialNumber()
	if err != nil {
		return nil, err
	}
	ski, err := subjectKeyID(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	subject := baseSubject()
	subject.Organization = []string{domain}
	subject.CommonName = name
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          ski,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse CA certificate: %w", err)
	}
	return &authority{cert: cert, certPEM: encodeCertificate(der), key: key}, nil
}

// issue signs a leaf certificate for pub as described by profile.
func (a *authority) issue(p profile, pub *ecdsa.PublicKey) (*x509.Certificate, []byte, error) {
	serial, err := serialNumber()
	if err != nil {
		return nil, nil, err
	}
	ski, err := subjectKeyID(pub)
	if err != nil {
		return nil, nil, err
	}
	extensions, err := p.extensions()
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               p.subject(),
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.Add(validity),
		KeyUsage:              p.keyUsage(),
		ExtKeyUsage:           p.extKeyUsage(),
		BasicConstraintsValid: true,
		IsCA:                  false,
		SubjectKeyId:          ski,
		DNSNames:              p.DNSNames,
		IPAddresses:           p.IPs,
		ExtraExtensions:       extensions,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, a.cert, pub, a.key)
	if err != nil {
		return nil, nil, fmt.Errorf("create certificate for %s: %w", p.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("parse certificate for %s: %w", p.CommonName, err)
	}
	return cert, encodeCertificate(der), nil
}

// baseSubject is the subject every certificate starts from, as cryptogen does.
func baseSubject() pkix.Name {
	return pkix.Name{
		Country:  []string{"US"},
		Province: []string{"California"},
		Locality: []string{"San Francisco"},
	}
}

// newKey generates a P-256 key.
func newKey() (*ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	return key, nil
}

// serialNumber returns a random 128-bit certificate serial number.
func serialNumber() (*big.Int, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("generate serial number: %w", err)
	}
	return serial, nil
}

// subjectKeyID is the SHA-256 of the uncompressed public point, as cryptogen computes it.
func subjectKeyID(pub *ecdsa.PublicKey) ([]byte, error) {
	point, err := pub.ECDH()
	if err != nil {
		return nil, fmt.Errorf("encode public key: %w", err)
	}
	sum := sha256.Sum256(point.Bytes())
	return sum[:], nil
}
