package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Collection is a private data collection definition in Fabric's
// collections_config.json format, the file `peer lifecycle chaincode
// approveformyorg/commit --collections-config` reads.
type Collection struct {
	Name string `json:"name" yaml:"name"`
	// Policy is the signature policy naming the member orgs, for example
	// "OR('Org1MSP.member','Org2MSP.member')".
	Policy string `json:"policy" yaml:"policy"`
	// RequiredPeerCount is the number of other member peers an endorsing peer
	// must hand the private data to before it endorses.
	RequiredPeerCount *int32 `json:"requiredPeerCount" yaml:"requiredPeerCount"`
	// MaxPeerCount is the most peers the endorsing peer hands it to.
	MaxPeerCount *int32 `json:"maxPeerCount" yaml:"maxPeerCount"`
	// BlockToLive is for how many blocks the private data is kept (0: forever).
	BlockToLive uint64 `json:"blockToLive" yaml:"blockToLive"`
	// MemberOnlyRead and MemberOnlyWrite restrict reads and writes to clients
	// of member orgs.
	MemberOnlyRead  bool `json:"memberOnlyRead" yaml:"memberOnlyRead"`
	MemberOnlyWrite bool `json:"memberOnlyWrite" yaml:"memberOnlyWrite"`
	// EndorsementPolicy, when set, replaces the chaincode's endorsement policy
	// for transactions that write to the collection.
	EndorsementPolicy *CollectionEndorsementPolicy `json:"endorsementPolicy,omitempty" yaml:"endorsementPolicy,omitempty"`
}

// CollectionEndorsementPolicy is a collection's own endorsement policy: a
// signature policy or a channel configuration policy reference.
type CollectionEndorsementPolicy struct {
	SignaturePolicy     string `json:"signaturePolicy,omitempty" yaml:"signaturePolicy,omitempty"`
	ChannelConfigPolicy string `json:"channelConfigPolicy,omitempty" yaml:"channelConfigPolicy,omitempty"`
}

// Collections are a chaincode's collections, written in the network
// description either as the path of a collections_config.json file or inline
// as a list. A description file (Load) names the file relative to itself; the
// embedded descriptions (Default, Consortium) name it relative to the
// repository, where their chaincode command runs too, and it is read when the
// network starts.
type Collections struct {
	// Path is the collections_config.json file, when given as a path.
	Path string
	// Config is the collections, read from Path or given inline.
	Config []Collection
}

// UnmarshalYAML accepts a path or a list of collections.
func (c *Collections) UnmarshalYAML(node *yaml.Node) error {
	if node.Kind == yaml.ScalarNode {
		c.Path = node.Value
		return nil
	}
	var inline []Collection
	if err := node.Decode(&inline); err != nil {
		return fmt.Errorf("collections: %w", err)
	}
	c.Config = inline
	return nil
}

// MarshalYAML writes the path when there is one, else the list.
func (c Collections) MarshalYAML() (any, error) {
	if c.Path != "" {
		return c.Path, nil
	}
	return c.Config, nil
}

// IsZero lets omitempty drop an empty collections field.
func (c Collections) IsZero() bool { return c.Path == "" && len(c.Config) == 0 }

// ParseCollections reads a collections_config.json document as Fabric's peer
// CLI does, rejecting unknown fields.
func ParseCollections(data []byte) ([]Collection, error) {
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	var collections []Collection
	if err := decoder.Decode(&collections); err != nil {
		return nil, fmt.Errorf("parse collections config: %w", err)
	}
	return collections, nil
}

// LoadCollections reads a collections_config.json file.
func LoadCollections(path string) ([]Collection, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read collections config: %w", err)
	}
	collections, err := ParseCollections(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return collections, nil
}

// LoadCollectionFiles reads the collections files that Parse left unread, a
// relative path taken from the working directory. The network calls it when it
// starts.
func (n *Network) LoadCollectionFiles() error {
	if err := n.loadCollections(""); err != nil {
		wd, _ := os.Getwd()
		return fmt.Errorf("%w (relative paths are taken from the working directory %s; the default and consortium networks' from the repository root)", err, wd)
	}
	return nil
}

