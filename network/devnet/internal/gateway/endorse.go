package gateway

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Endorse collects enough endorsements of a proposal to satisfy the policies
// it touches and returns the transaction envelope for the client to sign.
//
// When the client names the endorsing organizations, their peers are asked in
// parallel. Otherwise the local peer goes first, the Planner reads its
// response to choose the organizations, and the others are asked in parallel.
func (s *Server) Endorse(ctx context.Context, request *gp.EndorseRequest) (*gp.EndorseResponse, error) {
	if request == nil {
		return nil, status.Error(codes.InvalidArgument, "an endorse request is required")
	}
	signed := request.GetProposedTransaction()
	if len(signed.GetProposalBytes()) == 0 {
		return nil, status.Error(codes.InvalidArgument, "the proposed transaction must contain a signed proposal")
	}
	proposal, err := unpackProposal(signed)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	orgs := request.GetEndorsingOrganizations()
	if channel := proposal.ChannelHeader.GetChannelId(); channel != s.cfg.Channel {
		if len(orgs) > 0 {
			return nil, status.Error(codes.Unavailable, channelError(channel).Error())
		}
		return nil, status.Error(codes.FailedPrecondition, channelError(channel).Error())
	}

	var responses []*peer.ProposalResponse
	if len(orgs) > 0 {
		// The client chose the endorsers and answers for meeting the policy.
		peers, err := s.peersForOrgs(orgs)
		if err != nil {
			return nil, status.Error(codes.Unavailable, err.Error())
		}
		responses, err = s.collectEndorsements(ctx, signed, peers, nil)
		if err != nil {
			return nil, err
		}
	} else {
		responses, err = s.endorseByPlan(ctx, proposal)
		if err != nil {
			return nil, err
		}
	}

	envelope, err := protoutil.CreateUnsignedEnvelope(proposal, uniqueEndorsements(responses))
	if err != nil {
		return nil, status.Errorf(codes.Aborted, "failed to assemble transaction: %s", err)
	}
	return &gp.EndorseResponse{PreparedTransaction: envelope}, nil
}

// endorseByPlan endorses on the local peer, asks the Planner which
// organizations must endorse, and collects the remaining endorsements.
func (s *Server) endorseByPlan(ctx context.Context, proposal *protoutil.Proposal) ([]*peer.ProposalResponse, error) {
	first, err := s.endorseFirst(ctx, proposal.Signed)
	if err != nil {
		return nil, err
	}
	protected, collections := protectTransient(proposal, first)
	orgs, err := s.cfg.Planner.Plan(ctx, proposal.ChaincodeName(), protected)
	if err != nil {
		if len(collections) > 0 {
			// As Fabric's gateway: say when only the protection of the
			// transient data stood in the way.
			if _, unprotected := s.cfg.Planner.Plan(ctx, proposal.ChaincodeName(), first); unprotected == nil {
				return nil, status.Errorf(codes.FailedPrecondition, "requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): %v; retry specifying trusted endorsing organizations to protect transient data", collections)
			}
		}
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}
	if len(orgs) == 0 {
		return nil, status.Error(codes.FailedPrecondition, "failed to select a set of endorsers that satisfy the endorsement policy")
	}
	var others []string
	localPlanned := false
	for _, org := range orgs {
		if org == s.cfg.Local.MSPID {
			localPlanned = true
			continue
		}
		others = append(others, org)
	}
	peers, err := s.peersForOrgs(others)
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, err.Error())
	}
	responses, err := s.collectEndorsements(ctx, proposal.Signed, peers, first)
	if err != nil {
		return nil, err
	}
	if localPlanned {
		responses = append([]*peer.ProposalResponse{first}, responses...)
	}
	return responses, nil
}

