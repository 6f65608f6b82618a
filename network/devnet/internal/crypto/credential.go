package crypto

import (
	"crypto/ecdsa"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// credential is a leaf certificate and its private key, both on disk.
type credential struct {
	cert    *x509.Certificate
	certPEM []byte
	key     *ecdsa.PrivateKey
}

// loadOrCreateKey loads the key at keyPath, or creates it when missing. A
// certificate at certPath without its key is an error: it cannot be used.
func loadOrCreateKey(certPath, keyPath string) (*ecdsa.PrivateKey, error) {
	keyExists, err := fileExists(keyPath)
	if err != nil {
		return nil, err
	}
	if keyExists {
		return readKey(keyPath)
	}
	certExists, err := fileExists(certPath)
	if err != nil {
		return nil, err
	}
	if certExists {
		return nil, fmt.Errorf("certificate %s exists but its private key %s is missing", certPath, keyPath)
	}
	key, err := newKey()
	if err != nil {
		return nil, err
	}
	if err := writeKey(keyPath, key); err != nil {
		return nil, err
	}
	return key, nil
}

// loadOrIssue returns the credential at certPath and keyPath, issuing its
// certificate from ca when missing or when it no longer matches p (for example
// changed attributes). An existing key is always kept.
func (a *authority) loadOrIssue(certPath, keyPath string, p profile) (*credential, error) {
	key, err := loadOrCreateKey(certPath, keyPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.CommonName, err)
	}
	certExists, err := fileExists(certPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.CommonName, err)
	}
	if certExists {
		cert, certPEM, err := readCertificate(certPath)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.CommonName, err)
		}
		if err := a.checkIssued(cert, key); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", p.CommonName, certPath, err)
		}
		if p.matches(cert, time.Now()) {
			return &credential{cert: cert, certPEM: certPEM, key: key}, nil
		}
	}
	cert, certPEM, err := a.issue(p, &key.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := writeFile(certPath, certPEM, certFileMode); err != nil {
		return nil, err
	}
	return &credential{cert: cert, certPEM: certPEM, key: key}, nil
}

// checkIssued rejects a loaded certificate that this CA did not issue for key.
func (a *authority) checkIssued(cert *x509.Certificate, key *ecdsa.PrivateKey) error {
	if !keyMatches(cert, key) {
		return errors.New("certificate does not match its private key")
	}
	if err := cert.CheckSignatureFrom(a.cert); err != nil {
		return fmt.Errorf("certificate was not issued by CA %s: %w", a.cert.Subject.CommonName, err)
	}
	return nil
}
