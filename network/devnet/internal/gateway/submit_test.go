package gateway

import (
	"context"
	"errors"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestSubmit(t *testing.T) {
	tests := []struct {
		name   string
		value  string
		code   peer.TxValidationCode
		result string
	}{
		{name: "Returns the result once the transaction commits valid", value: "W1", code: peer.TxValidationCode_VALID},
		{name: "Returns a commit error with the validation code of an invalid transaction", value: "conflict", code: peer.TxValidationCode_MVCC_READ_CONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			result, err := h.contract.Submit("echo", client.WithArguments(tt.value))
			if tt.code == peer.TxValidationCode_VALID {
				require.NoError(t, err)
				require.Equal(t, tt.value, string(result))
			} else {
				var commitErr *client.CommitError
				require.ErrorAs(t, err, &commitErr)
				require.Equal(t, tt.code, commitErr.Code)
			}
			require.Equal(t, uint64(2), h.chain.Height())
		})
	}
}

func TestSubmitAsyncThenStatus(t *testing.T) {
	h := newHarness(t)
	h.chain.batching = true
	h.chain.waiting = make(chan uint64, 1)

	result, commit, err := h.contract.SubmitAsync("echo", client.WithArguments("W1"))
	require.NoError(t, err)
	require.Equal(t, "W1", string(result))

	type outcome struct {
		status *client.Status
		err    error
	}
	outcomes := make(chan outcome, 1)
	ctx := testContext(t)
	go func() {
		st, err := commit.StatusWithContext(ctx)
		outcomes <- outcome{st, err}
	}()
	require.Equal(t, uint64(1), <-h.chain.waiting, "the status call waits for the next block")
	h.chain.cut()

	got := <-outcomes
	require.NoError(t, got.err)
	require.True(t, got.status.Successful)
	require.Equal(t, peer.TxValidationCode_VALID, got.status.Code)
	require.Equal(t, uint64(1), got.status.BlockNumber)
	require.Equal(t, commit.TransactionID(), got.status.TransactionID)
}

func TestSubmitFailures(t *testing.T) {
	tests := []struct {
		name    string
		submit  func(t *testing.T, h *harness) error
		code    codes.Code
		message string
	}{
		{
			name: "Aborts when the orderer rejects the transaction",
			submit: func(t *testing.T, h *harness) error {
				h.chain.reject = errors.New("status=BAD_REQUEST, info=duplicate transaction")
				_, err := h.contract.Submit("echo", client.WithArguments("W1"))
				var submitErr *client.SubmitError
				require.ErrorAs(t, err, &submitErr)
				return err
			},
			code:    codes.Aborted,
			message: "received unsuccessful response from orderer: status=BAD_REQUEST, info=duplicate transaction",
		},
		{
			name: "Rejects an unsigned transaction",
			submit: func(t *testing.T, h *harness) error {
				_, err := gp.NewGatewayClient(h.conn).Submit(context.Background(), &gp.SubmitRequest{
					ChannelId:           testChannel,
					PreparedTransaction: endorsedEnvelope(t, h),
				})
				return err
			},
			code:    codes.InvalidArgument,
			message: "prepared transaction must be signed",
		},
		{
			name: "Rejects a request without a transaction",
			submit: func(t *testing.T, h *harness) error {
				_, err := gp.NewGatewayClient(h.conn).Submit(context.Background(), &gp.SubmitRequest{ChannelId: testChannel})
				return err
			},
			code:    codes.InvalidArgument,
			message: "a prepared transaction is required",
		},
		{
			name: "Rejects a transaction for another channel",
			submit: func(t *testing.T, h *harness) error {
				envelope := endorsedEnvelope(t, h)
				envelope.Signature = []byte("signature")
				_, err := gp.NewGatewayClient(h.conn).Submit(context.Background(), &gp.SubmitRequest{
					ChannelId:           "other",
					PreparedTransaction: envelope,
				})
				return err
			},
			code:    codes.FailedPrecondition,
			message: "failed to get config for channel [other]: channel does not exist",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			err := tt.submit(t, h)
			require.Equal(t, tt.code, status.Code(err), "error: %v", err)
			require.Equal(t, tt.message, status.Convert(err).Message())
			require.Equal(t, uint64(1), h.chain.Height(), "nothing was ordered")
		})
	}
}

// endorsedEnvelope endorses an echo transaction and returns its unsigned envelope.
func endorsedEnvelope(t *testing.T, h *harness) *common.Envelope {
	t.Helper()
	proposal, err := h.contract.NewProposal("echo", client.WithArguments("W1"))
	require.NoError(t, err)
	transaction, err := proposal.Endorse()
	require.NoError(t, err)
	return preparedTransaction(t, transaction).Envelope
}