// loadCollections reads every chaincode's collections file not read yet, a
// relative path taken from dir (the working directory when empty).
func (n *Network) loadCollections(dir string) error {
	var problems []error
	for i := range n.Chaincodes {
		cc := &n.Chaincodes[i]
		if cc.Collections.Path == "" || len(cc.Collections.Config) > 0 {
			continue
		}
		path := cc.Collections.Path
		if !filepath.IsAbs(path) && dir != "" {
			path = filepath.Join(dir, path)
		}
		collections, err := LoadCollections(path)
		if err != nil {
			problems = append(problems, fmt.Errorf("chaincode %q: %w", cc.Name, err))
			continue
		}
		cc.Collections.Config = collections
	}
	return errors.Join(problems...)
}

// ImplicitCollectionPrefix starts the name of an org's implicit collection,
// _implicit_org_<MSPID>, which every chaincode has without defining it.
const ImplicitCollectionPrefix = "_implicit_org_"

// collectionNamePattern is Fabric's rule for collection names.
var collectionNamePattern = regexp.MustCompile(`^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$`)

// mspInPolicy finds the MSP IDs a signature policy names ('<MSPID>.<role>').
var mspInPolicy = regexp.MustCompile(`'([^'.]+)\.[A-Za-z]+'`)

// PolicyMSPIDs returns the MSP IDs a signature policy expression names, in order.
func PolicyMSPIDs(expr string) []string {
	var ids []string
	for _, m := range mspInPolicy.FindAllStringSubmatch(expr, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// ValidateCollections checks collections as a network whose peer orgs are
// mspIDs would (names, peer counts, policies naming only those orgs): the
// check a collections_config.json of the real network's deploy gets too.
func ValidateCollections(collections []Collection, mspIDs []string) error {
	known := map[string]bool{}
	for _, id := range mspIDs {
		known[id] = true
	}
	var problems []error
	validateCollections("collections config:", collections, known, func(format string, args ...any) {
		problems = append(problems, fmt.Errorf(format, args...))
	})
	return errors.Join(problems...)
}

// validateCollections checks a chaincode's collections as Fabric's lifecycle
// does when they are approved: unique valid names, peer counts, and policies
// naming only the channel's orgs.
func validateCollections(owner string, collections []Collection, mspIDs map[string]bool, add func(string, ...any)) {
	seen := map[string]bool{}
	for _, c := range collections {
		where := fmt.Sprintf("%s collection %q", owner, c.Name)
		switch {
		case !collectionNamePattern.MatchString(c.Name):
			add("%s: invalid name (letters, digits, '-' and '_', not starting with '_')", where)
		case seen[c.Name]:
			add("%s: defined twice", where)
		}
		seen[c.Name] = true
		if c.RequiredPeerCount == nil {
			add("%s: requiredPeerCount is required", where)
		}
		if c.MaxPeerCount == nil {
			add("%s: maxPeerCount is required", where)
		}
		if c.RequiredPeerCount != nil && c.MaxPeerCount != nil {
			if *c.RequiredPeerCount < 0 {
				add("%s: requiredPeerCount %d must not be negative", where, *c.RequiredPeerCount)
			}
			if *c.MaxPeerCount < *c.RequiredPeerCount {
				add("%s: maxPeerCount %d lower than requiredPeerCount %d", where, *c.MaxPeerCount, *c.RequiredPeerCount)
			}
		}
		checkPolicyOrgs(where+" policy", c.Policy, mspIDs, add)
		if ep := c.EndorsementPolicy; ep != nil {
			if (ep.SignaturePolicy == "") == (ep.ChannelConfigPolicy == "") {
				add("%s: endorsementPolicy needs exactly one of signaturePolicy or channelConfigPolicy", where)
			}
			if ep.SignaturePolicy != "" {
				checkPolicyOrgs(where+" endorsementPolicy", ep.SignaturePolicy, mspIDs, add)
			}
		}
	}
}

func checkPolicyOrgs(where, expr string, mspIDs map[string]bool, add func(string, ...any)) {
	ids := PolicyMSPIDs(expr)
	if strings.TrimSpace(expr) == "" || len(ids) == 0 {
		add("%s: a signature policy naming member orgs is required", where)
	}
	for _, id := range ids {
		if !mspIDs[id] {
			add("%s names %q, which is not an org of the network", where, id)
		}
	}
}
