package gateway

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

func TestEndorse(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(h *harness)
		args      []string
		options   []client.ProposalOption
		endorsers []string // endorsing identities in the transaction
		calls     map[string]int32
	}{
		{
			name:      "Collects the endorsements of the planned organizations, local first",
			args:      []string{"echo", "W1"},
			endorsers: []string{"peer0." + org1, "peer0." + org2},
			calls:     map[string]int32{org1: 1, org2: 1},
		},
		{
			name:      "Asks only the organizations the client names",
			args:      []string{"echo", "W2"},
			options:   []client.ProposalOption{client.WithEndorsingOrganizations(org2)},
			endorsers: []string{"peer0." + org2},
			calls:     map[string]int32{org1: 0, org2: 1},
		},
		{
			name:      "Leaves out the local endorsement when the plan does not need it",
			setup:     func(h *harness) { h.planner.orgs = []string{org2} },
			args:      []string{"echo", "W3"},
			endorsers: []string{"peer0." + org2},
			calls:     map[string]int32{org1: 1, org2: 1},
		},
		{
			name: "Asks an organization the local response adds once it is back",
			setup: func(h *harness) {
				h.planner.speculative = []string{org1}
				h.planner.orgs = []string{org1, org2}
			},
			args:      []string{"echo", "W5"},
			endorsers: []string{"peer0." + org1, "peer0." + org2},
			calls:     map[string]int32{org1: 1, org2: 1},
		},
		{
			name: "Drops a speculative endorsement the local response makes unneeded",
			setup: func(h *harness) {
				h.planner.speculative = []string{org1, org2}
				h.planner.orgs = []string{org1}
			},
			args:      []string{"echo", "W6"},
			endorsers: []string{"peer0." + org1},
			calls:     map[string]int32{org1: 1},
		},
		{
			name:      "Keeps one endorsement per endorser",
			setup:     func(h *harness) { h.planner.orgs = []string{org1, org2, org2, org1} },
			args:      []string{"echo", "W4"},
			endorsers: []string{"peer0." + org1, "peer0." + org2},
			calls:     map[string]int32{org1: 1, org2: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			options := append([]client.ProposalOption{client.WithArguments(tt.args[1:]...)}, tt.options...)
			proposal, err := h.contract.NewProposal(tt.args[0], options...)
			require.NoError(t, err)
			transaction, err := proposal.Endorse()
			require.NoError(t, err)
			require.Equal(t, tt.args[1], string(transaction.Result()))

			tx := preparedTransaction(t, transaction)
			require.Equal(t, proposal.TransactionID(), tx.TxID())
			var endorsers []string
			for _, e := range tx.Endorsements() {
				endorsers = append(endorsers, string(e.GetEndorser()))
			}
			require.Equal(t, tt.endorsers, endorsers)
			for org, calls := range tt.calls {
				require.Equal(t, calls, h.endorsers[org].calls.Load(), "calls on %s", org)
			}
		})
	}
}

func TestEndorseFailures(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(h *harness)
		args    []string
		options []client.ProposalOption
		code    codes.Code
		message string
		details []*gp.ErrorDetail
	}{
		{
			name:    "Aborts with the chaincode's message when the local peer's chaincode fails",
			args:    []string{"fail", "warrant W1 is frozen"},
			code:    codes.Aborted,
			message: "failed to endorse transaction, see attached details for more info",
			details: []*gp.ErrorDetail{{Address: "peer0.org1.example.com:7051", MspId: org1, Message: "chaincode response 500, warrant W1 is frozen"}},
		},
		{
			name:    "Aborts when the endorsements do not match",
			setup:   func(h *harness) { h.endorsers[org2].tamper = true },
			args:    []string{"echo", "W1"},
			code:    codes.Aborted,
			message: "failed to collect enough transaction endorsements, see attached details for more info",
			details: []*gp.ErrorDetail{{Address: "peer0.org2.example.com:9051", MspId: org2, Message: "ProposalResponsePayloads do not match"}},
		},
		{
			name:    "Aborts when the client's organizations do not agree",
			setup:   func(h *harness) { h.endorsers[org2].tamper = true },
			args:    []string{"echo", "W1"},
			options: []client.ProposalOption{client.WithEndorsingOrganizations(org1, org2)},
			code:    codes.Aborted,
			message: "failed to collect enough transaction endorsements, see attached details for more info",
			details: []*gp.ErrorDetail{{Address: "peer0.org2.example.com:9051", MspId: org2, Message: "ProposalResponsePayloads do not match"}},
		},
		{
			name: "Aborts with a detail for each failed endorser",
			setup: func(h *harness) {
				h.endorsers[org1].peerError = "access denied"
				h.endorsers[org2].peerError = "access denied"
			},
			args:    []string{"echo", "W1"},
			options: []client.ProposalOption{client.WithEndorsingOrganizations(org1, org2)},
			code:    codes.Aborted,
			message: "failed to collect enough transaction endorsements, see attached details for more info",
			details: []*gp.ErrorDetail{
				{Address: "peer0.org1.example.com:7051", MspId: org1, Message: "access denied"},
				{Address: "peer0.org2.example.com:9051", MspId: org2, Message: "access denied"},
			},
		},
		{
			name:    "Fails the precondition when no plan satisfies the policy",
			setup:   func(h *harness) { h.planner.err = errors.New("no combination of peers satisfies the policy") },
			args:    []string{"echo", "W1"},
			code:    codes.FailedPrecondition,
			message: "no combination of peers satisfies the policy",
		},
		{
			name:    "Reports organizations without a peer",
			args:    []string{"echo", "W1"},
			options: []client.ProposalOption{client.WithEndorsingOrganizations("Org9MSP")},
			code:    codes.Unavailable,
			message: "failed to find any endorsing peers for org(s): Org9MSP",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			options := append([]client.ProposalOption{client.WithArguments(tt.args[1:]...)}, tt.options...)
			_, err := h.contract.Submit(tt.args[0], options...)
			var endorseErr *client.EndorseError
			require.ErrorAs(t, err, &endorseErr)
			require.Equal(t, tt.code, status.Code(err))
			require.Equal(t, tt.message, status.Convert(err).Message())
			details := endorseErr.Details()
			require.Len(t, details, len(tt.details))
			for i, want := range tt.details {
				require.True(t, proto.Equal(want, details[i]), "detail %d: got %v", i, details[i])
			}
			require.Equal(t, uint64(1), h.chain.Height(), "nothing was ordered")
		})
	}
}

