package channel

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/policy"
)

// Kinds of configuration elements, as Fabric's configtx names them in its
// element keys ("[Group]  /Channel/Application").
const (
	groupElement  = "[Group]  "
	valueElement  = "[Value]  "
	policyElement = "[Policy] "
)

// element is one group, value or policy of a channel configuration, by path.
type element struct {
	kind      string
	path      string // full path, /Channel/...
	parent    string // the full path of the group it belongs to; "" for the root group
	version   uint64
	modPolicy string
	group     *common.ConfigGroup // set for groups (children listed by name only)
	value     *common.ConfigValue
	policy    *common.ConfigPolicy
}

func (e element) key() string { return e.kind + e.path }

// flatten maps every element of a configuration tree rooted at group (named
// /Channel) by its key, as Fabric's configtx maps a config before comparing.
func flatten(group *common.ConfigGroup) (map[string]element, error) {
	out := map[string]element{}
	if group == nil {
		return out, nil
	}
	return out, flattenGroup(out, "", "/"+rootGroup, group)
}

func flattenGroup(out map[string]element, parent, path string, group *common.ConfigGroup) error {
	out[groupElement+path] = element{kind: groupElement, path: path, parent: parent, version: group.GetVersion(), modPolicy: group.GetModPolicy(), group: group}
	for name, value := range group.GetValues() {
		if err := validName(name); err != nil {
			return fmt.Errorf("value %s/%s: %w", path, name, err)
		}
		e := element{kind: valueElement, path: path + "/" + name, parent: path, version: value.GetVersion(), modPolicy: value.GetModPolicy(), value: value}
		out[e.key()] = e
	}
	for name, p := range group.GetPolicies() {
		if err := validName(name); err != nil {
			return fmt.Errorf("policy %s/%s: %w", path, name, err)
		}
		e := element{kind: policyElement, path: path + "/" + name, parent: path, version: p.GetVersion(), modPolicy: p.GetModPolicy(), policy: p}
		out[e.key()] = e
	}
	for name, child := range group.GetGroups() {
		if err := validName(name); err != nil {
			return fmt.Errorf("group %s/%s: %w", path, name, err)
		}
		if err := flattenGroup(out, path, path+"/"+name, child); err != nil {
			return err
		}
	}
	return nil
}

// validName checks a configuration element's name as Fabric's configtx does.
func validName(name string) error {
	if name == "" || len(name) > 249 || name == "." || name == ".." {
		return fmt.Errorf("invalid name %q", name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("name %q has an illegal character %q", name, r)
		}
	}
	return nil
}

// ConfigUpdate is a CONFIG_UPDATE envelope taken apart.
type ConfigUpdate struct {
	Update *common.ConfigUpdate
	// Signed are the admins' signatures over the update.
	Signed []policy.SignedData
}

// ParseConfigUpdate takes a CONFIG_UPDATE envelope apart: the update and the
// signatures over it (each over its signature header followed by the update).
func ParseConfigUpdate(envelope *common.Envelope) (*ConfigUpdate, error) {
	payload := &common.Payload{}
	if err := proto.Unmarshal(envelope.GetPayload(), payload); err != nil {
		return nil, fmt.Errorf("config update payload: %w", err)
	}
	header := &common.ChannelHeader{}
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), header); err != nil {
		return nil, fmt.Errorf("config update channel header: %w", err)
	}
	if header.GetType() != int32(common.HeaderType_CONFIG_UPDATE) {
		return nil, fmt.Errorf("envelope of type %d is not a CONFIG_UPDATE", header.GetType())
	}
	updateEnvelope := &common.ConfigUpdateEnvelope{}
	if err := proto.Unmarshal(payload.GetData(), updateEnvelope); err != nil {
		return nil, fmt.Errorf("config update envelope: %w", err)
	}
	update := &common.ConfigUpdate{}
	if err := proto.Unmarshal(updateEnvelope.GetConfigUpdate(), update); err != nil {
		return nil, fmt.Errorf("config update: %w", err)
	}
	if update.GetChannelId() != header.GetChannelId() {
		return nil, fmt.Errorf("config update for channel %q in an envelope for channel %q", update.GetChannelId(), header.GetChannelId())
	}
	parsed := &ConfigUpdate{Update: update}
	for i, signature := range updateEnvelope.GetSignatures() {
		signatureHeader := &common.SignatureHeader{}
		if err := proto.Unmarshal(signature.GetSignatureHeader(), signatureHeader); err != nil {
			return nil, fmt.Errorf("config update signature %d: %w", i, err)
		}
		data := make([]byte, 0, len(signature.GetSignatureHeader())+len(updateEnvelope.GetConfigUpdate()))
		data = append(append(data, signature.GetSignatureHeader()...), updateEnvelope.GetConfigUpdate()...)
		parsed.Signed = append(parsed.Signed, policy.SignedData{Identity: signatureHeader.GetCreator(), Data: data, Signature: signature.GetSignature()})
	}
	return parsed, nil
}

