package gateway

import (
	"errors"
	"io"

	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// ChaincodeEvents streams the events a chaincode emitted in valid
// transactions: one response per block that has matching events, in block
// order, events in transaction order. It waits for new blocks until the
// client goes away.
func (s *Server) ChaincodeEvents(signed *gp.SignedChaincodeEventsRequest, stream gp.Gateway_ChaincodeEventsServer) error {
	if len(signed.GetRequest()) == 0 {
		return status.Error(codes.InvalidArgument, "a chaincode events request is required")
	}
	request := &gp.ChaincodeEventsRequest{}
	if err := proto.Unmarshal(signed.GetRequest(), request); err != nil {
		return status.Errorf(codes.InvalidArgument, "invalid chaincode events request: %v", err)
	}
	if err := s.checkReader("gateway/ChaincodeEvents", request.GetChannelId(), request.GetIdentity(), signed.GetRequest(), signed.GetSignature()); err != nil {
		return err
	}
	start, err := s.eventsStartBlock(request)
	if err != nil {
		return err
	}

	ctx := stream.Context()
	isMatch := eventMatcher(request)
	for number := start; ; number++ {
		if err := s.cfg.Notifier.WaitForHeight(ctx, number); err != nil {
			return contextError(err, codes.Aborted)
		}
		block, err := s.cfg.Ledger.GetBlock(number)
		if err != nil {
			return status.Errorf(codes.Aborted, "failed to read block %d: %s", number, err)
		}
		var matching []*peer.ChaincodeEvent
		for _, event := range chaincodeEvents(block) {
			if isMatch(event) {
				matching = append(matching, event)
			}
		}
		if len(matching) == 0 {
			continue
		}
		response := &gp.ChaincodeEventsResponse{BlockNumber: block.GetHeader().GetNumber(), Events: matching}
		if err := stream.Send(response); err != nil {
			if errors.Is(err, io.EOF) {
				return status.Error(codes.Canceled, err.Error())
			}
			return err
		}
	}
}

// eventsStartBlock is the block of the checkpointed transaction if the ledger
// has it, else the requested start position; by default the next block to
// commit.
func (s *Server) eventsStartBlock(request *gp.ChaincodeEventsRequest) (uint64, error) {
	if txID := request.GetAfterTransactionId(); txID != "" {
		if _, blockNumber, found, err := s.cfg.Ledger.TxStatus(txID); err == nil && found {
			return blockNumber, nil
		}
	}
	switch position := request.GetStartPosition().GetType().(type) {
	case nil, *orderer.SeekPosition_NextCommit:
		return s.cfg.Ledger.Height(), nil
	case *orderer.SeekPosition_Specified:
		return position.Specified.GetNumber(), nil
	default:
		return 0, status.Errorf(codes.InvalidArgument, "invalid start position type: %T", position)
	}
}

// eventMatcher selects the requested chaincode's events. With a checkpointed
// transaction, it skips every event up to and including that transaction's,
// as Fabric does.
func eventMatcher(request *gp.ChaincodeEventsRequest) func(*peer.ChaincodeEvent) bool {
	chaincode := request.GetChaincodeId()
	after := request.GetAfterTransactionId()
	passed := after == ""
	return func(event *peer.ChaincodeEvent) bool {
		if !passed {
			passed = event.GetTxId() == after
			return false
		}
		return event.GetChaincodeId() == chaincode
	}
}
