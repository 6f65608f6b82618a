package channel

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/msp"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// Definition is a chaincode defined on the channel.
type Definition struct {
	Name    string
	Version string
	// Policy is the endorsement policy as written: "MAJORITY Endorsement", a
	// channel policy path such as "/Channel/Application/Endorsement", or a
	// signature policy such as "OR('BankMSP.peer','AssociationMSP.peer')".
	Policy string
}

// Channel is a channel's current configuration, ready for checks. A config
// block replaces it (Update); every check reads one configuration. It is safe
// for concurrent use.
type Channel struct {
	name        string
	order       []string
	definitions []Definition
	current     atomic.Pointer[bundle]
	updates     sync.Mutex // serialises Update
}

type definition struct {
	Definition
	policy policy.Policy
}

// ErrNoConfig is returned by checks that need a channel configuration on a
// channel built by New.
var ErrNoConfig = errors.New("channel has no configuration")

// New prepares a channel with fixed application orgs' MSPs and chaincode
// definitions, without a channel configuration: no orderer org, policies or
// ACLs. It serves unit tests of the packages that check transactions;
// networks use FromConfig.
func New(name string, orgs []msp.OrgConfig, definitions []Definition) (*Channel, error) {
	identities, err := msp.NewManager(orgs)
	if err != nil {
		return nil, fmt.Errorf("channel %s: %w", name, err)
	}
	b := &bundle{identities: identities, policies: map[string]policy.Policy{}, acls: map[string]string{}}
	for _, org := range orgs {
		b.orgs = append(b.orgs, org.MSPID)
	}
	c := &Channel{name: name, definitions: definitions}
	b.definitions = map[string]definition{}
	for _, d := range definitions {
		compiled, err := policy.NewFromString(d.Policy, b.orgs, deserializer{identities})
		if err != nil {
			return nil, fmt.Errorf("chaincode %s endorsement policy: %w", d.Name, err)
		}
		b.definitions[d.Name] = definition{Definition: d, policy: compiled}
	}
	c.current.Store(b)
	return c, nil
}

// FromConfig prepares a channel from its configuration. order lists
// application MSP IDs in the order the network prefers them (endorsement
// plans try them in this order); orgs it omits follow, sorted.
func FromConfig(name string, cfg *common.Config, order []string, definitions []Definition) (*Channel, error) {
	c := &Channel{name: name, order: order, definitions: definitions}
	b, err := newBundle(cfg, order, definitions)
	if err != nil {
		return nil, fmt.Errorf("channel %s: %w", name, err)
	}
	c.current.Store(b)
	return c, nil
}

// FromBlock prepares a channel from a config block (its genesis block or a
// later one).
func FromBlock(block *common.Block, order []string, definitions []Definition) (*Channel, error) {
	name, cfg, err := ConfigFromBlock(block)
	if err != nil {
		return nil, err
	}
	return FromConfig(name, cfg, order, definitions)
}

// ConfigFromBlock returns the channel name and configuration a config block carries.
func ConfigFromBlock(block *common.Block) (string, *common.Config, error) {
	data := block.GetData().GetData()
	if len(data) != 1 {
		return "", nil, fmt.Errorf("block %d is not a config block: %d transactions", block.GetHeader().GetNumber(), len(data))
	}
	envelope := &common.Envelope{}
	if err := proto.Unmarshal(data[0], envelope); err != nil {
		return "", nil, fmt.Errorf("config block %d: %w", block.GetHeader().GetNumber(), err)
	}
	return ConfigFromEnvelope(envelope)
}

// ConfigFromEnvelope returns the channel name and configuration of a CONFIG envelope.
func ConfigFromEnvelope(envelope *common.Envelope) (string, *common.Config, error) {
	payload := &common.Payload{}
	if err := proto.Unmarshal(envelope.GetPayload(), payload); err != nil {
		return "", nil, fmt.Errorf("config envelope payload: %w", err)
	}
	header := &common.ChannelHeader{}
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), header); err != nil {
		return "", nil, fmt.Errorf("config envelope channel header: %w", err)
	}
	if header.GetType() != int32(common.HeaderType_CONFIG) {
		return "", nil, fmt.Errorf("envelope of type %d is not a CONFIG transaction", header.GetType())
	}
	configEnvelope := &common.ConfigEnvelope{}
	if err := proto.Unmarshal(payload.GetData(), configEnvelope); err != nil {
		return "", nil, fmt.Errorf("config envelope: %w", err)
	}
	if configEnvelope.GetConfig() == nil {
		return "", nil, errors.New("config envelope carries no configuration")
	}
	return header.GetChannelId(), configEnvelope.GetConfig(), nil
}

// Update replaces the channel's configuration, as a peer does once it
// committed a config block. Checks already running finish on the old one.
func (c *Channel) Update(cfg *common.Config) error {
	c.updates.Lock()
	defer c.updates.Unlock()
	b, err := newBundle(cfg, c.order, c.definitions)
	if err != nil {
		return fmt.Errorf("channel %s: %w", c.name, err)
	}
	c.current.Store(b)
	return nil
}

// Name is the channel name.
func (c *Channel) Name() string { return c.name }

// Config is the channel's current configuration; nil for a channel built by
// New. It must not be modified.
func (c *Channel) Config() *common.Config { return c.current.Load().config }

