package msp

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"time"

	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// cacheSize bounds how many validated identities a Manager remembers.
const cacheSize = 4096

// OrgConfig is one organisation's MSP on the channel.
type OrgConfig struct {
	// MSPID is the MSP ID identities name in their SerializedIdentity.
	MSPID string
	// RootCerts are the CA certificates identities must chain to.
	RootCerts []*x509.Certificate
	// NodeOUs makes the role of an identity come from its certificate's
	// organisational unit (client, peer, admin, orderer), which is then required.
	NodeOUs bool
}

// orgMSP is an OrgConfig prepared for verification.
type orgMSP struct {
	config OrgConfig
	roots  *x509.CertPool
}

// Manager validates identities against the MSPs of a channel. It is safe for
// concurrent use.
type Manager struct {
	orgs  map[string]*orgMSP
	cache *boundedCache[*Identity]
	now   func() time.Time
}

// NewManager returns a Manager for the given organisations.
func NewManager(orgs []OrgConfig) (*Manager, error) {
	m := &Manager{orgs: make(map[string]*orgMSP, len(orgs)), cache: newBoundedCache[*Identity](cacheSize), now: time.Now}
	for _, org := range orgs {
		if org.MSPID == "" {
			return nil, errors.New("new MSP manager: organisation without MSP ID")
		}
		if _, dup := m.orgs[org.MSPID]; dup {
			return nil, fmt.Errorf("new MSP manager: MSP %s listed twice", org.MSPID)
		}
		if len(org.RootCerts) == 0 {
			return nil, fmt.Errorf("new MSP manager: MSP %s has no root certificates", org.MSPID)
		}
		roots := x509.NewCertPool()
		for _, root := range org.RootCerts {
			if root == nil || !root.IsCA {
				return nil, fmt.Errorf("new MSP manager: MSP %s: root certificate is not a CA certificate", org.MSPID)
			}
			roots.AddCert(root)
		}
		m.orgs[org.MSPID] = &orgMSP{config: org, roots: roots}
	}
	return m, nil
}

// MSPIDs returns the MSP IDs the manager knows, sorted.
func (m *Manager) MSPIDs() []string {
	ids := make([]string, 0, len(m.orgs))
	for id := range m.orgs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Deserialize parses msp.SerializedIdentity bytes and validates the identity:
// known MSP, certificate chaining to that MSP's roots, currently valid, and
// with NodeOUs a role. Valid identities are cached by their bytes, so repeated
// identities cost a map lookup.
func (m *Manager) Deserialize(serialized []byte) (*Identity, error) {
	if id, ok := m.cache.get(serialized); ok {
		if err := checkValidity(id.Cert, m.now()); err != nil {
			return nil, fmt.Errorf("deserialize identity of %s: %w", id.MSPID, err)
		}
		return id, nil
	}
	id, err := m.validate(serialized)
	if err != nil {
		return nil, fmt.Errorf("deserialize identity: %w", err)
	}
	m.cache.put(serialized, id)
	return id, nil
}

// validate does the uncached work of Deserialize.
func (m *Manager) validate(serialized []byte) (*Identity, error) {
	sid := &mspproto.SerializedIdentity{}
	if err := proto.Unmarshal(serialized, sid); err != nil {
		return nil, fmt.Errorf("%w: unmarshal SerializedIdentity: %w", ErrMalformed, err)
	}
	org, ok := m.orgs[sid.GetMspid()]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownMSP, sid.GetMspid())
	}
	cert, err := parseCertificate(sid.GetIdBytes())
	if err != nil {
		return nil, fmt.Errorf("MSP %s: %w", org.config.MSPID, err)
	}
	if err := org.verify(cert, m.now()); err != nil {
		return nil, fmt.Errorf("MSP %s, subject %q: %w", org.config.MSPID, cert.Subject.String(), err)
	}
	role := RoleMember
	if org.config.NodeOUs {
		if role, err = roleFromOUs(cert.Subject.OrganizationalUnit); err != nil {
			return nil, fmt.Errorf("MSP %s, subject %q: %w", org.config.MSPID, cert.Subject.String(), err)
		}
	}
	canonical, err := proto.Marshal(&mspproto.SerializedIdentity{
		Mspid:   sid.GetMspid(),
		IdBytes: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
	})
	if err != nil {
		return nil, fmt.Errorf("MSP %s: serialize identity: %w", org.config.MSPID, err)
	}
	return &Identity{
		MSPID:      sid.GetMspid(),
		Cert:       cert,
		Role:       role,
		serialized: slices.Clone(serialized),
		canonical:  canonical,
	}, nil
}

// verify checks that cert is a valid identity certificate of the organisation at now.
func (o *orgMSP) verify(cert *x509.Certificate, now time.Time) error {
	if cert.IsCA {
		return fmt.Errorf("%w: a CA certificate cannot be used as an identity", ErrUntrusted)
	}
	if err := checkValidity(cert, now); err != nil {
		return err
	}
	_, err := cert.Verify(x509.VerifyOptions{
		Roots:       o.roots,
		CurrentTime: now,
		KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUntrusted, err)
	}
	return nil
}

// checkValidity reports whether now is inside cert's validity period.
func checkValidity(cert *x509.Certificate, now time.Time) error {
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return fmt.Errorf("%w: valid from %s to %s", ErrExpired, cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339))
	}
	return nil
}

// parseCertificate parses the single PEM certificate of a SerializedIdentity.
func parseCertificate(idBytes []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(idBytes)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: identity bytes hold no PEM certificate", ErrMalformed)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: parse certificate: %w", ErrMalformed, err)
	}
	return cert, nil
}
