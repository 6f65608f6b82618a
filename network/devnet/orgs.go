package devnet

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
	"github.com/scfledger/warrants/network/devnet/internal/peer"
	"github.com/scfledger/warrants/network/devnet/internal/privdata"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// OrgUpdate is a channel configuration update that added or removed an org.
type OrgUpdate struct {
	// MSPID is the org added or removed.
	MSPID string
	// Block is the number of the config block that carries the update.
	Block uint64
	// Signers are the orgs whose admins signed the update, of Members
	// application orgs before it.
	Signers []string
	Members int
}

// ErrNotMember is returned by RemoveOrg for an org that is not on the channel,
// and by AddOrg when a signer is not a member.
var ErrNotMember = errors.New("not a member of the channel")

// AddOrg adds an org to the running network, as scripts/network.sh native
// addOrg does on real Fabric (fabric-samples' addOrg3): it generates the
// org's crypto material with the network's generator, fetches the channel's
// last config block from the orderer, computes the config update that adds
// the org (fabric-config, as configtxlator compute_update), has it signed by
// the admins of signers (default: a majority of the current members, in the
// network's order, as /Channel/Application/Admins is MAJORITY Admins),
// submits it to the orderer, and waits until every peer committed the config
// block. Then it starts the org's peer, with its own chaincode processes: the
// peer joins with the genesis block and catches up from the orderer's blocks.
// AddOrg returns once the new peer has caught up and its chaincodes are
// connected. An update the orderer refuses (too few admins) changes nothing.
//
// AddOrg, RemoveOrg and Close must not run at the same time, nor with
// Connect, Dial or Profile; transactions may run meanwhile.
func (n *Network) AddOrg(ctx context.Context, org config.Org, signers ...string) (*OrgUpdate, error) {
	next := *n.config
	next.Orgs = append(slices.Clone(n.config.Orgs), org)
	if err := next.Validate(); err != nil {
		return nil, fmt.Errorf("add org %s: %w", org.MSPID, err)
	}
	material, err := crypto.Generate(n.dir, crypto.SpecsOf(&next))
	if err != nil {
		return nil, fmt.Errorf("add org %s: crypto material: %w", org.MSPID, err)
	}
	orgMaterial, err := material.Org(org.MSPID)
	if err != nil {
		return nil, err
	}
	current, err := n.channelConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("add org %s: %w", org.MSPID, err)
	}
	definition := channel.Organization(org, channel.OrgCerts{CA: orgMaterial.CACert, TLSCA: orgMaterial.TLSCACert})
	update, err := channel.AddOrgUpdate(current, n.config.Channel, definition)
	if err != nil {
		return nil, err
	}
	result, err := n.submitConfigUpdate(ctx, current, update, signers)
	if err != nil {
		return nil, fmt.Errorf("add org %s: %w", org.MSPID, err)
	}
	result.MSPID = org.MSPID

	n.members.Lock()
	n.config, n.material = &next, material
	transient := privdata.NewTransientStore()
	p, err := n.newPeer(org, transient)
	if err != nil {
		n.members.Unlock()
		return nil, fmt.Errorf("add org %s: the channel has it, but its peer did not start: %w", org.MSPID, err)
	}
	if err := n.shared.collections.AddOrg(org.MSPID); err != nil {
		n.members.Unlock()
		return nil, fmt.Errorf("add org %s: %w", org.MSPID, err)
	}
	n.shared.distributor.AddOrg(org.MSPID, transient)
	n.peers = append(n.peers, p)
	peers := slices.Clone(n.peers)
	supervisor := n.supervisors[len(n.supervisors)-1]
	n.members.Unlock()

	p.Start(peers)
	for _, other := range peers[:len(peers)-1] {
		other.SetPeers(peers)
	}
	n.watchFailure(p.Done(), p.Err)
	if err := p.WaitForHeight(ctx, n.orderer.Height()-1); err != nil {
		return nil, fmt.Errorf("add org %s: its peer did not catch up with the orderer: %w", org.MSPID, err)
	}
	for _, cc := range n.config.Chaincodes {
		if _, err := supervisor.Connection(ctx, cc.Name); err != nil {
			return nil, fmt.Errorf("add org %s: %w", org.MSPID, err)
		}
	}
	if err := n.writeProfiles(); err != nil {
		return nil, err
	}
	if err := n.writeEnvFiles(); err != nil {
		return nil, err
	}
	return result, nil
}

