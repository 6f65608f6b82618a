package client

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// fakeAttempts fails with the given errors in turn, then succeeds.
type fakeAttempts struct {
	errs  []error
	calls int
}

func (f *fakeAttempts) attempt(context.Context) ([]byte, error) {
	f.calls++
	if f.calls <= len(f.errs) {
		return nil, f.errs[f.calls-1]
	}
	return []byte(`{"ok":true}`), nil
}

func conflict(code peer.TxValidationCode) error {
	return &CommitError{Function: "issuance:Issue", TransactionID: "tx", Code: code}
}

func TestRetry(t *testing.T) {
	mvcc := conflict(peer.TxValidationCode_MVCC_READ_CONFLICT)
	phantom := conflict(peer.TxValidationCode_PHANTOM_READ_CONFLICT)
	rejection := &ChaincodeError{Function: "issuance:Issue", Domain: &warrant.Error{Code: warrant.CodeForbidden, Message: "no"}, cause: errors.New("endorse")}
	mismatchStatus, err := status.New(codes.Aborted, "failed to collect enough transaction endorsements").
		WithDetails(&gateway.ErrorDetail{MspId: "BankMSP", Message: "ProposalResponsePayloads do not match"})
	require.NoError(t, err)
	mismatch := fmt.Errorf("endorse: %w", mismatchStatus.Err())
	unplanned := fmt.Errorf("endorse: %w", status.Error(codes.FailedPrecondition,
		"no combination of peers can be derived which satisfy the endorsement policy: no peer combination can satisfy the endorsement policy"))
	orgUnseen := fmt.Errorf("endorse: %w", status.Error(codes.Unavailable, "failed to find any endorsing peers for org(s): BankMSP"))
	otherPrecondition := fmt.Errorf("endorse: %w", status.Error(codes.FailedPrecondition, "chaincode definition for 'warrant' not found"))
	policy := RetryPolicy{MaxAttempts: 4, InitialBackoff: 10 * time.Millisecond, MaxBackoff: 25 * time.Millisecond}

	tests := []struct {
		name      string
		requestID string
		errs      []error
		calls     int
		wantErr   error
		commit    string
		code      warrant.Code
		unplanned bool       // the last error is IsEndorsementUnplanned
		grpc      codes.Code // the last error's gRPC status code, when it is one
	}{
		{name: "Retries an MVCC conflict of a request with a requestId until it commits", requestID: "PO-1", errs: []error{mvcc, mvcc}, calls: 3},
		{name: "Retries a phantom read conflict", requestID: "PO-2", errs: []error{phantom}, calls: 2},
		{name: "Does not retry a request without a requestId", errs: []error{mvcc}, calls: 1, commit: "MVCC_READ_CONFLICT"},
		{name: "Stops after the maximum attempts with the last conflict", requestID: "PO-3", errs: []error{mvcc, mvcc, mvcc, mvcc, mvcc}, calls: 4, commit: "MVCC_READ_CONFLICT"},
		{name: "Does not retry a chaincode rejection", requestID: "PO-4", errs: []error{rejection}, calls: 1, code: warrant.CodeForbidden},
		{name: "Retries endorsements with different results", requestID: "PO-6", errs: []error{mismatch}, calls: 2},
		{name: "Does not retry other commit failures", requestID: "PO-5", errs: []error{conflict(peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE)}, calls: 1, commit: "ENDORSEMENT_POLICY_FAILURE"},
		{name: "Retries an endorsement the gateway could not plan, even without a requestId", errs: []error{unplanned, orgUnseen}, calls: 3},
		{name: "Stops retrying an unplanned endorsement after the maximum attempts", errs: []error{unplanned, unplanned, unplanned, unplanned}, calls: 4, unplanned: true},
		{name: "Does not retry another refusal of the gateway", errs: []error{otherPrecondition}, calls: 1, grpc: codes.FailedPrecondition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeAttempts{errs: tt.errs}
			var slept []time.Duration
			sleep := func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
			var retried []int
			p := policy
			p.OnRetry = func(_ string, attempt int, _ error) { retried = append(retried, attempt) }

			result, err := retry(context.Background(), p, sleep, "issuance:Issue", tt.requestID, fake.attempt)

			require.Equal(t, tt.calls, fake.calls)
			require.Len(t, slept, tt.calls-1)
			require.Len(t, retried, tt.calls-1)
			if tt.commit == "" && tt.code == "" && !tt.unplanned && tt.grpc == codes.OK {
				require.NoError(t, err)
				require.JSONEq(t, `{"ok":true}`, string(result))
				return
			}
			require.Error(t, err)
			require.Equal(t, tt.commit, CommitCode(err))
			require.Equal(t, tt.code, Code(err))
			require.Equal(t, tt.unplanned, IsEndorsementUnplanned(err))
			if tt.grpc != codes.OK {
				require.Equal(t, tt.grpc, status.Code(err))
			}
		})
	}

	t.Run("Gives up when the context ends while waiting", func(t *testing.T) {
		fake := &fakeAttempts{errs: []error{mvcc, mvcc}}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := retry(ctx, policy, SleepContext, "issuance:Issue", "PO-6", fake.attempt)
		require.ErrorIs(t, err, context.Canceled)
		require.True(t, IsReadConflict(err))
		require.Equal(t, 1, fake.calls)
	})
}

func TestRetryBackoff(t *testing.T) {
	p := RetryPolicy{InitialBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	tests := []struct {
		retry int
		want  time.Duration
	}{
		{1, 100 * time.Millisecond},
		{2, 200 * time.Millisecond},
		{3, 400 * time.Millisecond},
		{4, 800 * time.Millisecond},
		{5, time.Second},
		{30, time.Second},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, p.backoff(tt.retry), "retry %d", tt.retry)
	}
}
