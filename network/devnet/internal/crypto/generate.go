package crypto

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
)

var (
	domainPattern   = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)
	userNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// orgAuthorities are an organisation's two CAs and where its material lives.
type orgAuthorities struct {
	spec  OrgSpec
	dir   string
	ca    *authority
	tlsCA *authority
}

func (o *orgAuthorities) caName() string    { return "ca." + o.spec.Domain }
func (o *orgAuthorities) tlsCAName() string { return "tlsca." + o.spec.Domain }

// Generate creates crypto material under dir in the fabric-samples test-network
// layout, or loads and reuses what is already there: nothing that exists is
// regenerated, missing users are enrolled with the existing CAs. A user
// certificate whose attributes no longer match its spec is reissued with the
// same key. Unreadable or inconsistent files are an error.
func Generate(dir string, orgs []OrgSpec) (*Material, error) {
	if err := validateSpecs(orgs); err != nil {
		return nil, err
	}
	material := &Material{Dir: dir}
	for _, spec := range orgs {
		org, err := generateOrg(dir, spec)
		if err != nil {
			return nil, fmt.Errorf("crypto material of %s: %w", spec.MSPID, err)
		}
		material.Orgs = append(material.Orgs, org)
	}
	return material, nil
}

// validateSpecs rejects specs that would produce clashing or unsafe paths.
func validateSpecs(orgs []OrgSpec) error {
	if len(orgs) == 0 {
		return errors.New("no organisations to generate crypto material for")
	}
	mspIDs := map[string]bool{}
	domains := map[string]bool{}
	for _, spec := range orgs {
		if spec.MSPID == "" {
			return fmt.Errorf("organisation %q has no MSP ID", spec.Domain)
		}
		if !domainPattern.MatchString(spec.Domain) {
			return fmt.Errorf("MSP %s: invalid domain %q", spec.MSPID, spec.Domain)
		}
		if mspIDs[spec.MSPID] || domains[spec.Domain] {
			return fmt.Errorf("MSP %s (domain %s) is listed twice", spec.MSPID, spec.Domain)
		}
		mspIDs[spec.MSPID], domains[spec.Domain] = true, true
		users := map[string]bool{}
		for _, user := range spec.Users {
			if !userNamePattern.MatchString(user.Name) {
				return fmt.Errorf("MSP %s: invalid user name %q", spec.MSPID, user.Name)
			}
			if users[user.Name] {
				return fmt.Errorf("MSP %s: user %s is listed twice", spec.MSPID, user.Name)
			}
			users[user.Name] = true
		}
	}
	return nil
}

// OrgDir is where Generate keeps the material of the organisation spec under dir.
func OrgDir(dir string, spec OrgSpec) string {
	kind := "peerOrganizations"
	if spec.Orderer {
		kind = "ordererOrganizations"
	}
	return filepath.Join(dir, "organizations", kind, spec.Domain)
}

// generateOrg loads or creates one organisation's material.
func generateOrg(dir string, spec OrgSpec) (*Org, error) {
	nodeKind, nodeName, nodeOU := "peers", "peer0."+spec.Domain, OUPeer
	if spec.Orderer {
		nodeKind, nodeName, nodeOU = "orderers", "orderer."+spec.Domain, OUOrderer
	}
	auth := &orgAuthorities{spec: spec, dir: OrgDir(dir, spec)}
	var err error
	if auth.ca, err = loadOrCreateAuthority(filepath.Join(auth.dir, "ca"), auth.caName(), spec.Domain); err != nil {
		return nil, err
	}
	if auth.tlsCA, err = loadOrCreateAuthority(filepath.Join(auth.dir, "tlsca"), auth.tlsCAName(), spec.Domain); err != nil {
		return nil, err
	}
	org := &Org{
		MSPID:        spec.MSPID,
		Domain:       spec.Domain,
		Orderer:      spec.Orderer,
		Dir:          auth.dir,
		MSPDir:       filepath.Join(auth.dir, "msp"),
		CACert:       auth.ca.cert,
		TLSCACert:    auth.tlsCA.cert,
		CACertPEM:    auth.ca.certPEM,
		TLSCACertPEM: auth.tlsCA.certPEM,
		Users:        map[string]*User{},
	}
	if err := writeMSPDir(org.MSPDir, auth); err != nil {
		return nil, err
	}
	if org.Node, err = generateNode(auth, filepath.Join(auth.dir, nodeKind, nodeName), nodeName, nodeOU); err != nil {
		return nil, err
	}
	for _, user := range usersOf(spec) {
		if org.Users[user.spec.Name], err = generateUser(auth, user.spec, user.ou); err != nil {
			return nil, err
		}
	}
	return org, nil
}

