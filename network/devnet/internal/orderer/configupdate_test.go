package orderer

import (
	"context"
	"testing"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/channel/channeltest"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// openOn opens an orderer of n's channel on dir.
func openOn(t *testing.T, n *channeltest.Network, dir string) *Orderer {
	t.Helper()
	o, err := Open(Config{Channel: channeltest.Name, BatchSize: 10, BatchTimeout: time.Hour, Dir: dir, Signer: n.NodeSigner(t, "OrdererMSP"), Genesis: n.Genesis,
		NewChannel: func(block *common.Block) (Channel, error) { return channel.FromBlock(block, nil, nil) }})
	require.NoError(t, err)
	return o
}

func TestOrdererConfigUpdate(t *testing.T) {
	ctx := context.Background()
	n := channeltest.New(t)

	t.Run("Orders a valid update as a CONFIG transaction in a block of its own, named by later blocks", func(t *testing.T) {
		dir := t.TempDir()
		o := openOn(t, n, dir)
		client := n.Admin(t, "Org1MSP")
		pending := signedEnvelope(t, client)
		require.NoError(t, o.Broadcast(ctx, pending))
		require.NoError(t, o.Broadcast(ctx, n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP")))
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
		o = openOn(t, n, dir)
		defer o.Close()
		last, err := o.Block(ctx, o.Height()-1)
		require.NoError(t, err)
		index, err = protoutil.LastConfigIndex(last)
		require.NoError(t, err)
		require.Equal(t, uint64(3), last.GetHeader().GetNumber())
		require.Equal(t, uint64(2), index, "later blocks name the config block")
		require.NoError(t, o.Broadcast(ctx, signedEnvelope(t, n.Admin(t, "Org3MSP"))), "after a restart, Org3MSP is a channel writer")
	})

	tests := []struct {
		name    string
		update  func(t *testing.T, o *Orderer) *common.Envelope
		wantErr string
	}{
		{"Refuses an update signed by too few admins", func(t *testing.T, _ *Orderer) *common.Envelope {
			return n.AddOrg3(t, n.Genesis, "Org1MSP")
		}, "/Channel/Application/Admins"},
		{"Refuses an update on a stale configuration", func(t *testing.T, o *Orderer) *common.Envelope {
			stale := n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP")
			require.NoError(t, o.Broadcast(ctx, n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP")))
			_, err := o.Block(ctx, 1)
			require.NoError(t, err)
			return stale
		}, "stale read set"},
		{"Refuses an update whose submitter is not a channel writer", func(t *testing.T, _ *Orderer) *common.Envelope {
			envelope := n.AddOrg3(t, n.Genesis, "Org1MSP", "Org2MSP")
			outsider := n.Admin(t, "Org3MSP")
			require.NoError(t, outsider.SignEnvelope(envelope))
			return envelope
		}, "FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := openOn(t, n, t.TempDir())
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