func TestEndorseRejectsBadRequests(t *testing.T) {
	tests := []struct {
		name    string
		endorse func(h *harness) error
		code    codes.Code
		message string
	}{
		{
			name: "Rejects a request without a proposal",
			endorse: func(h *harness) error {
				_, err := gp.NewGatewayClient(h.conn).Endorse(context.Background(), &gp.EndorseRequest{})
				return err
			},
			code:    codes.InvalidArgument,
			message: "the proposed transaction must contain a signed proposal",
		},
		{
			name: "Rejects a proposal for another channel",
			endorse: func(h *harness) error {
				_, err := h.gateway.GetNetwork("other").GetContract(testChaincode).SubmitTransaction("echo", "x")
				return err
			},
			code:    codes.FailedPrecondition,
			message: "failed to get config for channel [other]: channel does not exist",
		},
		{
			name: "Reports the deadline while the local peer endorses",
			endorse: func(h *harness) error {
				hold := make(chan struct{})
				t.Cleanup(func() { close(hold) })
				h.endorsers[org1].hold = hold
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				_, err := h.server.Endorse(ctx, &gp.EndorseRequest{ProposedTransaction: newSignedProposal(t, h, "echo", "x")})
				return err
			},
			code:    codes.DeadlineExceeded,
			message: "endorsement timeout expired while collecting first endorsement",
		},
		{
			name: "Reports the deadline while other organizations endorse",
			endorse: func(h *harness) error {
				hold := make(chan struct{})
				t.Cleanup(func() { close(hold) })
				h.endorsers[org2].hold = hold
				ctx, cancel := context.WithCancel(context.Background())
				h.planner.onPlan = cancel
				_, err := h.server.Endorse(ctx, &gp.EndorseRequest{ProposedTransaction: newSignedProposal(t, h, "echo", "x")})
				return err
			},
			code:    codes.DeadlineExceeded,
			message: "endorsement timeout expired while collecting endorsements",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.endorse(newHarness(t))
			require.Equal(t, tt.code, status.Code(err), "error: %v", err)
			require.Equal(t, tt.message, status.Convert(err).Message())
		})
	}
}

// newSignedProposal builds and signs a proposal for the test chaincode.
func newSignedProposal(t *testing.T, h *harness, function string, args ...string) *peer.SignedProposal {
	t.Helper()
	proposal, err := h.contract.NewProposal(function, client.WithArguments(args...))
	require.NoError(t, err)
	return signedProposal(t, h, proposal)
}

// preparedTransaction takes apart the envelope the gateway prepared.
func preparedTransaction(t *testing.T, transaction *client.Transaction) *protoutil.Transaction {
	t.Helper()
	data, err := transaction.Bytes()
	require.NoError(t, err)
	prepared := &gp.PreparedTransaction{}
	require.NoError(t, proto.Unmarshal(data, prepared))
	envelope := &common.Envelope{Payload: prepared.GetEnvelope().GetPayload()}
	tx, err := protoutil.UnpackTransaction(envelope)
	require.NoError(t, err)
	return tx
}

// TestEndorseAsksThePolicysOrganizationsAtOnce checks that the organizations
// the chaincode policy needs are asked while the local peer still endorses,
// not after it.
func TestEndorseAsksThePolicysOrganizationsAtOnce(t *testing.T) {
	h := newHarness(t)
	hold := make(chan struct{})
	h.endorsers[org1].hold = hold
	endorsed := make(chan error, 1)
	go func() {
		_, err := h.server.Endorse(context.Background(), &gp.EndorseRequest{ProposedTransaction: newSignedProposal(t, h, "echo", "x")})
		endorsed <- err
	}()
	require.Eventually(t, func() bool { return h.endorsers[org2].calls.Load() == 1 }, 10*time.Second, time.Millisecond,
		"the other organization is asked while the local peer is held")
	require.EqualValues(t, 1, h.endorsers[org1].calls.Load())
	close(hold)
	require.NoError(t, <-endorsed)
	require.EqualValues(t, 1, h.endorsers[org2].calls.Load(), "asked once")
}