// endorseFirst processes the proposal on the gateway's own peer.
func (s *Server) endorseFirst(ctx context.Context, signed *peer.SignedProposal) (*peer.ProposalResponse, error) {
	results := make(chan endorserResult, 1)
	s.callEndorserAsync(ctx, s.cfg.Local, signed, results)
	var result endorserResult
	select {
	case result = <-results:
	case <-ctx.Done():
		return nil, newRPCError(codes.DeadlineExceeded, "endorsement timeout expired while collecting first endorsement")
	}
	if code, message, _ := responseStatus(result.response, result.err); code != codes.OK {
		return nil, newRPCError(codes.Aborted, "failed to endorse transaction, see attached details for more info",
			errorDetail(s.cfg.Local, message))
	}
	return result.response, nil
}

// collectEndorsements asks every peer in parallel. All must endorse, with the
// same proposal response payload as reference (or as each other, when
// reference is nil); otherwise the failures come back as error details.
func (s *Server) collectEndorsements(ctx context.Context, signed *peer.SignedProposal, peers []Peer, reference *peer.ProposalResponse) ([]*peer.ProposalResponse, error) {
	results := make(chan endorserResult, len(peers))
	for _, p := range peers {
		s.callEndorserAsync(ctx, p, signed, results)
	}
	byOrg := make(map[string]endorserResult, len(peers))
	for range peers {
		select {
		case result := <-results:
			byOrg[result.peer.MSPID] = result
		case <-ctx.Done():
			return nil, newRPCError(codes.DeadlineExceeded, "endorsement timeout expired while collecting endorsements")
		}
	}

	// Judge the results in plan order, so that error details are stable.
	var details []*gp.ErrorDetail
	var responses []*peer.ProposalResponse
	referencePayload := reference.GetPayload()
	for _, p := range peers {
		result := byOrg[p.MSPID]
		if code, message, _ := responseStatus(result.response, result.err); code != codes.OK {
			details = append(details, errorDetail(p, message))
			continue
		}
		if referencePayload == nil {
			referencePayload = result.response.GetPayload()
		} else if !bytes.Equal(referencePayload, result.response.GetPayload()) {
			details = append(details, errorDetail(p, "ProposalResponsePayloads do not match"))
			continue
		}
		responses = append(responses, result.response)
	}
	if len(details) > 0 {
		return nil, newRPCError(codes.Aborted, "failed to collect enough transaction endorsements, see attached details for more info", details...)
	}
	return responses, nil
}

// peersForOrgs returns one peer per organization, in the order given,
// each organization once.
func (s *Server) peersForOrgs(orgs []string) ([]Peer, error) {
	var peers []Peer
	var missing []string
	seen := make(map[string]bool, len(orgs))
	for _, org := range orgs {
		if seen[org] {
			continue
		}
		seen[org] = true
		p, ok := s.peers[org]
		if !ok {
			missing = append(missing, org)
			continue
		}
		peers = append(peers, p)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("failed to find any endorsing peers for org(s): %s", strings.Join(missing, ", "))
	}
	return peers, nil
}

// uniqueEndorsements keeps the first response of each endorsing identity and
// drops responses without an endorsement.
func uniqueEndorsements(responses []*peer.ProposalResponse) []*peer.ProposalResponse {
	seen := make(map[string]bool, len(responses))
	var unique []*peer.ProposalResponse
	for _, r := range responses {
		endorsement := r.GetEndorsement()
		if endorsement == nil || seen[string(endorsement.GetEndorser())] {
			continue
		}
		seen[string(endorsement.GetEndorser())] = true
		unique = append(unique, r)
	}
	return unique
}

// protectTransient is step 4 of Fabric's gateway plan: when the proposal
// carries transient data, only members of the collections the simulation
// touched may endorse it (their NoPrivateReads is cleared), so that the
// transient data reaches no other org.
// It returns the response to plan with and the collections so protected.
func protectTransient(proposal *protoutil.Proposal, first *peer.ProposalResponse) (*peer.ProposalResponse, []string) {
	if len(proposal.Payload.GetTransientMap()) == 0 || first.GetInterest() == nil {
		return first, nil
	}
	protected := proto.Clone(first).(*peer.ProposalResponse)
	var collections []string
	for _, call := range protected.GetInterest().GetChaincodes() {
		if call.GetNoPrivateReads() {
			call.NoPrivateReads = false
			collections = append(collections, call.GetCollectionNames()...)
		}
	}
	return protected, collections
}