// RemoveOrg removes an org from the running network's channel by a config
// update signed by the admins of signers (default: a majority of the current
// members, the leaving org counted), as scripts/network.sh native removeOrg
// does on real Fabric. Once every peer committed the config block, the org's
// identities are no longer members: its peer's endorsements no longer count
// towards any policy, and its clients can no longer submit. Its peer leaves
// the other peers' gateways and stops (its ledger stays in the network's
// directory). An update the orderer refuses changes nothing.
func (n *Network) RemoveOrg(ctx context.Context, mspID string, signers ...string) (*OrgUpdate, error) {
	if _, err := n.config.Org(mspID); err != nil {
		return nil, fmt.Errorf("remove org %s: %w", mspID, ErrNotMember)
	}
	current, err := n.channelConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("remove org %s: %w", mspID, err)
	}
	update, err := channel.RemoveOrgUpdate(current, n.config.Channel, mspID)
	if err != nil {
		return nil, err
	}
	result, err := n.submitConfigUpdate(ctx, current, update, signers)
	if err != nil {
		return nil, fmt.Errorf("remove org %s: %w", mspID, err)
	}
	result.MSPID = mspID

	n.members.Lock()
	next := *n.config
	next.Orgs = slices.DeleteFunc(slices.Clone(n.config.Orgs), func(org config.Org) bool { return org.MSPID == mspID })
	n.config = &next
	var removed *peer.Peer
	for i, p := range n.peers {
		if p.MSPID() == mspID {
			removed = p
			supervisor := n.supervisors[i]
			n.peers = slices.Delete(slices.Clone(n.peers), i, i+1)
			n.supervisors = slices.Delete(slices.Clone(n.supervisors), i, i+1)
			defer func() { _ = supervisor.Close() }()
			break
		}
	}
	delete(n.addresses, mspID)
	peers := slices.Clone(n.peers)
	n.members.Unlock()

	for _, p := range peers {
		p.SetPeers(peers)
	}
	if removed != nil {
		if err := removed.Close(); err != nil {
			return nil, fmt.Errorf("remove org %s: stop its peer: %w", mspID, err)
		}
	}
	return result, nil
}

// channelConfig is the configuration of the orderer's last config block.
func (n *Network) channelConfig(ctx context.Context) (*common.Config, error) {
	block, err := n.orderer.ConfigBlock(ctx)
	if err != nil {
		return nil, fmt.Errorf("fetch the last config block: %w", err)
	}
	_, cfg, err := channel.ConfigFromBlock(block)
	return cfg, err
}

// submitConfigUpdate has the admins of signers (default: a majority of the
// current members) sign a config update, submits it to the orderer as the
// first signer's admin, and waits until every peer committed its config
// block.
func (n *Network) submitConfigUpdate(ctx context.Context, current *common.Config, update []byte, signers []string) (*OrgUpdate, error) {
	members := n.config.MSPIDs()
	if len(signers) == 0 {
		signers = members[:len(members)/2+1]
	}
	identities := make([]configtx.SigningIdentity, len(signers))
	for i, mspID := range signers {
		if !slices.Contains(members, mspID) {
			return nil, fmt.Errorf("signer %s: %w", mspID, ErrNotMember)
		}
		org, err := n.material.Org(mspID)
		if err != nil {
			return nil, err
		}
		admin, err := org.User(crypto.AdminUser)
		if err != nil {
			return nil, err
		}
		identities[i] = configtx.SigningIdentity{Certificate: admin.Cert, PrivateKey: admin.Key, MSPID: mspID}
	}
	envelope, err := channel.SignedConfigUpdate(update, identities, identities[0])
	if err != nil {
		return nil, err
	}
	from := n.orderer.Height()
	if err := n.orderer.Broadcast(ctx, envelope); err != nil {
		return nil, fmt.Errorf("the orderer refused the config update: %w", err)
	}
	number, next, err := n.waitForConfig(ctx, from, current.GetSequence()+1)
	if err != nil {
		return nil, err
	}
	if err := n.shared.members.Update(next); err != nil {
		return nil, err
	}
	for _, p := range n.peerList() {
		if err := p.WaitForHeight(ctx, number); err != nil {
			return nil, fmt.Errorf("peer %s did not commit config block %d: %w", p.Address(), number, err)
		}
	}
	return &OrgUpdate{Block: number, Signers: slices.Clone(signers), Members: len(members)}, nil
}

// waitForConfig returns the number and configuration of the first config
// block from block from on that carries configuration sequence.
func (n *Network) waitForConfig(ctx context.Context, from, sequence uint64) (uint64, *common.Config, error) {
	for number := from; ; number++ {
		block, err := n.orderer.Block(ctx, number)
		if err != nil {
			return 0, nil, fmt.Errorf("wait for the config block: %w", err)
		}
		if index, err := protoutil.LastConfigIndex(block); err != nil || index != number {
			continue
		}
		if _, cfg, err := channel.ConfigFromBlock(block); err == nil && cfg.GetSequence() == sequence {
			return number, cfg, nil
		}
	}
}

// ChannelMembers are the MSP IDs of the channel's application orgs in the
// orderer's current configuration, sorted.
func (n *Network) ChannelMembers(ctx context.Context) ([]string, error) {
	cfg, err := n.channelConfig(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(cfg.GetChannelGroup().GetGroups()["Application"].GetGroups())), nil
}
