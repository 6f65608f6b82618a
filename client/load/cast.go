package load

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/network/devnet"
)

// member is an enrolled user of the network who acts in the warrant domain: the
// enterprise (credit code) and roles its certificate attributes name.
type member struct {
	MSPID, User string
	Entity      string
	Roles       []warrant.Role
}

// has reports whether the member holds role.
func (m member) has(role warrant.Role) bool { return slices.Contains(m.Roles, role) }

// cast lists the members of the network, per org in configuration order and per
// user by name, and picks the actors the preparation needs.
type cast struct {
	members []member
	// admin ... registrar are the first members with those roles.
	admin, issuer, financier, verifier, registrar member
	// attestor is the first attestor besides the issuer: the independent source of
	// the tax-invoice check; the issuer, as the buyer, attests the goods receipt (R30).
	attestor member
	// holders can hold warrants; the first is the source of every prepared
	// warrant, the others are the workers' holders.
	holders []member
}

// castOf reads the members from the users' certificates (attributes scf.entity
// and scf.role, as Fabric CA writes them).
func castOf(network *devnet.Network) (*cast, error) {
	c := &cast{}
	for _, org := range network.Material().Orgs {
		if org.Orderer {
			continue
		}
		names := make([]string, 0, len(org.Users))
		for name := range org.Users {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			attrs, err := certAttributes(org.Users[name].Cert)
			if err != nil {
				return nil, fmt.Errorf("user %s of %s: %w", name, org.MSPID, err)
			}
			if attrs[warrant.AttrEntity] == "" {
				continue
			}
			m := member{MSPID: org.MSPID, User: name, Entity: attrs[warrant.AttrEntity]}
			for _, role := range strings.Split(attrs[warrant.AttrRole], ",") {
				if role = strings.TrimSpace(role); role != "" {
					m.Roles = append(m.Roles, warrant.Role(role))
				}
			}
			c.members = append(c.members, m)
		}
	}
	for _, pick := range []struct {
		role warrant.Role
		into *member
	}{
		{warrant.RoleAdmin, &c.admin}, {warrant.RoleIssuer, &c.issuer}, {warrant.RoleFinancier, &c.financier},
		{warrant.RoleVerifier, &c.verifier}, {warrant.RoleRegistrar, &c.registrar},
	} {
		i := slices.IndexFunc(c.members, func(m member) bool { return m.has(pick.role) })
		if i < 0 {
			return nil, fmt.Errorf("no user of the network has role %s", pick.role)
		}
		*pick.into = c.members[i]
	}
	i := slices.IndexFunc(c.members, func(m member) bool { return m.has(warrant.RoleAttestor) && m.Entity != c.issuer.Entity })
	if i < 0 || !c.issuer.has(warrant.RoleAttestor) {
		return nil, fmt.Errorf("the network needs an issuer with role attestor and another attestor (R30)")
	}
	c.attestor = c.members[i]
	for _, m := range c.members {
		if m.has(warrant.RoleHolder) && m.Entity != c.issuer.Entity {
			c.holders = append(c.holders, m)
		}
	}
	if len(c.holders) < 3 {
		return nil, fmt.Errorf("the network has %d holders besides the issuer, want at least 3", len(c.holders))
	}
	return c, nil
}

// onboarding is the request that onboards a member's enterprise. Every
// enterprise is its own controller, so that no two are related parties.
func (m member) onboarding() warrant.OnboardEnterpriseRequest {
	return warrant.OnboardEnterpriseRequest{CreditCode: m.Entity, Name: m.User + " of " + m.MSPID, MSPID: m.MSPID,
		Roles: m.Roles, Controller: m.Entity}
}

// certAttributes reads the Fabric CA attributes of a certificate, as the
// chaincode's client-identity helpers do.
func certAttributes(cert *x509.Certificate) (map[string]string, error) {
	attrs, err := attrmgr.New().GetAttributesFromCert(cert)
	if err != nil {
		return nil, fmt.Errorf("certificate attributes: %w", err)
	}
	out := map[string]string{}
	for _, name := range attrs.Names() {
		value, _, _ := attrs.Value(name)
		out[name] = value
	}
	return out, nil
}
