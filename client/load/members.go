package load

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// Member is an enrolled identity of the network under load: how to connect as it,
// and the enterprise (credit code) and roles its certificate's Fabric CA attributes
// scf.entity and scf.role name. A member without scf.entity takes no part.
type Member struct {
	// Name identifies the member in messages ("User1@CoreEnterpriseMSP").
	Name string
	// Config connects as the member.
	Config client.Config
	// Entity is the credit code of the enterprise the member acts for.
	Entity string
	// Roles are the member's roles in the warrant domain.
	Roles []warrant.Role
}

// has reports whether the member holds role.
func (m Member) has(role warrant.Role) bool { return slices.Contains(m.Roles, role) }

// NewMember reads the attributes of cfg's certificate as the chaincode does
// (fabric-chaincode-go's attrmgr) and returns the member they describe.
func NewMember(name string, cfg client.Config) (Member, error) {
	cert, err := cfg.Certificate()
	if err != nil {
		return Member{}, fmt.Errorf("member %s: %w", name, err)
	}
	attrs, err := attrmgr.New().GetAttributesFromCert(cert)
	if err != nil {
		return Member{}, fmt.Errorf("member %s: certificate attributes: %w", name, err)
	}
	m := Member{Name: name, Config: cfg}
	m.Entity, _, _ = attrs.Value(warrant.AttrEntity)
	roles, _, _ := attrs.Value(warrant.AttrRole)
	for _, role := range strings.Split(roles, ",") {
		if role = strings.TrimSpace(role); role != "" {
			m.Roles = append(m.Roles, warrant.Role(role))
		}
	}
	return m, nil
}

// MembersInDir returns every enrolled user of a network directory in the
// fabric-samples layout (a dev network's directory, or fabric-samples'
// test-network), each connecting to its org's peer through the org's connection
// profile (client.DevnetUsers and client.DevnetConfig).
func MembersInDir(dir string) ([]Member, error) {
	users, err := client.DevnetUsers(dir)
	if err != nil {
		return nil, err
	}
	members := make([]Member, 0, len(users))
	for _, who := range users {
		cfg, err := client.DevnetConfig(dir, who)
		if err != nil {
			return nil, err
		}
		m, err := NewMember(who, cfg)
		if err != nil {
			return nil, err
		}
		members = append(members, m)
	}
	return members, nil
}

// IdentityFileEntry is one identity of an identities file. Relative paths are
// relative to the file's directory.
type IdentityFileEntry struct {
	// Name identifies the identity in messages; empty means its position.
	Name string `json:"name"`
	// Profile is the connection profile of the peer to connect to; Peer picks one
	// of its peers (default: the client organization's first).
	Profile string `json:"profile"`
	Peer    string `json:"peer,omitempty"`
	// MSPID is the identity's MSP ID (default: the profile's client organization).
	MSPID string `json:"mspId,omitempty"`
	// MSPDir is an MSP directory (signcerts/, keystore/); or give Cert and Key.
	MSPDir string `json:"mspDir,omitempty"`
	Cert   string `json:"cert,omitempty"`
	Key    string `json:"key,omitempty"`
}

// MembersInFile reads an identities file: a JSON array of [IdentityFileEntry],
// one per identity, for networks not laid out as fabric-samples' test-network.
func MembersInFile(path string) ([]Member, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read identities: %w", err)
	}
	var entries []IdentityFileEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("parse identities %s: %w", path, err)
	}
	base := filepath.Dir(path)
	resolve := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	members := make([]Member, 0, len(entries))
	for i, e := range entries {
		name := e.Name
		if name == "" {
			name = fmt.Sprintf("%s[%d]", filepath.Base(path), i)
		}
		if e.Profile == "" {
			return nil, fmt.Errorf("identity %s: no connection profile", name)
		}
		m, err := NewMember(name, client.Config{Profile: resolve(e.Profile), Peer: e.Peer, MSPID: e.MSPID,
			MSPDir: resolve(e.MSPDir), CertPath: resolve(e.Cert), KeyPath: resolve(e.Key)})
		if err != nil {
			return nil, err
		}
		members = append(members, m)
	}
	return members, nil
}

// cast lists the members that act in the warrant domain and picks the actors the
// preparation needs.
type cast struct {
	members []Member
	// admin ... registrar are the first members with those roles.
	admin, issuer, financier, verifier, registrar Member
	// attestor is the first attestor besides the issuer: the independent source of
	// the tax-invoice check; the issuer, as the buyer, attests the goods receipt (R30).
	attestor Member
	// holders can hold warrants; the first is the source of every prepared
	// warrant, the others are the workers' holders.
	holders []Member
}

// castOf picks the actors among members, in their order.
func castOf(all []Member) (*cast, error) {
	c := &cast{}
	for _, m := range all {
		if m.Entity != "" {
			c.members = append(c.members, m)
		}
	}
	for _, pick := range []struct {
		role warrant.Role
		into *Member
	}{
		{warrant.RoleAdmin, &c.admin}, {warrant.RoleIssuer, &c.issuer}, {warrant.RoleFinancier, &c.financier},
		{warrant.RoleVerifier, &c.verifier}, {warrant.RoleRegistrar, &c.registrar},
	} {
		i := slices.IndexFunc(c.members, func(m Member) bool { return m.has(pick.role) })
		if i < 0 {
			return nil, fmt.Errorf("no identity has role %s (attribute %s)", pick.role, warrant.AttrRole)
		}
		*pick.into = c.members[i]
	}
	i := slices.IndexFunc(c.members, func(m Member) bool { return m.has(warrant.RoleAttestor) && m.Entity != c.issuer.Entity })
	if i < 0 || !c.issuer.has(warrant.RoleAttestor) {
		return nil, fmt.Errorf("the network needs an issuer with role %s and another %s (R30)", warrant.RoleAttestor, warrant.RoleAttestor)
	}
	c.attestor = c.members[i]
	for _, m := range c.members {
		if m.has(warrant.RoleHolder) && m.Entity != c.issuer.Entity {
			c.holders = append(c.holders, m)
		}
	}
	if len(c.holders) < 3 {
		return nil, fmt.Errorf("%d identities hold warrants besides the issuer, want at least 3", len(c.holders))
	}
	return c, nil
}

// onboarding is the request that onboards a member's enterprise, whose users
// belong to mspID. Every enterprise is its own controller, so that no two are
// related parties.
func (m Member) onboarding(mspID string) warrant.OnboardEnterpriseRequest {
	return warrant.OnboardEnterpriseRequest{CreditCode: m.Entity, Name: m.Name, MSPID: mspID,
		Roles: m.Roles, Controller: m.Entity}
}