// ProposeConfigUpdate validates a CONFIG_UPDATE envelope against the current
// configuration, as Fabric's configtx validator does, and returns the
// configuration it produces (the next sequence):
//   - the update is for this channel;
//   - every element of its read set exists at the version read;
//   - every element of its write set that changed (the delta) is new at
//     version 0, or replaces the current element at its version + 1;
//   - the update's signatures satisfy the mod_policy of every existing element
//     it changes (adding an org changes the Application group, whose
//     mod_policy is Admins: /Channel/Application/Admins, MAJORITY Admins);
//   - something changes, and the result is a configuration every node can use.
func (c *Channel) ProposeConfigUpdate(envelope *common.Envelope) (*common.Config, error) {
	update, err := ParseConfigUpdate(envelope)
	if err != nil {
		return nil, err
	}
	return c.current.Load().apply(c.name, update)
}

// apply validates update against b's configuration and returns the result.
func (b *bundle) apply(channelName string, update *ConfigUpdate) (*common.Config, error) {
	if b.config == nil {
		return nil, ErrNoConfig
	}
	if id := update.Update.GetChannelId(); id != channelName {
		return nil, fmt.Errorf("config update for channel %q, but this is channel %q", id, channelName)
	}
	current, err := flatten(b.config.GetChannelGroup())
	if err != nil {
		return nil, fmt.Errorf("current configuration: %w", err)
	}
	readSet, err := flatten(update.Update.GetReadSet())
	if err != nil {
		return nil, fmt.Errorf("read set: %w", err)
	}
	for key, read := range readSet {
		existing, ok := current[key]
		if !ok {
			return nil, fmt.Errorf("stale read set: %s is not in the current configuration", key)
		}
		if existing.version != read.version {
			return nil, fmt.Errorf("stale read set: the update read %s at version %d, but it is at version %d", key, read.version, existing.version)
		}
	}
	writeSet, err := flatten(update.Update.GetWriteSet())
	if err != nil {
		return nil, fmt.Errorf("write set: %w", err)
	}
	delta := map[string]element{}
	for key, written := range writeSet {
		if read, ok := readSet[key]; ok && read.version == written.version {
			continue
		}
		delta[key] = written
	}
	if len(delta) == 0 {
		return nil, errors.New("the config update changes nothing")
	}
	for _, key := range slices.Sorted(maps.Keys(delta)) {
		if err := b.authorize(current, delta[key], update.Signed); err != nil {
			return nil, err
		}
	}
	merged := maps.Clone(current)
	maps.Copy(merged, delta)
	root, err := rebuild(merged, groupElement+"/"+rootGroup)
	if err != nil {
		return nil, fmt.Errorf("proposed configuration: %w", err)
	}
	next := &common.Config{Sequence: b.config.GetSequence() + 1, ChannelGroup: root}
	if _, err := newBundle(next, nil, nil); err != nil {
		return nil, fmt.Errorf("proposed configuration: %w", err)
	}
	return next, nil
}

// authorize checks one changed element: its version follows the current one
// and the signatures satisfy the current element's mod_policy.
func (b *bundle) authorize(current map[string]element, changed element, signed []policy.SignedData) error {
	if changed.modPolicy == "" {
		return fmt.Errorf("%s: mod_policy not set", changed.key())
	}
	existing, ok := current[changed.key()]
	if !ok {
		if changed.version != 0 {
			return fmt.Errorf("attempted to set %s to version %d, but it does not exist", changed.key(), changed.version)
		}
		return nil
	}
	if changed.version != existing.version+1 {
		return fmt.Errorf("attempted to set %s to version %d, but it is at version %d", changed.key(), changed.version, existing.version)
	}
	path := modPolicyPath(existing)
	p, ok := b.policies[path]
	if !ok {
		return fmt.Errorf("%s: no mod_policy %s", changed.key(), path)
	}
	if err := p.EvaluateSignedData(signed); err != nil {
		return fmt.Errorf("policy %s for %s not satisfied: %w", path, changed.key(), err)
	}
	return nil
}

// modPolicyPath resolves an element's mod_policy to a full policy path: a
// relative one names a policy of the group itself (for a group) or of the
// group the element belongs to (for a value or a policy).
func modPolicyPath(e element) string {
	if strings.HasPrefix(e.modPolicy, "/") {
		return e.modPolicy
	}
	if e.kind == groupElement {
		return e.path + "/" + e.modPolicy
	}
	return e.parent + "/" + e.modPolicy
}

