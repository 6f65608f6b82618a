package channel

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-config/configtx/membership"
	"github.com/hyperledger/fabric-config/configtx/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/config"
)

// Sizes of blocks, as configtx.yaml sets them (10 MB absolute, 2 MB preferred).
const (
	absoluteMaxBytes  = 10 * 1024 * 1024
	preferredMaxBytes = 2 * 1024 * 1024
)

// OrgCerts are the CA certificates of an organisation's MSP.
type OrgCerts struct {
	// CA signs the org's identities; TLSCA its TLS certificates.
	CA, TLSCA *x509.Certificate
}

// GenesisSpec is what a channel's genesis block is built from.
type GenesisSpec struct {
	Network *config.Network
	// Certs are the CA certificates of every org, the orderer org's included, by MSP ID.
	Certs map[string]OrgCerts
	// OrdererTLS is the orderer's TLS server certificate (its raft consenter certificate).
	OrdererTLS *x509.Certificate
}

// Genesis builds a channel's genesis block with fabric-config, as configtxgen
// builds it from network/fabric's configtx.yaml: the orderer and application
// orgs with their MSPs (NodeOUs), policies and anchor peers, the ACLs, the
// capabilities, the etcdraft consenter and the batch settings.
func Genesis(spec GenesisSpec) (*common.Block, error) {
	n := spec.Network
	ordererCerts, ok := spec.Certs[n.Orderer.MSPID]
	if !ok {
		return nil, fmt.Errorf("genesis: no certificates of %s", n.Orderer.MSPID)
	}
	ordererOrg := configtx.Organization{
		Name:             n.Orderer.MSPID,
		MSP:              orgMSP(n.Orderer.MSPID, ordererCerts),
		Policies:         policies(n.Orderer.OrdererOrgPolicies()),
		OrdererEndpoints: []string{net.JoinHostPort(n.Orderer.Host(), strconv.Itoa(n.Orderer.Port))},
	}
	application := configtx.Application{
		Capabilities: config.ApplicationCapabilities,
		Policies:     policies(config.ApplicationPolicies()),
		ACLs:         config.ACLs(),
	}
	for _, org := range n.Orgs {
		certs, ok := spec.Certs[org.MSPID]
		if !ok {
			return nil, fmt.Errorf("genesis: no certificates of %s", org.MSPID)
		}
		application.Organizations = append(application.Organizations, Organization(org, certs))
	}
	channel := configtx.Channel{
		Capabilities: config.ChannelCapabilities,
		Policies:     policies(config.ChannelPolicies()),
		Application:  application,
		Orderer: configtx.Orderer{
			OrdererType:  orderer.ConsensusTypeEtcdRaft,
			BatchTimeout: time.Duration(n.Orderer.BatchTimeout),
			BatchSize: orderer.BatchSize{
				MaxMessageCount:   uint32(n.Orderer.BatchSize),
				AbsoluteMaxBytes:  absoluteMaxBytes,
				PreferredMaxBytes: preferredMaxBytes,
			},
			EtcdRaft: orderer.EtcdRaft{
				Consenters: []orderer.Consenter{{
					Address:       orderer.EtcdAddress{Host: n.Orderer.Host(), Port: n.Orderer.Port},
					ClientTLSCert: spec.OrdererTLS,
					ServerTLSCert: spec.OrdererTLS,
				}},
				Options: orderer.EtcdRaftOptions{
					TickInterval: "500ms", ElectionTick: 10, HeartbeatTick: 1,
					MaxInflightBlocks: 5, SnapshotIntervalSize: 16 * 1024 * 1024,
				},
			},
			Organizations: []configtx.Organization{ordererOrg},
			Capabilities:  config.OrdererCapabilities,
			Policies:      policies(config.OrdererPolicies()),
			State:         orderer.ConsensusStateNormal,
		},
	}
	block, err := configtx.NewApplicationChannelGenesisBlock(channel, n.Channel)
	if err != nil {
		return nil, fmt.Errorf("genesis block of channel %s: %w", n.Channel, err)
	}
	if err := addAnchorPeers(block, application.Organizations); err != nil {
		return nil, fmt.Errorf("genesis block of channel %s: %w", n.Channel, err)
	}
	return block, nil
}

