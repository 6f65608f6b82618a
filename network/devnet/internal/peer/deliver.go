package peer

import (
	"context"
	"errors"
	"math"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// deliverService serves Fabric's Deliver service from a peer's ledger: full
// blocks, filtered blocks, and blocks with the private data the requester may read,
// each request a signed SeekInfo envelope checked against the channel.
type deliverService struct {
	peer *Peer
}

// blockSender sends one block in the form a Deliver variant streams, for the
// request in envelope.
type blockSender func(stream grpc.BidiStreamingServer[common.Envelope, pb.DeliverResponse], envelope *common.Envelope, block *common.Block) error

func (s deliverService) Deliver(stream grpc.BidiStreamingServer[common.Envelope, pb.DeliverResponse]) error {
	return s.serve(stream, func(stream grpc.BidiStreamingServer[common.Envelope, pb.DeliverResponse], _ *common.Envelope, block *common.Block) error {
		return stream.Send(&pb.DeliverResponse{Type: &pb.DeliverResponse_Block{Block: block}})
	})
}

// DeliverWithPrivateData sends each block with the private data this peer
// stores for it, of the collections whose member policy the requester
// satisfies, as Fabric's peer does.
func (s deliverService) DeliverWithPrivateData(stream grpc.BidiStreamingServer[common.Envelope, pb.DeliverResponse]) error {
	return s.serve(stream, func(stream grpc.BidiStreamingServer[common.Envelope, pb.DeliverResponse], envelope *common.Envelope, block *common.Block) error {
		private, err := s.peer.privateDataFor(envelope, block.GetHeader().GetNumber())
		if err != nil {
			return err
		}
		return stream.Send(&pb.DeliverResponse{Type: &pb.DeliverResponse_BlockAndPrivateData{
			BlockAndPrivateData: &pb.BlockAndPrivateData{Block: block, PrivateDataMap: private},
		}})
	})
}

func (s deliverService) DeliverFiltered(stream grpc.BidiStreamingServer[common.Envelope, pb.DeliverResponse]) error {
	channel := s.peer.cfg.Channel.Name()
	return s.serve(stream, func(stream grpc.BidiStreamingServer[common.Envelope, pb.DeliverResponse], _ *common.Envelope, block *common.Block) error {
		return stream.Send(&pb.DeliverResponse{Type: &pb.DeliverResponse_FilteredBlock{FilteredBlock: filterBlock(channel, block)}})
	})
}

// serve answers each seek request on the stream until the client closes it.
func (s deliverService) serve(stream grpc.BidiStreamingServer[common.Envelope, pb.DeliverResponse], send blockSender) error {
	for {
		envelope, err := stream.Recv()
		if err != nil {
			return nil // the client closed the stream
		}
		status, err := s.seek(stream.Context(), stream, envelope, send)
		if err != nil {
			return err
		}
		if err := stream.Send(&pb.DeliverResponse{Type: &pb.DeliverResponse_Status{Status: status}}); err != nil {
			return err
		}
	}
}

// seek streams the blocks a SeekInfo envelope asks for and returns the final status.
func (s deliverService) seek(ctx context.Context, stream grpc.BidiStreamingServer[common.Envelope, pb.DeliverResponse], envelope *common.Envelope, send blockSender) (common.Status, error) {
	info, status := s.seekInfo(envelope)
	if status != common.Status_SUCCESS {
		return status, nil
	}
	height := s.peer.ledger.Height()
	start, ok := position(info.GetStart(), height)
	if !ok {
		return common.Status_BAD_REQUEST, nil
	}
	stop := uint64(math.MaxUint64)
	if info.GetStop() != nil {
		if stop, ok = position(info.GetStop(), height); !ok {
			return common.Status_BAD_REQUEST, nil
		}
	}
	if start > stop {
		return common.Status_BAD_REQUEST, nil
	}
	for number := start; number <= stop; number++ {
		if s.peer.ledger.Height() <= number {
			if info.GetBehavior() == orderer.SeekInfo_FAIL_IF_NOT_READY {
				return common.Status_NOT_FOUND, nil
			}
			if err := s.peer.committer.WaitForHeight(ctx, number); err != nil {
				return 0, err
			}
		}
		block, err := s.peer.ledger.GetBlock(number)
		if err != nil {
			if errors.Is(err, ledger.ErrClosed) {
				return common.Status_SERVICE_UNAVAILABLE, nil
			}
			return common.Status_INTERNAL_SERVER_ERROR, nil
		}
		if err := send(stream, envelope, block); err != nil {
			return 0, err
		}
		if number == math.MaxUint64 {
			break
		}
	}
	return common.Status_SUCCESS, nil
}

// seekInfo checks a seek envelope: its channel, its type and that a channel
// member signed it (the Readers policy).
func (s deliverService) seekInfo(envelope *common.Envelope) (*orderer.SeekInfo, common.Status) {
	header, err := protoutil.UnpackHeader(envelope)
	if err != nil {
		return nil, common.Status_BAD_REQUEST
	}
	if header.ChannelHeader.GetChannelId() != s.peer.cfg.Channel.Name() {
		return nil, common.Status_NOT_FOUND
	}
	if header.Type() != common.HeaderType_DELIVER_SEEK_INFO {
		return nil, common.Status_BAD_REQUEST
	}
	if err := s.peer.cfg.Channel.VerifySigned(header.SignatureHeader.GetCreator(), envelope.GetPayload(), envelope.GetSignature()); err != nil {
		return nil, common.Status_FORBIDDEN
	}
	info := &orderer.SeekInfo{}
	if err := proto.Unmarshal(header.Payload.GetData(), info); err != nil {
		return nil, common.Status_BAD_REQUEST
	}
	return info, common.Status_SUCCESS
}

// position resolves a seek position against the ledger height.
func position(seek *orderer.SeekPosition, height uint64) (uint64, bool) {
	switch p := seek.GetType().(type) {
	case *orderer.SeekPosition_Oldest:
		return 0, true
	case *orderer.SeekPosition_Newest:
		if height == 0 {
			return 0, true
		}
		return height - 1, true
	case *orderer.SeekPosition_Specified:
		return p.Specified.GetNumber(), true
	case *orderer.SeekPosition_NextCommit:
		return height, true
	default:
		return 0, false
	}
}

// filterBlock keeps of a block what Fabric's filtered blocks carry: each
// transaction's ID, type and validation code, and its chaincode event without
// the payload.
func filterBlock(channel string, block *common.Block) *pb.FilteredBlock {
	filtered := &pb.FilteredBlock{ChannelId: channel, Number: block.GetHeader().GetNumber()}
	codes := ledger.TxFilter(block)
	for i, data := range block.GetData().GetData() {
		envelope := &common.Envelope{}
		if proto.Unmarshal(data, envelope) != nil {
			continue
		}
		tx := &pb.FilteredTransaction{TxValidationCode: codeAt(codes, i)}
		header, err := protoutil.UnpackHeader(envelope)
		if err == nil {
			tx.Txid, tx.Type = header.TxID(), header.Type()
		}
		if unpacked, err := protoutil.UnpackTransaction(envelope); err == nil {
			actions := &pb.FilteredTransactionActions{}
			event := &pb.ChaincodeEvent{}
			if len(unpacked.Action.GetEvents()) > 0 && proto.Unmarshal(unpacked.Action.GetEvents(), event) == nil {
				event.Payload = nil
				actions.ChaincodeActions = append(actions.ChaincodeActions, &pb.FilteredChaincodeAction{ChaincodeEvent: event})
			}
			tx.Data = &pb.FilteredTransaction_TransactionActions{TransactionActions: actions}
		}
		filtered.FilteredTransactions = append(filtered.FilteredTransactions, tx)
	}
	return filtered
}

func codeAt(codes []pb.TxValidationCode, i int) pb.TxValidationCode {
	if i < len(codes) {
		return codes[i]
	}
	return pb.TxValidationCode_INVALID_OTHER_REASON
}
