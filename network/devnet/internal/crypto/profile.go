package crypto

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"slices"
	"time"
)

// Organisational units naming the NodeOU role of a certificate.
const (
	OUClient  = "client"
	OUPeer    = "peer"
	OUAdmin   = "admin"
	OUOrderer = "orderer"
)

// AttrOID is the certificate extension in which Fabric CA stores attributes.
var AttrOID = asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1}

// profile describes a leaf certificate to issue, and is what a loaded
// certificate must still match to be reused.
type profile struct {
	CommonName string
	OU         string // NodeOU role; empty for TLS certificates
	TLS        bool   // TLS certificate (server and client auth) rather than signing
	DNSNames   []string
	IPs        []net.IP
	Attrs      map[string]string
}

// attributes is the JSON shape of the attribute extension.
type attributes struct {
	Attrs map[string]string `json:"attrs"`
}

func (p profile) subject() pkix.Name {
	subject := baseSubject()
	if p.OU != "" {
		subject.OrganizationalUnit = []string{p.OU}
	}
	subject.CommonName = p.CommonName
	return subject
}

func (p profile) keyUsage() x509.KeyUsage {
	if p.TLS {
		return x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	}
	return x509.KeyUsageDigitalSignature
}

func (p profile) extKeyUsage() []x509.ExtKeyUsage {
	if p.TLS {
		return []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	}
	return nil
}

// extensions returns the attribute extension when the profile has attributes.
func (p profile) extensions() ([]pkix.Extension, error) {
	if len(p.Attrs) == 0 {
		return nil, nil
	}
	value, err := json.Marshal(attributes{Attrs: p.Attrs})
	if err != nil {
		return nil, fmt.Errorf("marshal attributes: %w", err)
	}
	return []pkix.Extension{{Id: AttrOID, Value: value}}, nil
}

// matches reports whether cert was issued for this profile and is still valid at now.
func (p profile) matches(cert *x509.Certificate, now time.Time) bool {
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return false
	}
	if cert.Subject.CommonName != p.CommonName || !slices.Equal(cert.Subject.OrganizationalUnit, p.subject().OrganizationalUnit) {
		return false
	}
	if !slices.Equal(cert.DNSNames, p.DNSNames) {
		return false
	}
	if !slices.EqualFunc(cert.IPAddresses, p.IPs, net.IP.Equal) {
		return false
	}
	attrs, err := certAttributes(cert)
	return err == nil && maps.Equal(attrs, p.Attrs)
}

// certAttributes reads the Fabric CA attributes of cert (nil when it has none).
func certAttributes(cert *x509.Certificate) (map[string]string, error) {
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(AttrOID) {
			continue
		}
		var attrs attributes
		if err := json.Unmarshal(ext.Value, &attrs); err != nil {
			return nil, fmt.Errorf("unmarshal attributes: %w", err)
		}
		return attrs.Attrs, nil
	}
	return nil, nil
}
