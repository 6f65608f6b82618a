package channel

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	ab "github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/msp"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
)

// Names of the channel configuration's groups and values, as Fabric's channelconfig names them.
const (
	rootGroup        = "Channel"
	applicationGroup = "Application"
	ordererGroup     = "Orderer"
	mspKey           = "MSP"
	aclsKey          = "ACLs"
	batchSizeKey     = "BatchSize"
	batchTimeoutKey  = "BatchTimeout"
	endpointsKey     = "Endpoints"
	anchorPeersKey   = "AnchorPeers"
)

// Policy paths the dev network evaluates.
const (
	// BlockValidationPolicy is what every block's orderer signatures must satisfy.
	BlockValidationPolicy = "/Channel/Orderer/BlockValidation"
	// ChannelWritersPolicy is what the orderer checks a transaction's creator against.
	ChannelWritersPolicy = "/Channel/Writers"
	// ChannelReadersPolicy is what the orderer checks a Deliver request's signer against.
	ChannelReadersPolicy = "/Channel/Readers"
	// applicationPrefix resolves a relative ACL policy reference, as Fabric does.
	applicationPrefix = "/Channel/Application/"
)

// bundle is one channel configuration (one config sequence) ready for checks.
type bundle struct {
	config      *common.Config
	identities  *msp.Manager
	orgs        []string // application MSP IDs, in the channel's preferred order
	ordererOrgs []string
	policies    map[string]policy.Policy // by full path, /Channel/...
	acls        map[string]string        // resource → policy path
	anchorPeers map[string][]*pb.AnchorPeer
	endpoints   []string
	batchSize   uint32
	batchTime   time.Duration
	definitions map[string]definition
}

// newBundle prepares cfg for checks; order lists MSP IDs in the order the
// channel prefers them (orgs it omits follow, sorted).
func newBundle(cfg *common.Config, order []string, definitions []Definition) (*bundle, error) {
	root := cfg.GetChannelGroup()
	if root == nil {
		return nil, fmt.Errorf("channel configuration has no channel group")
	}
	b := &bundle{config: cfg, policies: map[string]policy.Policy{}, acls: map[string]string{}, anchorPeers: map[string][]*pb.AnchorPeer{}}
	var orgConfigs []msp.OrgConfig
	application, orderer := root.GetGroups()[applicationGroup], root.GetGroups()[ordererGroup]
	if application == nil || orderer == nil {
		return nil, fmt.Errorf("channel configuration needs both an %s and an %s group", applicationGroup, ordererGroup)
	}
	for _, name := range slices.Sorted(maps.Keys(application.GetGroups())) {
		org, err := orgMSPConfig(name, application.GetGroups()[name])
		if err != nil {
			return nil, err
		}
		orgConfigs = append(orgConfigs, org)
		b.orgs = append(b.orgs, org.MSPID)
		anchors := &pb.AnchorPeers{}
		if value := application.GetGroups()[name].GetValues()[anchorPeersKey]; value != nil {
			if err := proto.Unmarshal(value.GetValue(), anchors); err != nil {
				return nil, fmt.Errorf("anchor peers of %s: %w", name, err)
			}
		}
		b.anchorPeers[org.MSPID] = anchors.GetAnchorPeers()
	}
	for _, name := range slices.Sorted(maps.Keys(orderer.GetGroups())) {
		org, err := orgMSPConfig(name, orderer.GetGroups()[name])
		if err != nil {
			return nil, err
		}
		orgConfigs = append(orgConfigs, org)
		b.ordererOrgs = append(b.ordererOrgs, org.MSPID)
		addresses := &common.OrdererAddresses{}
		if value := orderer.GetGroups()[name].GetValues()[endpointsKey]; value != nil {
			if err := proto.Unmarshal(value.GetValue(), addresses); err != nil {
				return nil, fmt.Errorf("endpoints of %s: %w", name, err)
			}
		}
		b.endpoints = append(b.endpoints, addresses.GetAddresses()...)
	}
	b.orgs = preferredOrder(b.orgs, order)
	var err error
	if b.identities, err = msp.NewManager(orgConfigs); err != nil {
		return nil, fmt.Errorf("channel MSPs: %w", err)
	}
	if _, err := b.buildPolicies("/"+rootGroup, root); err != nil {
		return nil, err
	}
	if value := application.GetValues()[aclsKey]; value != nil {
		acls := &pb.ACLs{}
		if err := proto.Unmarshal(value.GetValue(), acls); err != nil {
			return nil, fmt.Errorf("ACLs: %w", err)
		}
		for resource, api := range acls.GetAcls() {
			b.acls[resource] = absolutePolicyPath(api.GetPolicyRef())
		}
	}
	if err := b.readBatch(orderer); err != nil {
		return nil, err
	}
	if b.definitions, err = b.compileDefinitions(definitions); err != nil {
		return nil, err
	}
	return b, nil
}

