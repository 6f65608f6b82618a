package orderer

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
)

type acceptAll struct{}

func (acceptAll) EvaluatePolicy(string, []policy.SignedData) error { return nil }

func (acceptAll) ProposeConfigUpdate(*common.Envelope) (*common.Config, error) {
	return nil, errors.New("no configuration")
}

type fakeSigner struct{}

func (fakeSigner) Serialize() []byte                   { return []byte("orderer") }
func (fakeSigner) Sign(message []byte) ([]byte, error) { return []byte("signature"), nil }

func envelope(t *testing.T, channel string) *common.Envelope {
	t.Helper()
	header, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_ENDORSER_TRANSACTION), ChannelId: channel})
	require.NoError(t, err)
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: header}})
	require.NoError(t, err)
	return &common.Envelope{Payload: payload, Signature: []byte("sig")}
}

func open(t *testing.T, dir string, size int, timeout time.Duration) *Orderer {
	t.Helper()
	genesis := &common.Block{Header: &common.BlockHeader{}, Data: &common.BlockData{}}
	genesis.Header.DataHash = ledger.BlockDataHash(genesis.Data)
	o, err := Open(Config{Channel: "ch", BatchSize: size, BatchTimeout: timeout, Dir: dir, Signer: fakeSigner{}, Genesis: genesis,
		NewChannel: func(*common.Block) (Channel, error) { return acceptAll{}, nil }})
	require.NoError(t, err)
	return o
}

func TestOrderer(t *testing.T) {
	ctx := context.Background()

	t.Run("Cuts a block when the batch is full, chained to the one before", func(t *testing.T) {
		o := open(t, t.TempDir(), 3, time.Hour)
		defer o.Close()
		for range 3 {
			require.NoError(t, o.Broadcast(ctx, envelope(t, "ch")))
		}
		block, err := o.Block(ctx, 1)
		require.NoError(t, err)
		require.Len(t, block.GetData().GetData(), 3)
		genesis, err := o.Block(ctx, 0)
		require.NoError(t, err)
		require.Equal(t, ledger.BlockHeaderHash(genesis.GetHeader()), block.GetHeader().GetPreviousHash())
		require.Equal(t, ledger.BlockDataHash(block.GetData()), block.GetHeader().GetDataHash())
	})

	t.Run("Cuts a partial block when the batch times out", func(t *testing.T) {
		o := open(t, t.TempDir(), 100, 10*time.Millisecond)
		defer o.Close()
		require.NoError(t, o.Broadcast(ctx, envelope(t, "ch")))
		block, err := o.Block(ctx, 1)
		require.NoError(t, err)
		require.Len(t, block.GetData().GetData(), 1)
	})

	t.Run("Refuses other channels, other types and oversized envelopes", func(t *testing.T) {
		o := open(t, t.TempDir(), 100, time.Hour)
		defer o.Close()
		require.ErrorContains(t, o.Broadcast(ctx, envelope(t, "other")), "NOT_FOUND")
		big := envelope(t, "ch")
		big.Signature = make([]byte, MaxEnvelopeBytes+1)
		require.ErrorContains(t, o.Broadcast(ctx, big), "BAD_REQUEST")
	})

	t.Run("Keeps its chain across a restart", func(t *testing.T) {
		dir := t.TempDir()
		o := open(t, dir, 1, time.Hour)
		require.NoError(t, o.Broadcast(ctx, envelope(t, "ch")))
		_, err := o.Block(ctx, 1)
		require.NoError(t, err)
		require.NoError(t, o.Close())
		o = open(t, dir, 1, time.Hour)
		defer o.Close()
		require.Equal(t, uint64(2), o.Height())
	})

	t.Run("Orders every envelope it accepted, even when closed meanwhile", func(t *testing.T) {
		dir := t.TempDir()
		o := open(t, dir, 7, time.Hour)
		var accepted sync.WaitGroup
		var mu sync.Mutex
		count := 0
		// Close once the senders have had envelopes accepted, while they
		// still send.
		someAccepted := make(chan struct{})
		var once sync.Once
		for range 8 {
			accepted.Add(1)
			go func() {
				defer accepted.Done()
				for range 50 {
					if o.Broadcast(ctx, envelope(t, "ch")) == nil {
						mu.Lock()
						count++
						if count == 8 {
							once.Do(func() { close(someAccepted) })
						}
						mu.Unlock()
					}
				}
			}()
		}
		<-someAccepted
		require.NoError(t, o.Close())
		accepted.Wait()
		require.ErrorIs(t, o.Broadcast(ctx, envelope(t, "ch")), ErrClosed)

		o = open(t, dir, 7, time.Hour)
		defer o.Close()
		ordered := 0
		for number := uint64(1); number < o.Height(); number++ {
			block, err := o.Block(ctx, number)
			require.NoError(t, err)
			ordered += len(block.GetData().GetData())
		}
		require.Equal(t, count, ordered)
	})
}