type userRole struct {
	spec UserSpec
	ou   string
}

// usersOf lists the users to enrol: Admin first (taking the attributes of a
// spec named Admin, if any), then the other users: clients, or admin-type
// identities for those that ask for it.
func usersOf(spec OrgSpec) []userRole {
	admin := userRole{spec: UserSpec{Name: AdminUser}, ou: OUAdmin}
	users := []userRole{}
	for _, user := range spec.Users {
		if user.Name == AdminUser {
			admin.spec.Attrs = user.Attrs
			continue
		}
		ou := OUClient
		if user.Admin {
			ou = OUAdmin
		}
		users = append(users, userRole{spec: user, ou: ou})
	}
	return append([]userRole{admin}, users...)
}

// generateNode loads or creates a node's signing identity and TLS server certificate.
func generateNode(auth *orgAuthorities, nodeDir, name, ou string) (*Node, error) {
	mspDir, tlsDir := filepath.Join(nodeDir, "msp"), filepath.Join(nodeDir, "tls")
	signing, err := signingCredential(auth, mspDir, profile{CommonName: name, OU: ou})
	if err != nil {
		return nil, err
	}
	tlsProfile := profile{CommonName: name, TLS: true, DNSNames: []string{name, "localhost"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1).To4()}}
	server, err := tlsCredential(auth, tlsDir, "server", tlsProfile)
	if err != nil {
		return nil, err
	}
	return &Node{
		Name:       name,
		Cert:       signing.cert,
		CertPEM:    signing.certPEM,
		Key:        signing.key,
		TLSCert:    server.tlsCertificate(),
		TLSCertPEM: server.certPEM,
		MSPDir:     mspDir,
		TLSDir:     tlsDir,
	}, nil
}

// generateUser loads or enrols a user with its signing identity and TLS client certificate.
func generateUser(auth *orgAuthorities, spec UserSpec, ou string) (*User, error) {
	name := spec.Name + "@" + auth.spec.Domain
	userDir := filepath.Join(auth.dir, "users", name)
	mspDir, tlsDir := filepath.Join(userDir, "msp"), filepath.Join(userDir, "tls")
	signing, err := signingCredential(auth, mspDir, profile{CommonName: name, OU: ou, Attrs: spec.Attrs})
	if err != nil {
		return nil, err
	}
	client, err := tlsCredential(auth, tlsDir, "client", profile{CommonName: name, TLS: true})
	if err != nil {
		return nil, err
	}
	return &User{
		Name:       spec.Name,
		Cert:       signing.cert,
		CertPEM:    signing.certPEM,
		Key:        signing.key,
		MSPDir:     mspDir,
		CertPath:   signCertPath(mspDir),
		KeyPath:    keystorePath(mspDir),
		TLSCert:    client.tlsCertificate(),
		TLSCertPEM: client.certPEM,
		TLSDir:     tlsDir,
	}, nil
}

func signCertPath(mspDir string) string { return filepath.Join(mspDir, "signcerts", "cert.pem") }
func keystorePath(mspDir string) string { return filepath.Join(mspDir, "keystore", "priv_sk") }

// signingCredential loads or issues the signing identity kept in mspDir.
func signingCredential(auth *orgAuthorities, mspDir string, p profile) (*credential, error) {
	if err := writeMSPDir(mspDir, auth); err != nil {
		return nil, err
	}
	return auth.ca.loadOrIssue(signCertPath(mspDir), keystorePath(mspDir), p)
}

// tlsCredential loads or issues the TLS certificate <base>.crt/<base>.key in tlsDir.
func tlsCredential(auth *orgAuthorities, tlsDir, base string, p profile) (*credential, error) {
	cred, err := auth.tlsCA.loadOrIssue(filepath.Join(tlsDir, base+".crt"), filepath.Join(tlsDir, base+".key"), p)
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(tlsDir, "ca.crt"), auth.tlsCA.certPEM, certFileMode); err != nil {
		return nil, err
	}
	return cred, nil
}

// tlsCertificate returns the credential as a crypto/tls certificate.
func (c *credential) tlsCertificate() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{c.cert.Raw}, PrivateKey: c.key, Leaf: c.cert}
}
