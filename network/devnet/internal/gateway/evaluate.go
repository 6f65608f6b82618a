package gateway

import (
	"context"
	"fmt"
	"slices"

	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Evaluate runs a transaction function on one peer, preferably the gateway's
// own, and returns its result without ordering anything.
func (s *Server) Evaluate(ctx context.Context, request *gp.EvaluateRequest) (*gp.EvaluateResponse, error) {
	if request == nil {
		return nil, status.Error(codes.InvalidArgument, "an evaluate request is required")
	}
	signed := request.GetProposedTransaction()
	proposal, err := unpackProposal(signed)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "failed to unpack transaction proposal: %s", err)
	}
	if channel := proposal.ChannelHeader.GetChannelId(); channel != s.cfg.Channel {
		return nil, status.Error(codes.Unavailable, channelError(channel).Error())
	}
	target, err := s.evaluator(request.GetTargetOrganizations())
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}

	results := make(chan endorserResult, 1)
	s.callEndorserAsync(ctx, target, signed, results)
	var result endorserResult
	select {
	case result = <-results:
	case <-ctx.Done():
		return nil, newRPCError(codes.DeadlineExceeded, "evaluate timeout expired")
	}

	code, message, retry := responseStatus(result.response, result.err)
	if code != codes.OK {
		detail := errorDetail(target, message)
		if retry {
			// Fabric retries on another peer of the organization; a dev
			// network peer has none, so the evaluation has failed.
			return nil, newRPCError(code, "failed to evaluate transaction, see attached details for more info", detail)
		}
		return nil, newRPCError(code, "evaluate call to endorser returned error: "+message, detail)
	}
	response := proto.Clone(result.response.GetResponse()).(*peer.Response)
	// Prefer the result in the proposal response payload, since the
	// Response payload is not required to be the transaction result.
	if payload, err := resultFromProposalResponse(result.response); err == nil {
		response.Payload = payload
	}
	return &gp.EvaluateResponse{Result: response}, nil
}

// evaluator picks the peer that evaluates: the local one unless the client
// restricted evaluation to organizations that exclude it.
func (s *Server) evaluator(targetOrgs []string) (Peer, error) {
	if len(targetOrgs) == 0 || slices.Contains(targetOrgs, s.cfg.Local.MSPID) {
		return s.cfg.Local, nil
	}
	for _, org := range targetOrgs {
		if p, ok := s.peers[org]; ok {
			return p, nil
		}
	}
	return Peer{}, fmt.Errorf("no endorsing peers found for channel: %s", s.cfg.Channel)
}

// unpackProposal takes a signed proposal apart, refusing one without a channel.
func unpackProposal(signed *peer.SignedProposal) (*protoutil.Proposal, error) {
	if signed == nil {
		return nil, fmt.Errorf("a signed proposal is required")
	}
	proposal, err := protoutil.UnpackProposal(signed)
	if err != nil {
		return nil, err
	}
	if proposal.ChannelHeader.GetChannelId() == "" {
		return nil, fmt.Errorf("no channel id provided")
	}
	return proposal, nil
}

// resultFromProposalResponse reads the chaincode's result from the payload
// the endorser signed.
func resultFromProposalResponse(response *peer.ProposalResponse) ([]byte, error) {
	payload := &peer.ProposalResponsePayload{}
	if err := proto.Unmarshal(response.GetPayload(), payload); err != nil {
		return nil, fmt.Errorf("failed to deserialize proposal response payload: %w", err)
	}
	action := &peer.ChaincodeAction{}
	if err := proto.Unmarshal(payload.GetExtension(), action); err != nil {
		return nil, fmt.Errorf("failed to deserialize chaincode action: %w", err)
	}
	return action.GetResponse().GetPayload(), nil
}