// orgMSPConfig reads an org group's MSP definition.
func orgMSPConfig(group string, org *common.ConfigGroup) (msp.OrgConfig, error) {
	value := org.GetValues()[mspKey]
	if value == nil {
		return msp.OrgConfig{}, fmt.Errorf("org %s has no MSP", group)
	}
	mspConfig := &mspproto.MSPConfig{}
	if err := proto.Unmarshal(value.GetValue(), mspConfig); err != nil {
		return msp.OrgConfig{}, fmt.Errorf("MSP of %s: %w", group, err)
	}
	if mspConfig.GetType() != 0 {
		return msp.OrgConfig{}, fmt.Errorf("MSP of %s: type %d is not an X.509 (FABRIC) MSP", group, mspConfig.GetType())
	}
	fabric := &mspproto.FabricMSPConfig{}
	if err := proto.Unmarshal(mspConfig.GetConfig(), fabric); err != nil {
		return msp.OrgConfig{}, fmt.Errorf("MSP of %s: %w", group, err)
	}
	config := msp.OrgConfig{MSPID: fabric.GetName(), NodeOUs: fabric.GetFabricNodeOus().GetEnable()}
	for _, data := range fabric.GetRootCerts() {
		cert, err := parsePEMCertificate(data)
		if err != nil {
			return msp.OrgConfig{}, fmt.Errorf("MSP of %s: root certificate: %w", group, err)
		}
		config.RootCerts = append(config.RootCerts, cert)
	}
	return config, nil
}

func parsePEMCertificate(data []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("no PEM certificate")
	}
	return x509.ParseCertificate(block.Bytes)
}

// preferredOrder sorts ids by their place in order; ids order omits follow in
// their given order.
func preferredOrder(ids, order []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range order {
		if slices.Contains(ids, id) {
			out = append(out, id)
		}
	}
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// buildPolicies compiles the policies of group at path and below, sub-groups
// first as implicit meta policies aggregate them. It returns the group's own
// policies by name.
func (b *bundle) buildPolicies(path string, group *common.ConfigGroup) (map[string]policy.Policy, error) {
	children := map[string]map[string]policy.Policy{}
	for _, name := range slices.Sorted(maps.Keys(group.GetGroups())) {
		own, err := b.buildPolicies(path+"/"+name, group.GetGroups()[name])
		if err != nil {
			return nil, err
		}
		children[name] = own
	}
	own := map[string]policy.Policy{}
	// Signature policies first: an implicit meta policy only aggregates sub-groups.
	for _, name := range slices.Sorted(maps.Keys(group.GetPolicies())) {
		compiled, err := b.compilePolicy(path+"/"+name, group.GetPolicies()[name].GetPolicy(), children)
		if err != nil {
			return nil, err
		}
		own[name] = compiled
		b.policies[path+"/"+name] = compiled
	}
	return own, nil
}

func (b *bundle) compilePolicy(path string, p *common.Policy, children map[string]map[string]policy.Policy) (policy.Policy, error) {
	d := deserializer{b.identities}
	switch common.Policy_PolicyType(p.GetType()) {
	case common.Policy_SIGNATURE:
		env := &common.SignaturePolicyEnvelope{}
		if err := proto.Unmarshal(p.GetValue(), env); err != nil {
			return nil, fmt.Errorf("policy %s: %w", path, err)
		}
		compiled, err := policy.NewSignaturePolicy(env, d)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", path, err)
		}
		return compiled, nil
	case common.Policy_IMPLICIT_META:
		meta := &common.ImplicitMetaPolicy{}
		if err := proto.Unmarshal(p.GetValue(), meta); err != nil {
			return nil, fmt.Errorf("policy %s: %w", path, err)
		}
		var subs []policy.Policy
		for _, child := range slices.Sorted(maps.Keys(children)) {
			sub, ok := children[child][meta.GetSubPolicy()]
			if !ok {
				// As Fabric: a missing sub-policy counts, and rejects everything.
				sub = rejectAll(d)
			}
			subs = append(subs, sub)
		}
		name := fmt.Sprintf("%s (%s %s)", path, meta.GetRule(), meta.GetSubPolicy())
		compiled, err := policy.NewImplicitMeta(name, meta.GetRule(), subs, d)
		if err != nil {
			return nil, fmt.Errorf("policy %s: %w", path, err)
		}
		return compiled, nil
	default:
		return nil, fmt.Errorf("policy %s: unsupported policy type %d", path, p.GetType())
	}
}