// Sequence is the current configuration's sequence number.
func (c *Channel) Sequence() uint64 { return c.current.Load().config.GetSequence() }

// Orgs are the MSP IDs of the channel's application orgs, in the channel's
// preferred order.
func (c *Channel) Orgs() []string { return slices.Clone(c.current.Load().orgs) }

// AnchorPeers are an application org's anchor peers.
func (c *Channel) AnchorPeers(mspID string) []*pb.AnchorPeer {
	return c.current.Load().anchorPeers[mspID]
}

// OrdererEndpoints are the orderer orgs' endpoints.
func (c *Channel) OrdererEndpoints() []string { return slices.Clone(c.current.Load().endpoints) }

// Batch is the orderer's block cutting configuration: the most transactions
// in a block, and how long the first one waits for others.
func (c *Channel) Batch() (int, time.Duration) {
	b := c.current.Load()
	return int(b.batchSize), b.batchTime
}

// VerifySigned checks that identity is a valid member of one of the channel's
// application orgs and that it signed data.
func (c *Channel) VerifySigned(identity, data, signature []byte) error {
	b := c.current.Load()
	id, err := b.identities.Deserialize(identity)
	if err != nil {
		return fmt.Errorf("identity is not a member of channel %s: %w", c.name, err)
	}
	if !slices.Contains(b.orgs, id.MSPID) {
		return fmt.Errorf("identity is not a member of channel %s: %s is not an application org", c.name, id.MSPID)
	}
	if err := id.Verify(data, signature); err != nil {
		return fmt.Errorf("signature of %s identity: %w", id.MSPID, err)
	}
	return nil
}

// Policy returns the channel policy at path, for example /Channel/Writers.
func (c *Channel) Policy(path string) (policy.Policy, bool) {
	p, ok := c.current.Load().policies[path]
	return p, ok
}

// EvaluatePolicy checks signed against the channel policy at path.
func (c *Channel) EvaluatePolicy(path string, signed []policy.SignedData) error {
	p, ok := c.Policy(path)
	if !ok {
		if c.Config() == nil {
			return fmt.Errorf("policy %s: %w", path, ErrNoConfig)
		}
		return fmt.Errorf("channel %s has no policy %s", c.name, path)
	}
	return p.EvaluateSignedData(signed)
}

// CheckACL checks signed against the policy the channel's ACLs give resource
// (for example event/Block or qscc/GetBlockByNumber), as Fabric's ACL
// provider does; a resource without an ACL needs the application Readers.
func (c *Channel) CheckACL(resource string, signed []policy.SignedData) error {
	b := c.current.Load()
	path, ok := b.acls[resource]
	if !ok {
		path = applicationPrefix + "Readers"
	}
	if err := c.EvaluatePolicy(path, signed); err != nil {
		return fmt.Errorf("access denied for [%s]: failed evaluating policy on signed data during check policy [%s]: %w", resource, path, err)
	}
	return nil
}

// Version returns a defined chaincode's version.
func (c *Channel) Version(name string) (string, bool) {
	d, ok := c.current.Load().definitions[name]
	return d.Version, ok
}

// ChaincodePolicy returns a defined chaincode's endorsement policy under the
// current configuration.
func (c *Channel) ChaincodePolicy(name string) (policy.Policy, bool) {
	d, ok := c.current.Load().definitions[name]
	return d.policy, ok
}

// KeyPolicy compiles a key's VALIDATION_PARAMETER (state-based endorsement).
func (c *Channel) KeyPolicy(value []byte) (policy.Policy, error) {
	return policy.NewFromValidationParameter(value, deserializer{c.current.Load().identities})
}

// IdentityDeserializer reads the channel members' serialized identities, for
// policies compiled elsewhere (private data collections).
func (c *Channel) IdentityDeserializer() policy.IdentityDeserializer {
	return deserializer{c.current.Load().identities}
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

// VerifyBlock checks a block as a peer does before committing it: its data
// hash matches its header, and its orderer signatures satisfy the channel's
// BlockValidation policy. A channel built by New checks only the data hash.
func (c *Channel) VerifyBlock(block *common.Block) error {
	number := block.GetHeader().GetNumber()
	sum := sha256.Sum256(bytes.Join(block.GetData().GetData(), nil))
	if !bytes.Equal(sum[:], block.GetHeader().GetDataHash()) {
		return fmt.Errorf("block %d: header data hash does not match the block's data", number)
	}
	if c.Config() == nil {
		return nil
	}
	signatures, err := protoutil.BlockSignatures(block)
	if err != nil {
		return fmt.Errorf("block %d: %w", number, err)
	}
	signed := make([]policy.SignedData, len(signatures))
	for i, s := range signatures {
		signed[i] = policy.SignedData(s)
	}
	if err := c.EvaluatePolicy(BlockValidationPolicy, signed); err != nil {
		return fmt.Errorf("block %d: orderer signatures: %w", number, err)
	}
	return nil
}

// CurrentDeserializer reads serialized identities against the channel's
// configuration at each call, following configuration updates
// (IdentityDeserializer keeps the configuration of the moment it is called).
func (c *Channel) CurrentDeserializer() policy.IdentityDeserializer {
	return currentDeserializer{c}
}

type currentDeserializer struct{ channel *Channel }

func (d currentDeserializer) Deserialize(serialized []byte) (policy.Identity, error) {
	return deserializer{d.channel.current.Load().identities}.Deserialize(serialized)
}
