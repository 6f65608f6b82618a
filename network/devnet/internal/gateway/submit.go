package gateway

import (
	"context"

	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Submit hands a signed, endorsed transaction to the orderer. Success means
// the orderer accepted it, not that it committed.
func (s *Server) Submit(ctx context.Context, request *gp.SubmitRequest) (*gp.SubmitResponse, error) {
	if request == nil {
		return nil, status.Error(codes.InvalidArgument, "a submit request is required")
	}
	envelope := request.GetPreparedTransaction()
	if envelope == nil {
		return nil, status.Error(codes.InvalidArgument, "a prepared transaction is required")
	}
	if len(envelope.GetSignature()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "prepared transaction must be signed")
	}
	if channel := request.GetChannelId(); channel != s.cfg.Channel {
		return nil, status.Error(codes.FailedPrecondition, channelError(channel).Error())
	}

	done := make(chan error, 1)
	go func() {
		done <- s.cfg.Orderer.Broadcast(ctx, envelope)
	}()
	select {
	case err := <-done:
		if err != nil {
			return nil, newRPCError(codes.Aborted, "received unsuccessful response from orderer: "+err.Error())
		}
		return &gp.SubmitResponse{}, nil
	case <-ctx.Done():
		return nil, newRPCError(codes.DeadlineExceeded, "submit timeout expired while broadcasting to ordering service")
	}
}
