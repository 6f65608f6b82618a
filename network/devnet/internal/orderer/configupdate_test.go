package orderer

import (
	"context"
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// configNetwork is a channel of Org1MSP and Org2MSP, with Org3MSP's material
// for an org to add.
type configNetwork struct {
	material *crypto.Material
	genesis  *common.Block
	org3     configtx.Organization
}

func newConfigNetwork(t *testing.T) *configNetwork {
	t.Helper()
	material, err := crypto.Generate(t.TempDir(), []crypto.OrgSpec{
		{MSPID: "OrdererMSP", Domain: "example.com", Orderer: true},
		{MSPID: "Org1MSP", Domain: "org1.example.com"},
		{MSPID: "Org2MSP", Domain: "org2.example.com"},
		{MSPID: "Org3MSP", Domain: "org3.example.com"},
	})
	require.NoError(t, err)
	network, err := config.Parse([]byte(`
channel: ch
orderer: {mspId: OrdererMSP, domain: example.com, port: 7050}
orgs:
  - {mspId: Org1MSP, domain: org1.example.com, peerPort: 7051}
  - {mspId: Org2MSP, domain: org2.example.com, peerPort: 9051}
chaincodes:
  - {name: cc, address: "127.0.0.1:9999"}
`))
	require.NoError(t, err)
	certs := map[string]channel.OrgCerts{}
	for _, org := range material.Orgs {
		certs[org.MSPID] = channel.OrgCerts{CA: org.CACert, TLSCA: org.TLSCACert}
	}
	ordererOrg := mustOrg(t, material, "OrdererMSP")
	genesis, err := channel.Genesis(channel.GenesisSpec{Network: network, Certs: certs, OrdererTLS: ordererOrg.Node.TLSCert.Leaf})
	require.NoError(t, err)
	org3 := channel.Organization(config.Org{MSPID: "Org3MSP", Domain: "org3.example.com", PeerPort: 11051}, certs["Org3MSP"])
	return &configNetwork{material: material, genesis: genesis, org3: org3}
}

func mustOrg(t *testing.T, material *crypto.Material, mspID string) *crypto.Org {
	t.Helper()
	org, err := material.Org(mspID)
	require.NoError(t, err)
	return org
}

func (n *configNetwork) open(t *testing.T, dir string) *Orderer {
	t.Helper()
	signer, err := mustOrg(t, n.material, "OrdererMSP").NodeSigner()
	require.NoError(t, err)
	o, err := Open(Config{Channel: "ch", BatchSize: 10, BatchTimeout: time.Hour, Dir: dir, Signer: signer, Genesis: n.genesis,
		NewChannel: func(block *common.Block) (Channel, error) { return channel.FromBlock(block, nil, nil) }})
	require.NoError(t, err)
	return o
}

func (n *configNetwork) admin(t *testing.T, mspID string) configtx.SigningIdentity {
	t.Helper()
	user, err := mustOrg(t, n.material, mspID).User(crypto.AdminUser)
	require.NoError(t, err)
	return configtx.SigningIdentity{Certificate: user.Cert, PrivateKey: user.Key, MSPID: mspID}
}

// addOrg3 is the update adding Org3MSP to the configuration of block, signed
// by the admins of signers.
func (n *configNetwork) addOrg3(t *testing.T, block *common.Block, signers ...string) *common.Envelope {
	t.Helper()
	_, current, err := channel.ConfigFromBlock(block)
	require.NoError(t, err)
	update, err := channel.AddOrgUpdate(current, "ch", n.org3)
	require.NoError(t, err)
	var admins []configtx.SigningIdentity
	for _, id := range signers {
		admins = append(admins, n.admin(t, id))
	}
	envelope, err := channel.SignedConfigUpdate(update, admins, n.admin(t, "Org1MSP"))
	require.NoError(t, err)
	return envelope
}

func TestOrdererConfigUpdate(t *testing.T) {
	ctx := context.Background()
	n := newConfigNetwork(t)

	t.Run("Orders a valid update as a CONFIG transaction in a block of its own, named by later blocks", func(t *testing.T) {
		dir := t.TempDir()
		o := n.open(t, dir)
		client := n.admin(t, "Org1MSP")
		pending := signedEnvelope(t, client)
		require.NoError(t, o.Broadcast(ctx, pending))
		require.NoError(t, o.Broadcast(ctx, n.addOrg3(t, n.genesis, "Org1MSP", "Org2MSP")))
		first, err := o.Block(ctx, 1)
		require.NoError(t, err)
		require.Len(t, first.GetData().GetData(), 1, "the pending transaction is cut first")
		configBlock, err := o.Block(ctx, 2)
		require.NoError(t, err)
		name, cfg, err := channel.ConfigFromBlock(configBlock)
		require.NoError(t, err)
		require.Equal(t, "ch", name)
		require.Equal(t, uint64(1), cfg.GetSequence())
		require.Contains(t, cfg.GetChannelGroup().GetGroups()["Application"].GetGroups(), "Org3MSP")
		index, err := protoutil.LastConfigIndex(configBlock)
		require.NoError(t, err)
		require.Equal(t, uint64(2), index, "a config block is its own last config")

		require.NoError(t, o.Broadcast(ctx, signedEnvelope(t, client)))
		require.NoError(t, o.Close())
		o = n.open(t, dir)
		defer o.Close()
		last, err := o.Block(ctx, o.Height()-1)
		require.NoError(t, err)
		index, err = protoutil.LastConfigIndex(last)
		require.NoError(t, err)
		require.Equal(t, uint64(3), last.GetHeader().GetNumber())
		require.Equal(t, uint64(2), index, "later blocks name the config block")
		require.NoError(t, o.Broadcast(ctx, signedEnvelope(t, n.admin(t, "Org3MSP"))), "after a restart, Org3MSP is a channel writer")
	})

	tests := []struct {
		name    string
		update  func(t *testing.T, o *Orderer) *common.Envelope
		wantErr string
	}{
		{"Refuses an update signed by too few admins", func(t *testing.T, _ *Orderer) *common.Envelope {
			return n.addOrg3(t, n.genesis, "Org1MSP")
		}, "/Channel/Application/Admins"},
		{"Refuses an update on a stale configuration", func(t *testing.T, o *Orderer) *common.Envelope {
			stale := n.addOrg3(t, n.genesis, "Org1MSP", "Org2MSP")
			require.NoError(t, o.Broadcast(ctx, n.addOrg3(t, n.genesis, "Org1MSP", "Org2MSP")))
			_, err := o.Block(ctx, 1)
			require.NoError(t, err)
			return stale
		}, "stale read set"},
		{"Refuses an update whose submitter is not a channel writer", func(t *testing.T, _ *Orderer) *common.Envelope {
			envelope := n.addOrg3(t, n.genesis, "Org1MSP", "Org2MSP")
			outsider := n.admin(t, "Org3MSP")
			require.NoError(t, outsider.SignEnvelope(envelope))
			return envelope
		}, "FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := n.open(t, t.TempDir())
			defer o.Close()
			update := tt.update(t, o)
			height := o.Height()
			require.ErrorContains(t, o.Broadcast(ctx, update), tt.wantErr)
			require.NoError(t, o.Close())
			require.Equal(t, height, o.Height(), "nothing was ordered")
		})
	}
}

// signedEnvelope is an endorser transaction envelope signed by a channel writer.
func signedEnvelope(t *testing.T, signer configtx.SigningIdentity) *common.Envelope {
	t.Helper()
	e := envelope(t, "ch")
	require.NoError(t, (&signer).SignEnvelope(e))
	return e
}
