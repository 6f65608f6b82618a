package crypto

import (
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"slices"

	"github.com/scfledger/warrants/network/devnet/config"
)

// OrgSpec asks for the crypto material of one organisation.
type OrgSpec struct {
	// MSPID is the organisation's MSP ID (for example Org1MSP).
	MSPID string
	// Domain names the organisation's CAs, node and users (for example org1.example.com).
	Domain string
	// Orderer marks an orderer organisation, whose node is orderer.<domain>.
	Orderer bool
	// Users are the client users to enrol besides Admin, which always exists.
	Users []UserSpec
}

// UserSpec asks for one enrolled user.
type UserSpec struct {
	// Name is the user's name; its certificate's common name is <Name>@<domain>.
	Name string
	// Attrs are Fabric CA attributes written into the user's certificate.
	Attrs map[string]string
	// Admin enrols the user as an admin-type identity (NodeOU admin) rather
	// than a client.
	Admin bool
}

// SpecsOf asks for the crypto material of a network: its orderer org's, then
// each peer org's with the org's users.
func SpecsOf(cfg *config.Network) []OrgSpec {
	specs := []OrgSpec{{MSPID: cfg.Orderer.MSPID, Domain: cfg.Orderer.Domain, Orderer: true}}
	for _, org := range cfg.Orgs {
		spec := OrgSpec{MSPID: org.MSPID, Domain: org.Domain}
		for _, user := range org.Users {
			spec.Users = append(spec.Users, UserSpec{Name: user.Name, Attrs: user.Attrs, Admin: user.Type == config.UserTypeAdmin})
		}
		specs = append(specs, spec)
	}
	return specs
}

// AdminUser is the name of the administrator every organisation has.
const AdminUser = "Admin"

// Material is the crypto material of a whole dev network.
type Material struct {
	// Dir is the directory holding the organizations tree.
	Dir string
	// Orgs are the organisations, in the order they were asked for.
	Orgs []*Org
}

// Org is one organisation's CAs, node and users.
type Org struct {
	MSPID  string
	Domain string
	// Orderer marks an orderer organisation.
	Orderer bool
	// Dir is the organisation's directory; MSPDir its organisation-level MSP.
	Dir, MSPDir string
	// CACert signs identities; TLSCACert signs TLS certificates.
	CACert, TLSCACert       *x509.Certificate
	CACertPEM, TLSCACertPEM []byte
	// Node is peer0.<domain>, or orderer.<domain> for an orderer organisation.
	Node *Node
	// Users by name, including AdminUser.
	Users map[string]*User
}

// Node is the signing and TLS material of a peer or orderer.
type Node struct {
	// Name is the node's host name (peer0.<domain> or orderer.<domain>).
	Name    string
	Cert    *x509.Certificate
	CertPEM []byte
	Key     *ecdsa.PrivateKey
	// TLSCert is the TLS server certificate, valid for Name, localhost and 127.0.0.1.
	TLSCert    tls.Certificate
	TLSCertPEM []byte
	// MSPDir and TLSDir are the node's msp and tls directories.
	MSPDir, TLSDir string
}

// User is the signing and TLS client material of an enrolled user.
type User struct {
	Name    string
	Cert    *x509.Certificate
	CertPEM []byte
	Key     *ecdsa.PrivateKey
	// MSPDir is the user's msp directory; CertPath and KeyPath its signing
	// certificate and private key files.
	MSPDir, CertPath, KeyPath string
	// TLSCert is the user's TLS client certificate.
	TLSCert    tls.Certificate
	TLSCertPEM []byte
	TLSDir     string
}

// Org returns the organisation with the given MSP ID.
func (m *Material) Org(mspID string) (*Org, error) {
	for _, org := range m.Orgs {
		if org.MSPID == mspID {
			return org, nil
		}
	}
	return nil, fmt.Errorf("no crypto material for MSP %q", mspID)
}

// User returns the named user of the organisation.
func (o *Org) User(name string) (*User, error) {
	user, ok := o.Users[name]
	if !ok {
		return nil, fmt.Errorf("MSP %s has no user %q", o.MSPID, name)
	}
	return user, nil
}

// UserNames returns the organisation's user names, sorted.
func (o *Org) UserNames() []string {
	names := make([]string, 0, len(o.Users))
	for name := range o.Users {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// UserSigner returns a signer for the named user of the organisation.
func (o *Org) UserSigner(name string) (*Signer, error) {
	user, err := o.User(name)
	if err != nil {
		return nil, err
	}
	return NewSigner(o.MSPID, user.CertPEM, user.Key)
}

// NodeSigner returns a signer for the organisation's node.
func (o *Org) NodeSigner() (*Signer, error) {
	return NewSigner(o.MSPID, o.Node.CertPEM, o.Node.Key)
}
