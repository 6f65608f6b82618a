package gateway

import (
	"context"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(h *harness)
		args    []string
		options []client.ProposalOption
		result  string
		code    codes.Code
		message string
		detail  *gp.ErrorDetail
		org2    int32 // calls expected on Org2's endorser
	}{
		{
			name:   "Returns the result from the chaincode action on the local peer",
			args:   []string{"echo", "asset-1"},
			result: "asset-1",
		},
		{
			name:    "Evaluates on the target organization when the client excludes the local one",
			args:    []string{"echo", "asset-2"},
			options: []client.ProposalOption{client.WithEndorsingOrganizations(org2)},
			result:  "asset-2",
			org2:    1,
		},
		{
			name:    "Returns the chaincode's error message in the status and its detail",
			args:    []string{"fail", "warrant W1 does not exist"},
			code:    codes.Unknown,
			message: "evaluate call to endorser returned error: chaincode response 500, warrant W1 does not exist",
			detail: &gp.ErrorDetail{Address: "peer0.org1.example.com:7051", MspId: org1,
				Message: "chaincode response 500, warrant W1 does not exist"},
		},
		{
			name:    "Aborts when the peer fails before running the chaincode",
			setup:   func(h *harness) { h.endorsers[org1].peerError = "access denied" },
			args:    []string{"echo", "x"},
			code:    codes.Aborted,
			message: "failed to evaluate transaction, see attached details for more info",
			detail:  &gp.ErrorDetail{Address: "peer0.org1.example.com:7051", MspId: org1, Message: "access denied"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			options := append([]client.ProposalOption{client.WithArguments(tt.args[1:]...)}, tt.options...)
			result, err := h.contract.Evaluate(tt.args[0], options...)
			require.Equal(t, tt.org2, h.endorsers[org2].calls.Load())
			if tt.code == codes.OK {
				require.NoError(t, err)
				require.Equal(t, tt.result, string(result))
				return
			}
			require.Equal(t, tt.code, status.Code(err))
			require.Equal(t, tt.message, status.Convert(err).Message())
			details := errorDetails(t, err)
			require.Len(t, details, 1)
			require.Equal(t, tt.detail.GetAddress(), details[0].GetAddress())
			require.Equal(t, tt.detail.GetMspId(), details[0].GetMspId())
			require.Equal(t, tt.detail.GetMessage(), details[0].GetMessage())
		})
	}
}

func TestEvaluateRejectsBadRequests(t *testing.T) {
	h := newHarness(t)
	raw := gp.NewGatewayClient(h.conn)
	proposal, err := h.contract.NewProposal("echo", client.WithArguments("x"))
	require.NoError(t, err)
	otherChannel, err := h.gateway.GetNetwork("other").GetContract(testChaincode).NewProposal("echo")
	require.NoError(t, err)

	tests := []struct {
		name     string
		request  *gp.EvaluateRequest
		evaluate func() error
		code     codes.Code
	}{
		{
			name:    "Rejects a request without a proposal",
			request: &gp.EvaluateRequest{},
			code:    codes.InvalidArgument,
		},
		{
			name:    "Rejects a proposal that does not parse",
			request: &gp.EvaluateRequest{ProposedTransaction: &peer.SignedProposal{ProposalBytes: []byte("garbage")}},
			code:    codes.InvalidArgument,
		},
		{
			name:     "Rejects a proposal for another channel",
			evaluate: func() error { _, err := otherChannel.Evaluate(); return err },
			code:     codes.Unavailable,
		},
		{
			name: "Reports the deadline when the endorser does not answer in time",
			evaluate: func() error {
				hold := make(chan struct{})
				t.Cleanup(func() { close(hold) })
				h.endorsers[org1].hold = hold
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				_, err := h.server.Evaluate(ctx, &gp.EvaluateRequest{ProposedTransaction: signedProposal(t, h, proposal)})
				return err
			},
			code: codes.DeadlineExceeded,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.evaluate != nil {
				err = tt.evaluate()
			} else {
				_, err = raw.Evaluate(context.Background(), tt.request)
			}
			require.Equal(t, tt.code, status.Code(err), "error: %v", err)
		})
	}
}

// signedProposal signs a client proposal and returns it as sent on the wire.
func signedProposal(t *testing.T, h *harness, proposal *client.Proposal) *peer.SignedProposal {
	t.Helper()
	data, err := proposal.Bytes()
	require.NoError(t, err)
	tx := &gp.ProposedTransaction{}
	require.NoError(t, proto.Unmarshal(data, tx))
	signature, err := h.sign(proposal.Digest())
	require.NoError(t, err)
	tx.Proposal.Signature = signature
	return tx.GetProposal()
}
