package peer

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

var errInjected = errors.New("injected failure")

// blockSource hands out its blocks, then fails with err if set, else waits.
type blockSource struct {
	blocks []*common.Block
	err    error
}

func (s *blockSource) Block(ctx context.Context, number uint64) (*common.Block, error) {
	if number < uint64(len(s.blocks)) {
		return proto.Clone(s.blocks[number]).(*common.Block), nil
	}
	if s.err != nil {
		return nil, s.err
	}
	<-ctx.Done()
	return nil, ctx.Err()
}

func (s *blockSource) Height() uint64 { return uint64(len(s.blocks)) }

type nodeSigner struct{}

func (nodeSigner) Serialize() []byte                   { return []byte("peer") }
func (nodeSigner) Sign(message []byte) ([]byte, error) { return []byte("signature"), nil }

// genesis is a block 0 holding one CONFIG envelope.
func genesis(t *testing.T) *common.Block {
	t.Helper()
	header, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG), ChannelId: "ch"})
	require.NoError(t, err)
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: header}})
	require.NoError(t, err)
	envelope, err := proto.Marshal(&common.Envelope{Payload: payload})
	require.NoError(t, err)
	data := &common.BlockData{Data: [][]byte{envelope}}
	return &common.Block{Header: &common.BlockHeader{DataHash: ledger.BlockDataHash(data)}, Data: data}
}

// startPeer starts a peer of an org-less channel on blocks.
func startPeer(t *testing.T, blocks BlockSource, options ...ledger.Option) *Peer {
	t.Helper()
	ch, err := channel.New("ch", nil, nil)
	require.NoError(t, err)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p, err := New(Config{
		MSPID: "Org1MSP", Listener: listener, Address: "peer0.org1", LedgerDir: t.TempDir(),
		Signer: nodeSigner{}, Channel: ch, Blocks: blocks, LedgerOptions: options,
	})
	require.NoError(t, err)
	p.Start([]*Peer{p})
	t.Cleanup(func() { require.NoError(t, p.Close()) })
	return p
}

func TestPeerFailure(t *testing.T) {
	tests := []struct {
		name    string
		blocks  *blockSource
		options []ledger.Option
	}{
		{"A block source that breaks", &blockSource{blocks: []*common.Block{genesis(t)}, err: errInjected}, nil},
		{"A ledger that cannot write a block", &blockSource{blocks: []*common.Block{genesis(t)}}, []ledger.Option{
			ledger.WithFault(func(op ledger.Op) error {
				if op == ledger.OpWriteBlock {
					return errInjected
				}
				return nil
			}),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" stops the peer, which endorses nothing more", func(t *testing.T) {
			p := startPeer(t, tt.blocks, tt.options...)
			<-p.Done() // the deliver loop fails at once; the test's deadline bounds the wait
			require.ErrorIs(t, p.Err(), errInjected)
			require.ErrorContains(t, p.Err(), "peer0.org1")

			_, err := endorserService{p}.ProcessProposal(context.Background(), &pb.SignedProposal{})
			require.Equal(t, codes.Unavailable, status.Code(err))
			_, err = caughtUpEndorser{peer: p, height: tt.blocks.Height}.ProcessProposal(context.Background(), &pb.SignedProposal{})
			require.Equal(t, codes.Unavailable, status.Code(err))
			require.ErrorIs(t, p.WaitForHeight(context.Background(), 5), errInjected, "waiters learn the peer stopped")
		})
	}

	t.Run("A running peer has no error and commits what it receives", func(t *testing.T) {
		p := startPeer(t, &blockSource{blocks: []*common.Block{genesis(t)}})
		require.NoError(t, p.WaitForHeight(context.Background(), 0))
		require.NoError(t, p.Err())
		select {
		case <-p.Done():
			require.FailNow(t, "Done closed on a running peer")
		default:
		}
	})
}

func TestPosition(t *testing.T) {
	specified := func(n uint64) *orderer.SeekPosition {
		return &orderer.SeekPosition{Type: &orderer.SeekPosition_Specified{Specified: &orderer.SeekSpecified{Number: n}}}
	}
	tests := []struct {
		name   string
		seek   *orderer.SeekPosition
		height uint64
		want   uint64
		ok     bool
	}{
		{"Oldest is block 0", &orderer.SeekPosition{Type: &orderer.SeekPosition_Oldest{Oldest: &orderer.SeekOldest{}}}, 5, 0, true},
		{"Newest is the last block", &orderer.SeekPosition{Type: &orderer.SeekPosition_Newest{Newest: &orderer.SeekNewest{}}}, 5, 4, true},
		{"Newest of an empty ledger is block 0", &orderer.SeekPosition{Type: &orderer.SeekPosition_Newest{Newest: &orderer.SeekNewest{}}}, 0, 0, true},
		{"Next commit is the height", &orderer.SeekPosition{Type: &orderer.SeekPosition_NextCommit{NextCommit: &orderer.SeekNextCommit{}}}, 5, 5, true},
		{"Specified is the number given", specified(9), 5, 9, true},
		{"No position is refused", &orderer.SeekPosition{}, 5, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := position(tt.seek, tt.height)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestFilterBlock(t *testing.T) {
	block := genesis(t)
	block.Header.Number = 3
	block.Data.Data = append(block.Data.Data, []byte{0xff, 0xff}) // not an envelope: left out
	block.Metadata = &common.BlockMetadata{Metadata: [][]byte{{}, {}, {byte(pb.TxValidationCode_VALID)}}}
	filtered := filterBlock("ch", block)
	require.Equal(t, "ch", filtered.GetChannelId())
	require.EqualValues(t, 3, filtered.GetNumber())
	require.Len(t, filtered.GetFilteredTransactions(), 1)
	tx := filtered.GetFilteredTransactions()[0]
	require.Equal(t, common.HeaderType_CONFIG, tx.GetType())
	require.Equal(t, pb.TxValidationCode_VALID, tx.GetTxValidationCode())
	require.Nil(t, tx.GetTransactionActions(), "a configuration transaction has no chaincode actions")
}