// rebuild assembles the configuration tree of the group at key from the
// elements: each group keeps the children its own element lists.
func rebuild(elements map[string]element, key string) (*common.ConfigGroup, error) {
	e, ok := elements[key]
	if !ok || e.group == nil {
		return nil, fmt.Errorf("missing %s", key)
	}
	group := &common.ConfigGroup{
		Version: e.version, ModPolicy: e.modPolicy,
		Groups:   map[string]*common.ConfigGroup{},
		Values:   map[string]*common.ConfigValue{},
		Policies: map[string]*common.ConfigPolicy{},
	}
	for name := range e.group.GetGroups() {
		child, err := rebuild(elements, groupElement+e.path+"/"+name)
		if err != nil {
			return nil, err
		}
		group.Groups[name] = child
	}
	for name := range e.group.GetValues() {
		v, ok := elements[valueElement+e.path+"/"+name]
		if !ok {
			return nil, fmt.Errorf("missing %s%s/%s", valueElement, e.path, name)
		}
		group.Values[name] = &common.ConfigValue{Version: v.version, ModPolicy: v.modPolicy, Value: v.value.GetValue()}
	}
	for name := range e.group.GetPolicies() {
		p, ok := elements[policyElement+e.path+"/"+name]
		if !ok {
			return nil, fmt.Errorf("missing %s%s/%s", policyElement, e.path, name)
		}
		group.Policies[name] = &common.ConfigPolicy{Version: p.version, ModPolicy: p.modPolicy, Policy: p.policy.GetPolicy()}
	}
	return group, nil
}

// NextConfig is a checked configuration, ready to replace the current one.
type NextConfig struct {
	bundle *bundle
}

// Config is the configuration itself.
func (n *NextConfig) Config() *common.Config { return n.bundle.config }

// CheckConfigEnvelope checks a CONFIG transaction as a committing peer does:
// its last update, validated against the current configuration, produces
// exactly the configuration it carries, at the next sequence, and the
// chaincode definitions compile against it. Apply switches to it once its
// block is committed.
func (c *Channel) CheckConfigEnvelope(configEnvelope *common.ConfigEnvelope) (*NextConfig, error) {
	b := c.current.Load()
	proposed := configEnvelope.GetConfig()
	if proposed == nil {
		return nil, errors.New("config envelope carries no configuration")
	}
	if want := b.config.GetSequence() + 1; proposed.GetSequence() != want {
		return nil, fmt.Errorf("config sequence %d, but the next is %d", proposed.GetSequence(), want)
	}
	update, err := ParseConfigUpdate(configEnvelope.GetLastUpdate())
	if err != nil {
		return nil, fmt.Errorf("last update: %w", err)
	}
	next, err := b.apply(c.name, update)
	if err != nil {
		return nil, fmt.Errorf("last update: %w", err)
	}
	if !proto.Equal(next.GetChannelGroup(), proposed.GetChannelGroup()) {
		return nil, errors.New("the last update does not produce the configuration the envelope carries")
	}
	prepared, err := newBundle(proposed, c.order, c.definitions)
	if err != nil {
		return nil, fmt.Errorf("channel %s: %w", c.name, err)
	}
	return &NextConfig{bundle: prepared}, nil
}

// Apply switches the channel to a checked configuration, as a peer does once
// it committed its block. Checks already running finish on the old one.
func (c *Channel) Apply(next *NextConfig) {
	c.updates.Lock()
	defer c.updates.Unlock()
	c.current.Store(next.bundle)
}

// OrdererWritersPolicy is what the signer of a CONFIG transaction must
// satisfy: the orderer wraps every configuration update.
const OrdererWritersPolicy = "/Channel/Orderer/Writers"

// CheckConfigTransaction checks a CONFIG transaction of a block after the
// genesis block, as a committing peer does: an orderer signed it, and its
// configuration is the one its last update produces (CheckConfigEnvelope).
// apply switches the channel to that configuration; call it once the block
// is committed.
func (c *Channel) CheckConfigTransaction(envelope *common.Envelope) (apply func(), err error) {
	payload := &common.Payload{}
	if err := proto.Unmarshal(envelope.GetPayload(), payload); err != nil {
		return nil, fmt.Errorf("config transaction payload: %w", err)
	}
	signatureHeader := &common.SignatureHeader{}
	if err := proto.Unmarshal(payload.GetHeader().GetSignatureHeader(), signatureHeader); err != nil {
		return nil, fmt.Errorf("config transaction signature header: %w", err)
	}
	signed := []policy.SignedData{{Identity: signatureHeader.GetCreator(), Data: envelope.GetPayload(), Signature: envelope.GetSignature()}}
	if err := c.EvaluatePolicy(OrdererWritersPolicy, signed); err != nil {
		return nil, fmt.Errorf("config transaction not signed by the orderer: %w", err)
	}
	name, _, err := ConfigFromEnvelope(envelope)
	if err != nil {
		return nil, err
	}
	if name != c.name {
		return nil, fmt.Errorf("config transaction for channel %q on channel %q", name, c.name)
	}
	configEnvelope := &common.ConfigEnvelope{}
	if err := proto.Unmarshal(payload.GetData(), configEnvelope); err != nil {
		return nil, fmt.Errorf("config envelope: %w", err)
	}
	next, err := c.CheckConfigEnvelope(configEnvelope)
	if err != nil {
		return nil, err
	}
	return func() { c.Apply(next) }, nil
}
