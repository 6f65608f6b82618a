package committer

import (
	"testing"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/channel/channeltest"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// configPeer is a committer on n's channel that committed the genesis block.
type configPeer struct {
	committer *Committer
	channel   *channel.Channel
	ledger    *ledger.Store
}

func newConfigPeer(t *testing.T, n *channeltest.Network, checker bool) *configPeer {
	t.Helper()
	ch, err := channel.FromBlock(n.Genesis, nil, nil)
	require.NoError(t, err)
	store, err := ledger.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	cfg := Config{Channel: channeltest.Name, Ledger: store, Verifier: ch, ChaincodePolicy: ch.ChaincodePolicy, KeyPolicy: ch.KeyPolicy}
	if checker {
		cfg.Configs = ch
	}
	p := &configPeer{committer: New(cfg), channel: ch, ledger: store}
	_, err = p.committer.Commit(n.Genesis)
	require.NoError(t, err)
	return p
}

// nextBlock is the block after the peer's last one, holding envelopes.
func (p *configPeer) nextBlock(t *testing.T, envelopes ...*common.Envelope) *common.Block {
	t.Helper()
	last, err := p.ledger.GetBlock(p.ledger.Height() - 1)
	require.NoError(t, err)
	data := &common.BlockData{}
	for _, e := range envelopes {
		raw, err := proto.Marshal(e)
		require.NoError(t, err)
		data.Data = append(data.Data, raw)
	}
	return &common.Block{Header: &common.BlockHeader{Number: p.ledger.Height(), PreviousHash: ledger.BlockHeaderHash(last.GetHeader()), DataHash: ledger.BlockDataHash(data)}, Data: data}
}

// configTx is the CONFIG transaction of update signed by signer, carrying the
// configuration the update produces on the peer's channel; when the update is
// invalid, the configuration that adds Org3MSP to the current one, as a
// dishonest orderer could write it.
func configTx(t *testing.T, n *channeltest.Network, p *configPeer, update *common.Envelope, signer string) *common.Envelope {
	t.Helper()
	next, err := p.channel.ProposeConfigUpdate(update)
	if err != nil {
		current := p.channel.Config()
		tx := configtx.New(current)
		require.NoError(t, tx.Application().SetOrganization(n.Org3))
		next = tx.UpdatedConfig()
		next.Sequence = current.GetSequence() + 1
	}
	envelope, err := protoutil.NewConfigTransaction(channeltest.Name, &common.ConfigEnvelope{Config: next, LastUpdate: update}, n.NodeSigner(t, signer))
	require.NoError(t, err)
	return envelope
}

func TestCommitConfigTransaction(t *testing.T) {
	n := channeltest.New(t)
	const orderer = "OrdererMSP"
	genesisConfig := func(t *testing.T) *common.Config {
		_, cfg, err := channel.ConfigFromBlock(n.Genesis)
		require.NoError(t, err)
		return cfg
	}
	badSignature := func(t *testing.T) *common.Envelope {
		update := n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP")
		payload := &common.Payload{}
		require.NoError(t, proto.Unmarshal(update.GetPayload(), payload))
		updateEnvelope := &common.ConfigUpdateEnvelope{}
		require.NoError(t, proto.Unmarshal(payload.GetData(), updateEnvelope))
		updateEnvelope.Signatures[1].Signature = updateEnvelope.Signatures[0].Signature
		var err error
		payload.Data, err = proto.Marshal(updateEnvelope)
		require.NoError(t, err)
		update.Payload, err = proto.Marshal(payload)
		require.NoError(t, err)
		return update
	}
	tests := []struct {
		name string
		// checker gives the committer the channel to check config transactions.
		checker bool
		// txs are the block's transactions, for a peer at the genesis block.
		txs  func(t *testing.T, p *configPeer) []*common.Envelope
		want peer.TxValidationCode
	}{
		{"An update signed by a majority of the admins, wrapped by the orderer", true, func(t *testing.T, p *configPeer) []*common.Envelope {
			return []*common.Envelope{configTx(t, n, p, n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP"), orderer)}
		}, peer.TxValidationCode_VALID},
		{"An update signed by too few admins", true, func(t *testing.T, p *configPeer) []*common.Envelope {
			return []*common.Envelope{configTx(t, n, p, n.AddOrg3(t, n.Genesis, "Org1MSP"), orderer)}
		}, peer.TxValidationCode_INVALID_CONFIG_TRANSACTION},
		{"An update with a bad admin signature", true, func(t *testing.T, p *configPeer) []*common.Envelope {
			return []*common.Envelope{configTx(t, n, p, badSignature(t), orderer)}
		}, peer.TxValidationCode_INVALID_CONFIG_TRANSACTION},
		{"A configuration transaction a peer signed", true, func(t *testing.T, p *configPeer) []*common.Envelope {
			return []*common.Envelope{configTx(t, n, p, n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP"), "Org1MSP")}
		}, peer.TxValidationCode_INVALID_CONFIG_TRANSACTION},
		{"An update that changes nothing", true, func(t *testing.T, p *configPeer) []*common.Envelope {
			update := &common.ConfigUpdate{ChannelId: channeltest.Name, ReadSet: &common.ConfigGroup{Version: 0}, WriteSet: &common.ConfigGroup{Version: 0}}
			raw, err := proto.Marshal(update)
			require.NoError(t, err)
			envelope, err := channel.SignedConfigUpdate(raw, []configtx.SigningIdentity{n.Admin(t, "Org1MSP"), n.Admin(t, "Org2MSP")}, n.Admin(t, "Org1MSP"))
			require.NoError(t, err)
			return []*common.Envelope{configTx(t, n, p, envelope, orderer)}
		}, peer.TxValidationCode_INVALID_CONFIG_TRANSACTION},
		{"An update on a stale configuration", true, func(t *testing.T, p *configPeer) []*common.Envelope {
			stale := n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP")
			remove, err := channel.RemoveOrgUpdate(genesisConfig(t), channeltest.Name, "Org2MSP")
			require.NoError(t, err)
			removal, err := channel.SignedConfigUpdate(remove, []configtx.SigningIdentity{n.Admin(t, "Org1MSP"), n.Admin(t, "Org2MSP")}, n.Admin(t, "Org1MSP"))
			require.NoError(t, err)
			next, err := p.channel.ProposeConfigUpdate(removal)
			require.NoError(t, err)
			first, err := protoutil.NewConfigTransaction(channeltest.Name, &common.ConfigEnvelope{Config: next, LastUpdate: removal}, n.NodeSigner(t, orderer))
			require.NoError(t, err)
			codes, err := p.committer.Commit(p.nextBlock(t, first))
			require.NoError(t, err)
			require.Equal(t, []peer.TxValidationCode{peer.TxValidationCode_VALID}, codes)
			require.Equal(t, []string{"Org1MSP"}, p.channel.Orgs())
			return []*common.Envelope{configTx(t, n, p, stale, orderer)}
		}, peer.TxValidationCode_INVALID_CONFIG_TRANSACTION},
		{"A valid update on a peer that cannot check updates", false, func(t *testing.T, p *configPeer) []*common.Envelope {
			return []*common.Envelope{configTx(t, n, p, n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP"), orderer)}
		}, peer.TxValidationCode_INVALID_CONFIG_TRANSACTION},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newConfigPeer(t, n, tt.checker)
			block := p.nextBlock(t, tt.txs(t, p)...)
			orgs, sequence := p.channel.Orgs(), p.channel.Sequence()
			codes, err := p.committer.Commit(block)
			require.NoError(t, err)
			require.Equal(t, []peer.TxValidationCode{tt.want}, codes)
			require.Equal(t, block.GetHeader().GetNumber()+1, p.ledger.Height(), "the block is committed either way")
			if tt.want != peer.TxValidationCode_VALID {
				require.Equal(t, orgs, p.channel.Orgs(), "nothing changed")
				require.Equal(t, sequence, p.channel.Sequence(), "nothing changed")
				return
			}
			require.Equal(t, []string{"Org1MSP", "Org2MSP", "Org3MSP"}, p.channel.Orgs(), "the new org is a member once the block is committed")
			require.Equal(t, sequence+1, p.channel.Sequence())
		})
	}

	t.Run("A valid configuration transaction among others is invalid", func(t *testing.T) {
		p := newConfigPeer(t, n, true)
		config := configTx(t, n, p, n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP"), orderer)
		codes, err := p.committer.Commit(p.nextBlock(t, config, config))
		require.NoError(t, err)
		require.Equal(t, []peer.TxValidationCode{peer.TxValidationCode_INVALID_CONFIG_TRANSACTION, peer.TxValidationCode_INVALID_CONFIG_TRANSACTION}, codes)
		require.Equal(t, []string{"Org1MSP", "Org2MSP"}, p.channel.Orgs(), "nothing changed")
	})
}
