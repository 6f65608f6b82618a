package channel

import (
	"fmt"

	"github.com/scfledger/warrants/network/devnet/internal/msp"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
)

// Definition is a chaincode defined on the channel.
type Definition struct {
	Name    string
	Version string
	// Policy is the endorsement policy as written: "MAJORITY Endorsement" or a
	// signature policy such as "OR('BankMSP.peer','AssociationMSP.peer')".
	Policy string
}

// Channel is a channel's configuration, ready for checks. It is safe for
// concurrent use.
type Channel struct {
	name        string
	orgs        []string
	identities  *msp.Manager
	definitions map[string]definition
}

type definition struct {
	Definition
	policy policy.Policy
}

// New prepares a channel with its application orgs' MSPs and chaincode definitions.
func New(name string, orgs []msp.OrgConfig, definitions []Definition) (*Channel, error) {
	identities, err := msp.NewManager(orgs)
	if err != nil {
		return nil, fmt.Errorf("channel %s: %w", name, err)
	}
	c := &Channel{name: name, identities: identities, definitions: map[string]definition{}}
	for _, org := range orgs {
		c.orgs = append(c.orgs, org.MSPID)
	}
	for _, d := range definitions {
		compiled, err := policy.NewFromString(d.Policy, c.orgs, deserializer{identities})
		if err != nil {
			return nil, fmt.Errorf("chaincode %s endorsement policy: %w", d.Name, err)
		}
		c.definitions[d.Name] = definition{Definition: d, policy: compiled}
	}
	return c, nil
}

// Name is the channel name.
func (c *Channel) Name() string { return c.name }

// Orgs are the MSP IDs of the channel's application orgs, in configuration order.
func (c *Channel) Orgs() []string { return append([]string(nil), c.orgs...) }

// VerifySigned checks that identity is a valid member of one of the channel's
// orgs and that it signed data.
func (c *Channel) VerifySigned(identity, data, signature []byte) error {
	id, err := c.identities.Deserialize(identity)
	if err != nil {
		return fmt.Errorf("identity is not a member of channel %s: %w", c.name, err)
	}
	if err := id.Verify(data, signature); err != nil {
		return fmt.Errorf("signature of %s identity: %w", id.MSPID, err)
	}
	return nil
}

// Version returns a defined chaincode's version.
func (c *Channel) Version(name string) (string, bool) {
	d, ok := c.definitions[name]
	return d.Version, ok
}

// ChaincodePolicy returns a defined chaincode's endorsement policy.
func (c *Channel) ChaincodePolicy(name string) (policy.Policy, bool) {
	d, ok := c.definitions[name]
	return d.policy, ok
}

// KeyPolicy compiles a key's VALIDATION_PARAMETER (state-based endorsement).
func (c *Channel) KeyPolicy(value []byte) (policy.Policy, error) {
	return policy.NewFromValidationParameter(value, deserializer{c.identities})
}

// IdentityDeserializer reads the channel members' serialized identities, for
// policies compiled elsewhere (private data collections).
func (c *Channel) IdentityDeserializer() policy.IdentityDeserializer {
	return deserializer{c.identities}
}

// deserializer adapts the MSP manager to the policy package's interface.
type deserializer struct{ manager *msp.Manager }

func (d deserializer) Deserialize(serialized []byte) (policy.Identity, error) {
	identity, err := d.manager.Deserialize(serialized)
	if err != nil {
		// Never a typed nil inside the interface.
		return nil, err
	}
	return identity, nil
}