// rejectAll is a signature policy no signature set satisfies.
func rejectAll(d policy.IdentityDeserializer) policy.Policy {
	p, _ := policy.NewSignaturePolicy(&common.SignaturePolicyEnvelope{
		Rule: &common.SignaturePolicy{Type: &common.SignaturePolicy_NOutOf_{NOutOf: &common.SignaturePolicy_NOutOf{N: 1}}},
	}, d)
	return p
}

func absolutePolicyPath(ref string) string {
	if strings.HasPrefix(ref, "/") {
		return ref
	}
	return applicationPrefix + ref
}

// readBatch reads the orderer's block cutting settings.
func (b *bundle) readBatch(orderer *common.ConfigGroup) error {
	size := &ab.BatchSize{}
	if value := orderer.GetValues()[batchSizeKey]; value != nil {
		if err := proto.Unmarshal(value.GetValue(), size); err != nil {
			return fmt.Errorf("batch size: %w", err)
		}
	}
	b.batchSize = size.GetMaxMessageCount()
	timeout := &ab.BatchTimeout{}
	if value := orderer.GetValues()[batchTimeoutKey]; value != nil {
		if err := proto.Unmarshal(value.GetValue(), timeout); err != nil {
			return fmt.Errorf("batch timeout: %w", err)
		}
	}
	if timeout.GetTimeout() != "" {
		d, err := time.ParseDuration(timeout.GetTimeout())
		if err != nil {
			return fmt.Errorf("batch timeout: %w", err)
		}
		b.batchTime = d
	}
	return nil
}

// compileDefinitions compiles the chaincodes' endorsement policies against
// this configuration: an implicit "MAJORITY Endorsement" counts the
// configuration's application orgs and their Endorsement policies.
func (b *bundle) compileDefinitions(definitions []Definition) (map[string]definition, error) {
	out := make(map[string]definition, len(definitions))
	for _, d := range definitions {
		compiled, err := b.endorsementPolicy(d.Policy)
		if err != nil {
			return nil, fmt.Errorf("chaincode %s endorsement policy: %w", d.Name, err)
		}
		out[d.Name] = definition{Definition: d, policy: compiled}
	}
	return out, nil
}

// endorsementPolicy compiles a chaincode definition's policy as Fabric's
// lifecycle does: a channel policy reference, an implicit meta policy over
// the application orgs' sub-policy, or a signature policy.
func (b *bundle) endorsementPolicy(expr string) (policy.Policy, error) {
	text := strings.TrimSpace(expr)
	if strings.HasPrefix(text, "/") {
		p, ok := b.policies[text]
		if !ok {
			return nil, fmt.Errorf("policy %q: no such channel policy", expr)
		}
		return p, nil
	}
	if fields := strings.Fields(text); len(fields) == 2 {
		rule, ok := common.ImplicitMetaPolicy_Rule_value[strings.ToUpper(fields[0])]
		if ok {
			var subs []policy.Policy
			for _, org := range b.orgs {
				sub, found := b.orgPolicy(org, fields[1])
				if !found {
					sub = rejectAll(deserializer{b.identities})
				}
				subs = append(subs, sub)
			}
			return policy.NewImplicitMeta(strings.ToUpper(fields[0])+" "+fields[1], common.ImplicitMetaPolicy_Rule(rule), subs, deserializer{b.identities})
		}
	}
	return policy.NewFromString(text, b.orgs, deserializer{b.identities})
}

// orgPolicy finds an application org's policy by the org's MSP ID.
func (b *bundle) orgPolicy(mspID, name string) (policy.Policy, bool) {
	for group, org := range b.config.GetChannelGroup().GetGroups()[applicationGroup].GetGroups() {
		config, err := orgMSPConfig(group, org)
		if err == nil && config.MSPID == mspID {
			p, ok := b.policies[applicationPrefix+group+"/"+name]
			return p, ok
		}
	}
	return nil, false
}