// addAnchorPeers writes the application orgs' anchor peers into a genesis
// block, as configtxgen does (fabric-config's genesis leaves them out).
func addAnchorPeers(block *common.Block, orgs []configtx.Organization) error {
	envelope := &common.Envelope{}
	if err := proto.Unmarshal(block.GetData().GetData()[0], envelope); err != nil {
		return fmt.Errorf("unmarshal envelope: %w", err)
	}
	payload := &common.Payload{}
	if err := proto.Unmarshal(envelope.GetPayload(), payload); err != nil {
		return fmt.Errorf("unmarshal payload: %w", err)
	}
	configEnvelope := &common.ConfigEnvelope{}
	if err := proto.Unmarshal(payload.GetData(), configEnvelope); err != nil {
		return fmt.Errorf("unmarshal config envelope: %w", err)
	}
	tx := configtx.New(configEnvelope.GetConfig())
	for _, org := range orgs {
		for _, anchor := range org.AnchorPeers {
			if err := tx.Application().Organization(org.Name).AddAnchorPeer(anchor); err != nil {
				return fmt.Errorf("anchor peer of %s: %w", org.Name, err)
			}
		}
	}
	var err error
	configEnvelope.Config = tx.UpdatedConfig()
	if payload.Data, err = proto.Marshal(configEnvelope); err != nil {
		return fmt.Errorf("marshal config envelope: %w", err)
	}
	if envelope.Payload, err = proto.Marshal(payload); err != nil {
		return fmt.Errorf("marshal payload: %w", err)
	}
	if block.Data.Data[0], err = proto.Marshal(envelope); err != nil {
		return fmt.Errorf("marshal envelope: %w", err)
	}
	sum := sha256.Sum256(bytes.Join(block.GetData().GetData(), nil))
	block.Header.DataHash = sum[:]
	return nil
}

// Organization is an application org's group as the channel configuration
// holds it: its MSP, its policies and its anchor peer.
func Organization(org config.Org, certs OrgCerts) configtx.Organization {
	return configtx.Organization{
		Name:        org.MSPID,
		MSP:         orgMSP(org.MSPID, certs),
		Policies:    policies(org.OrgPolicies()),
		AnchorPeers: []configtx.Address{{Host: org.PeerHost(), Port: org.PeerPort}},
	}
}

// orgMSP is an org's MSP definition with NodeOUs, as the test network's
// config.yaml enables them.
func orgMSP(mspID string, certs OrgCerts) configtx.MSP {
	ou := func(name string) membership.OUIdentifier {
		return membership.OUIdentifier{Certificate: certs.CA, OrganizationalUnitIdentifier: name}
	}
	return configtx.MSP{
		Name:         mspID,
		RootCerts:    []*x509.Certificate{certs.CA},
		TLSRootCerts: []*x509.Certificate{certs.TLSCA},
		CryptoConfig: membership.CryptoConfig{SignatureHashFamily: "SHA2", IdentityIdentifierHashFunction: "SHA256"},
		NodeOUs: membership.NodeOUs{
			Enable:              true,
			ClientOUIdentifier:  ou("client"),
			PeerOUIdentifier:    ou("peer"),
			AdminOUIdentifier:   ou("admin"),
			OrdererOUIdentifier: ou("orderer"),
		},
	}
}

// policies converts the network description's policies to fabric-config's,
// each modifiable by its group's Admins (configtxgen's default).
func policies(in map[string]config.Policy) map[string]configtx.Policy {
	out := make(map[string]configtx.Policy, len(in))
	for name, p := range in {
		out[name] = configtx.Policy{Type: p.Type, Rule: p.Rule, ModPolicy: configtx.AdminsPolicyKey}
	}
	return out
}
