package config

import (
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed default.yaml
var defaultYAML []byte

//go:embed consortium.yaml
var consortiumYAML []byte

// Network is the description of a whole dev network.
type Network struct {
	// Channel is the one application channel every peer joins.
	Channel string `yaml:"channel"`
	// Orderer describes the orderer organisation and its solo orderer.
	Orderer Orderer `yaml:"orderer"`
	// Orgs are the peer organisations, one peer each.
	Orgs []Org `yaml:"orgs"`
	// Chaincodes are the chaincodes defined on the channel.
	Chaincodes []Chaincode `yaml:"chaincodes"`
	// Timeouts bound the network's waits; unset ones take their defaults.
	Timeouts Timeouts `yaml:"timeouts,omitempty"`
}

// Orderer describes the orderer organisation and how its solo orderer cuts blocks.
type Orderer struct {
	MSPID        string   `yaml:"mspId"`
	Domain       string   `yaml:"domain"`
	Port         int      `yaml:"port"`
	BatchSize    int      `yaml:"batchSize"`
	BatchTimeout Duration `yaml:"batchTimeout"`
	// WaitForBatch makes the orderer cut blocks by batch size and timeout
	// only, as Fabric's orderer does. By default it also cuts a block at once
	// when the network is idle (no peer validating, no transaction being
	// endorsed), so that a lone transaction does not wait for the timeout.
	WaitForBatch bool `yaml:"waitForBatch,omitempty"`
}

// Org is a peer organisation: its MSP, domain, peer port and enrolled users.
type Org struct {
	MSPID    string `yaml:"mspId"`
	Domain   string `yaml:"domain"`
	PeerPort int    `yaml:"peerPort"`
	Users    []User `yaml:"users"`
	// BlockReaders are the roles (admin, peer, client) whose identities may
	// read full blocks and qscc's blocks and transactions; empty means
	// DefaultBlockReaderRoles.
	BlockReaders []string `yaml:"blockReaders,omitempty"`
}

// User is an enrolled client identity; Attrs go into its certificate like
// Fabric CA attributes (for example scf.entity and scf.role).
type User struct {
	Name  string            `yaml:"name"`
	Attrs map[string]string `yaml:"attrs"`
	// Type is the identity type Fabric CA registers, which becomes the
	// certificate's NodeOU role: client (the default) or admin.
	Type string `yaml:"type,omitempty"`
}

// Chaincode is a chaincode defined on the channel, run as a chaincode-as-a-service
// server: either already listening on Address, or launched by the network with Command.
type Chaincode struct {
	Name              string   `yaml:"name"`
	Version           string   `yaml:"version"`
	Address           string   `yaml:"address,omitempty"`
	Command           []string `yaml:"command,omitempty"`
	EndorsementPolicy string   `yaml:"endorsementPolicy"`
	// Collections are the chaincode's private data collections: the path of
	// a collections_config.json (as given to Fabric's peer lifecycle
	// commands) or the same entries inline.
	Collections Collections `yaml:"collections,omitempty"`
	// Env holds extra environment variables for a launched command. Each
	// peer launches its own process, as each org runs its own chaincode
	// server in Fabric, with CORE_PEER_LOCALMSPID set to the peer's org.
	Env map[string]string `yaml:"env,omitempty"`
}

// Identity types of enrolled users.
const (
	UserTypeClient = "client"
	UserTypeAdmin  = "admin"
)

// Duration is a time.Duration written in YAML as "50ms", "2s" and so on.
type Duration time.Duration

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(node *yaml.Node) error {
	parsed, err := time.ParseDuration(node.Value)
	if err != nil {
		return fmt.Errorf("invalid duration %q: %w", node.Value, err)
	}
	*d = Duration(parsed)
	return nil
}

// MarshalYAML writes the duration as a Go duration string.
func (d Duration) MarshalYAML() (any, error) {
	return time.Duration(d).String(), nil
}

// Default returns the project's network: OrdererMSP and the CoreEnterpriseMSP,
// BankMSP and AssociationMSP orgs on channel "warrants" with chaincode "warrant".
func Default() *Network {
	network, err := Parse(defaultYAML)
	if err != nil {
		panic(fmt.Sprintf("embedded default network is invalid: %v", err))
	}
	return network
}

// Consortium returns the consortium network: the default network's orgs plus a
// second bank (Bank2MSP) and a second core enterprise (CoreEnterprise2MSP).
func Consortium() *Network {
	network, err := Parse(consortiumYAML)
	if err != nil {
		panic(fmt.Sprintf("embedded consortium network is invalid: %v", err))
	}
	return network
}

// Named returns a network description by name: "default" (or "") or "consortium".
func Named(name string) (*Network, error) {
	switch name {
	case "", "default":
		return Default(), nil
	case "consortium":
		return Consortium(), nil
	}
	return nil, fmt.Errorf("unknown network %q (want default or consortium)", name)
}

// DefaultYAML returns the text of the default network description.
func DefaultYAML() []byte {
	return append([]byte(nil), defaultYAML...)
}

// Load reads and validates a network description file.
func Load(path string) (*Network, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read network description: %w", err)
	}
	network, err := parse(data, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return network, nil
}

// Parse decodes a network description, rejecting unknown fields, fills in
// defaults and validates it. Collections files named by path are left unread
// until the network starts (LoadCollectionFiles), and are then read relative
// to the working directory, as the chaincodes' commands run there.
func Parse(data []byte) (*Network, error) {
	return parse(data, "")
}

func parse(data []byte, dir string) (*Network, error) {
	decoder := yaml.NewDecoder(strings.NewReader(string(data)))
	decoder.KnownFields(true)
	network := &Network{}
	if err := decoder.Decode(network); err != nil {
		return nil, fmt.Errorf("parse network description: %w", err)
	}
	network.applyDefaults()
	if dir != "" {
		if err := network.loadCollections(dir); err != nil {
			return nil, err
		}
	}
	if err := network.Validate(); err != nil {
		return nil, err
	}
	return network, nil
}

func (n *Network) applyDefaults() {
	if n.Orderer.BatchSize == 0 {
		n.Orderer.BatchSize = 100
	}
	if n.Orderer.BatchTimeout == 0 {
		n.Orderer.BatchTimeout = Duration(DefaultBatchTimeout)
	}
	n.Timeouts = n.Timeouts.WithDefaults()
	for i := range n.Chaincodes {
		if n.Chaincodes[i].EndorsementPolicy == "" {
			n.Chaincodes[i].EndorsementPolicy = "MAJORITY Endorsement"
		}
		if n.Chaincodes[i].Version == "" {
			n.Chaincodes[i].Version = "1.0"
		}
	}
}

var (
	namePattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	domainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)
	// channelPattern is Fabric's rule for channel names.
	channelPattern = regexp.MustCompile(`^[a-z][a-z0-9.-]*$`)
	envPattern     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// Validate checks names, ports and references, and reports every problem found.
func (n *Network) Validate() error {
	var problems []error
	add := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }

	if !channelPattern.MatchString(n.Channel) || len(n.Channel) > 249 {
		add("channel %q: must start with a lower-case letter and use only a-z, 0-9, '.' and '-'", n.Channel)
	}
	ports := map[int]string{}
	usePort := func(port int, owner string) {
		if port <= 0 || port > 65535 {
			add("%s: port %d out of range 1-65535", owner, port)
			return
		}
		if other, taken := ports[port]; taken {
			add("%s: port %d already used by %s", owner, port, other)
			return
		}
		ports[port] = owner
	}
	mspIDs := map[string]bool{}
	useMSP := func(mspID, domain, owner string) {
		if !namePattern.MatchString(mspID) {
			add("%s: invalid mspId %q", owner, mspID)
		} else if mspIDs[mspID] {
			add("%s: mspId %q used twice", owner, mspID)
		}
		mspIDs[mspID] = true
		if !domainPattern.MatchString(domain) {
			add("%s: invalid domain %q", owner, domain)
		}
	}

	useMSP(n.Orderer.MSPID, n.Orderer.Domain, "orderer")
	usePort(n.Orderer.Port, "orderer")
	if n.Orderer.BatchSize < 1 || n.Orderer.BatchSize > 10000 {
		add("orderer: batchSize %d out of range 1-10000", n.Orderer.BatchSize)
	}
	if time.Duration(n.Orderer.BatchTimeout) <= 0 {
		add("orderer: batchTimeout must be positive")
	}
	timeouts := n.Timeouts.named()
	for _, name := range slices.Sorted(maps.Keys(timeouts)) {
		if timeouts[name] < 0 {
			add("timeouts: %s must not be negative", name)
		}
	}
	if len(n.Orgs) == 0 {
		add("orgs: at least one peer organisation is needed")
	}
	domains := map[string]bool{n.Orderer.Domain: true}
	for _, org := range n.Orgs {
		owner := fmt.Sprintf("org %s", org.MSPID)
		useMSP(org.MSPID, org.Domain, owner)
		if domains[org.Domain] {
			add("%s: domain %q used twice", owner, org.Domain)
		}
		domains[org.Domain] = true
		usePort(org.PeerPort, owner)
		users := map[string]bool{"Admin": true}
		for _, user := range org.Users {
			if !namePattern.MatchString(user.Name) {
				add("%s: invalid user name %q", owner, user.Name)
			} else if users[user.Name] {
				add("%s: user %q defined twice (Admin is always generated)", owner, user.Name)
			}
			users[user.Name] = true
			if user.Type != "" && user.Type != UserTypeClient && user.Type != UserTypeAdmin {
				add("%s: user %q: type %q is not client or admin", owner, user.Name, user.Type)
			}
		}
		for _, role := range org.BlockReaders {
			if role != "admin" && role != "peer" && role != "client" {
				add("%s: blockReaders: role %q is not admin, peer or client", owner, role)
			}
		}
	}
	peerMSPIDs := map[string]bool{}
	for _, org := range n.Orgs {
		peerMSPIDs[org.MSPID] = true
	}
	chaincodes := map[string]bool{}
	for _, cc := range n.Chaincodes {
		owner := fmt.Sprintf("chaincode %q", cc.Name)
		if !namePattern.MatchString(cc.Name) {
			add("%s: invalid name", owner)
		} else if chaincodes[cc.Name] {
			add("%s: defined twice", owner)
		}
		chaincodes[cc.Name] = true
		if (cc.Address == "") == (len(cc.Command) == 0) {
			add("%s: give exactly one of address (a running server) or command (launched by the network)", owner)
		}
		validateCollections(owner, cc.Collections.Config, peerMSPIDs, add)
		for _, name := range slices.Sorted(maps.Keys(cc.Env)) {
			if !envPattern.MatchString(name) {
				add("%s: env: invalid variable name %q", owner, name)
			}
			if len(cc.Command) == 0 {
				add("%s: env %s is only for a launched command", owner, name)
			}
		}
	}
	return errors.Join(problems...)
}

// Org returns the organisation with the given MSP ID.
func (n *Network) Org(mspID string) (*Org, error) {
	for i := range n.Orgs {
		if n.Orgs[i].MSPID == mspID {
			return &n.Orgs[i], nil
		}
	}
	return nil, fmt.Errorf("no organisation with MSP ID %q", mspID)
}

// Chaincode returns the chaincode with the given name.
func (n *Network) Chaincode(name string) (*Chaincode, error) {
	for i := range n.Chaincodes {
		if n.Chaincodes[i].Name == name {
			return &n.Chaincodes[i], nil
		}
	}
	return nil, fmt.Errorf("no chaincode named %q on channel %s", name, n.Channel)
}

// PeerHost is the host name of an org's peer, as in Fabric's test network.
func (o *Org) PeerHost() string { return "peer0." + o.Domain }

// Host is the host name of the solo orderer.
func (o *Orderer) Host() string { return "orderer." + o.Domain }

// MSPIDs lists the peer organisations' MSP IDs in description order.
func (n *Network) MSPIDs() []string {
	ids := make([]string, len(n.Orgs))
	for i, org := range n.Orgs {
		ids[i] = org.MSPID
	}
	return ids
}
