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
)

func TestCommitStatus(t *testing.T) {
	tests := []struct {
		name   string
		status func(t *testing.T, h *harness) (*gp.CommitStatusResponse, error)
		code   codes.Code
		result peer.TxValidationCode
	}{
		{
			name: "Returns the status of a transaction committed earlier at once",
			status: func(t *testing.T, h *harness) (*gp.CommitStatusResponse, error) {
				_, commit, err := h.contract.SubmitAsync("echo", client.WithArguments("conflict"))
				require.NoError(t, err)
				return h.server.CommitStatus(context.Background(), h.signedCommitRequest(t, testChannel, commit.TransactionID()))
			},
			result: peer.TxValidationCode_MVCC_READ_CONFLICT,
		},
		{
			name: "Rejects a request with a bad signature",
			status: func(t *testing.T, h *harness) (*gp.CommitStatusResponse, error) {
				_, commit, err := h.contract.SubmitAsync("echo", client.WithArguments("W1"))
				require.NoError(t, err)
				data, err := commit.Bytes()
				require.NoError(t, err)
				forged, err := h.gateway.NewSignedCommit(data, []byte("not a signature"))
				require.NoError(t, err)
				_, err = forged.Status()
				var statusErr *client.CommitStatusError
				require.ErrorAs(t, err, &statusErr)
				return nil, err
			},
			code: codes.PermissionDenied,
		},
		{
			name: "Rejects a request for another channel",
			status: func(t *testing.T, h *harness) (*gp.CommitStatusResponse, error) {
				return gp.NewGatewayClient(h.conn).CommitStatus(context.Background(), h.signedCommitRequest(t, "other", "tx"))
			},
			code: codes.PermissionDenied,
		},
		{
			name: "Rejects an empty request",
			status: func(t *testing.T, h *harness) (*gp.CommitStatusResponse, error) {
				return gp.NewGatewayClient(h.conn).CommitStatus(context.Background(), &gp.SignedCommitStatusRequest{})
			},
			code: codes.InvalidArgument,
		},
		{
			name: "Stops waiting when the request is cancelled",
			status: func(t *testing.T, h *harness) (*gp.CommitStatusResponse, error) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return h.server.CommitStatus(ctx, h.signedCommitRequest(t, testChannel, "never-submitted"))
			},
			code: codes.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			response, err := tt.status(t, h)
			require.Equal(t, tt.code, status.Code(err), "error: %v", err)
			if tt.code == codes.OK {
				require.Equal(t, tt.result, response.GetResult())
				require.Equal(t, uint64(1), response.GetBlockNumber())
			}
		})
	}
}

// signedCommitRequest builds a commit status request signed by the harness's client.
func (h *harness) signedCommitRequest(t *testing.T, channel, txID string) *gp.SignedCommitStatusRequest {
	t.Helper()
	data, signature := h.signRequest(t, &gp.CommitStatusRequest{ChannelId: channel, TransactionId: txID, Identity: h.creator(t)})
	return &gp.SignedCommitStatusRequest{Request: data, Signature: signature}
}
