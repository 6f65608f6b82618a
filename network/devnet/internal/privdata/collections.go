// Package privdata holds what the dev network's peers know about private data
// collections, as Fabric's collection store and gossip private data handling
// do: each chaincode's collections (defined ones and every org's implicit
// collection) with their member orgs, access rules, endorsement policies and
// dissemination counts; the peers' transient stores, where an endorser leaves
// the private write set of a transaction for the member peers to commit; and
// the dissemination of that write set, which in one process is a direct hand
// over to the member peers' transient stores.
package privdata

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
)

// Collection is one compiled collection of a chaincode.
type Collection struct {
	Name string
	// Members are the MSP IDs of the member orgs, whose peers store the
	// private data.
	Members []string
	// Access is the member policy, which decides memberOnlyRead/Write for a
	// proposal's creator and Deliver's private data for a requester.
	Access          policy.Policy
	RequiredPeers   int
	MaxPeers        int
	BlockToLive     uint64
	MemberOnlyRead  bool
	MemberOnlyWrite bool
	// Endorsement replaces the chaincode's endorsement policy for
	// transactions writing to the collection; nil means the chaincode's.
	Endorsement policy.Policy
	// Implicit is true for an org's implicit collection.
	Implicit bool
}

// IsMember reports whether mspID's peers are members of the collection.
func (c *Collection) IsMember(mspID string) bool { return slices.Contains(c.Members, mspID) }

// Registry knows every chaincode's collections on the channel. It is safe
// for concurrent use; only AddOrg changes it.
type Registry struct {
	orgs       []string
	chaincodes map[string]map[string]*Collection
	// implicit are the orgs' implicit collections, by name; AddOrg replaces the map.
	implicit    atomic.Pointer[map[string]*Collection]
	adding      sync.Mutex // serialises AddOrg
	deserialize policy.IdentityDeserializer
}

// New compiles the collections of every chaincode of the network description;
// orgs are the channel's application orgs.
func New(cfg *config.Network, d policy.IdentityDeserializer) (*Registry, error) {
	r := &Registry{orgs: cfg.MSPIDs(), chaincodes: map[string]map[string]*Collection{}, deserialize: d}
	implicit := map[string]*Collection{}
	for _, org := range r.orgs {
		c, err := implicitCollection(org, d)
		if err != nil {
			return nil, err
		}
		implicit[c.Name] = c
	}
	r.implicit.Store(&implicit)
	for _, cc := range cfg.Chaincodes {
		defined := cc.Collections.Config
		if len(defined) == 0 && cc.Collections.Path != "" {
			var err error
			if defined, err = config.LoadCollections(cc.Collections.Path); err != nil {
				return nil, fmt.Errorf("chaincode %s: %w", cc.Name, err)
			}
		}
		byName := map[string]*Collection{}
		for _, def := range defined {
			c, err := r.compile(def)
			if err != nil {
				return nil, fmt.Errorf("chaincode %s collection %s: %w", cc.Name, def.Name, err)
			}
			byName[c.Name] = c
		}
		r.chaincodes[cc.Name] = byName
	}
	return r, nil
}

// AddOrg gives an org that joined the channel its implicit collection, as
// Fabric has one for every org of the channel configuration.
func (r *Registry) AddOrg(mspID string) error {
	c, err := implicitCollection(mspID, r.deserialize)
	if err != nil {
		return err
	}
	r.adding.Lock()
	defer r.adding.Unlock()
	next := maps.Clone(*r.implicit.Load())
	next[c.Name] = c
	r.implicit.Store(&next)
	return nil
}

// implicitCollection is Fabric's implicit collection of an org: members are
// the org, no member-only rules, blockToLive forever, the org's Endorsement
// policy (its peers) as endorsement policy, and Fabric's default
// dissemination (requiredPeerCount 0, maxPeerCount 1).
func implicitCollection(mspID string, d policy.IdentityDeserializer) (*Collection, error) {
	access, err := policy.NewFromString(fmt.Sprintf("OR('%s.member')", mspID), nil, d)
	if err != nil {
		return nil, fmt.Errorf("implicit collection of %s: %w", mspID, err)
	}
	endorsement, err := policy.NewFromString(fmt.Sprintf("OR('%s.peer')", mspID), nil, d)
	if err != nil {
		return nil, fmt.Errorf("implicit collection of %s: %w", mspID, err)
	}
	return &Collection{
		Name: config.ImplicitCollectionPrefix + mspID, Members: []string{mspID}, Access: access,
		RequiredPeers: 0, MaxPeers: 1, Endorsement: endorsement, Implicit: true,
	}, nil
}

func (r *Registry) compile(def config.Collection) (*Collection, error) {
	access, err := policy.NewFromString(def.Policy, r.orgs, r.deserialize)
	if err != nil {
		return nil, fmt.Errorf("member policy: %w", err)
	}
	c := &Collection{
		Name: def.Name, Access: access, BlockToLive: def.BlockToLive,
		MemberOnlyRead: def.MemberOnlyRead, MemberOnlyWrite: def.MemberOnlyWrite,
	}
	for _, id := range config.PolicyMSPIDs(def.Policy) {
		if !slices.Contains(c.Members, id) {
			c.Members = append(c.Members, id)
		}
	}
	if def.RequiredPeerCount != nil {
		c.RequiredPeers = int(*def.RequiredPeerCount)
	}
	if def.MaxPeerCount != nil {
		c.MaxPeers = int(*def.MaxPeerCount)
	}
	if ep := def.EndorsementPolicy; ep != nil {
		expr := ep.SignaturePolicy
		if expr == "" {
			expr = ep.ChannelConfigPolicy
		}
		if c.Endorsement, err = policy.NewFromString(expr, r.orgs, r.deserialize); err != nil {
			return nil, fmt.Errorf("endorsement policy: %w", err)
		}
	}
	return c, nil
}

// Collection returns a chaincode's collection, defined or implicit, with
// Fabric's error for one that is not defined.
func (r *Registry) Collection(chaincode, name string) (*Collection, error) {
	if c, ok := r.chaincodes[chaincode][name]; ok {
		return c, nil
	}
	if strings.HasPrefix(name, config.ImplicitCollectionPrefix) {
		if c, ok := (*r.implicit.Load())[name]; ok {
			return c, nil
		}
	}
	return nil, fmt.Errorf("collection [%s] not defined in the collection config for namespace [%s]", name, chaincode)
}

// Expires reports whether any collection's private data expires (a
// blockToLive above 0).
func (r *Registry) Expires() bool {
	for _, byName := range r.chaincodes {
		for _, c := range byName {
			if c.BlockToLive > 0 {
				return true
			}
		}
	}
	return false
}

// BlockToLive is a collection's blockToLive (0 for unknown collections).
func (r *Registry) BlockToLive(chaincode, name string) uint64 {
	c, err := r.Collection(chaincode, name)
	if err != nil {
		return 0
	}
	return c.BlockToLive
}
