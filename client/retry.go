package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// RetryPolicy bounds the automatic retries of mutations: of any mutation the gateway
// could not plan endorsers for (IsEndorsementUnplanned: nothing was endorsed or
// ordered), and of mutations that carry a requestId and fail on a conflict with a
// concurrent transaction: a read conflict at commit (MVCC_READ_CONFLICT,
// PHANTOM_READ_CONFLICT) or endorsements with different results. The wait
// before retry n (n = 1, 2, ...) is InitialBackoff·2^(n-1), capped at MaxBackoff, plus
// a random jitter of up to half of it so that conflicting clients drift apart.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts; 1 or less disables retries.
	MaxAttempts int
	// InitialBackoff is the wait before the first retry.
	InitialBackoff time.Duration
	// MaxBackoff caps the wait between attempts.
	MaxBackoff time.Duration
	// OnRetry, if set, is called before each retry with the failed attempt's number
	// and error.
	OnRetry func(function string, attempt int, err error)
}

// DefaultRetryPolicy makes up to 8 attempts, waiting from 100ms up to 2s (about 7 s
// in all, longer than the 5 s between a Fabric peer's gossip alive messages).
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 8, InitialBackoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second}
}

// NoRetry disables retries.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

// backoff is the wait before retry n (n >= 1), without jitter.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.InitialBackoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	if p.MaxBackoff > 0 && d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	return d
}

// IsReadConflict reports whether err is a commit failure on an MVCC or phantom read
// conflict: the transaction read state that another transaction changed first.
func IsReadConflict(err error) bool {
	var commitErr *CommitError
	if !errors.As(err, &commitErr) {
		return false
	}
	return commitErr.Code == peer.TxValidationCode_MVCC_READ_CONFLICT ||
		commitErr.Code == peer.TxValidationCode_PHANTOM_READ_CONFLICT
}

// IsEndorsementMismatch reports whether the endorsing peers returned different
// results: one of them had committed a block the other had not yet, so they
// simulated on different state. Like a read conflict, trying again resolves it.
func IsEndorsementMismatch(err error) bool {
	st, ok := status.FromError(err)
	if !ok {
		return false
	}
	for _, detail := range st.Details() {
		if errorDetail, ok := detail.(*gateway.ErrorDetail); ok && strings.Contains(errorDetail.GetMessage(), payloadMismatch) {
			return true
		}
	}
	return false
}

// payloadMismatch is how a Fabric gateway reports endorsements with different results.
const payloadMismatch = "ProposalResponsePayloads do not match"

// IsEndorsementUnplanned reports whether the gateway found no peers that together
// satisfy the endorsement policy, or none of an org it had to ask. A Fabric gateway
// learns its channel's peers and their chaincodes by gossip, so one that has lost
// sight of a peer (a restart, a busy machine) refuses until discovery sees it again.
// No peer endorsed and nothing was ordered: any request may be tried again.
func IsEndorsementUnplanned(err error) bool {
	st, ok := status.FromError(err)
	if !ok {
		return false
	}
	switch st.Code() {
	case codes.FailedPrecondition:
		return strings.Contains(st.Message(), "no combination of peers can be derived")
	case codes.Unavailable:
		return strings.Contains(st.Message(), "failed to find any endorsing peers")
	}
	return false
}

// retriable reports whether a failed request may succeed when tried again: the
// gateway could not plan its endorsement, or, for a request with a requestId (which
// the chaincode makes idempotent, R4b), it lost a conflict with a concurrent
// transaction.
func retriable(requestID string, err error) bool {
	return IsEndorsementUnplanned(err) || requestID != "" && (IsReadConflict(err) || IsEndorsementMismatch(err))
}

// retry runs attempt until it succeeds, fails with an error that is not retriable,
// or the policy's attempts are used up.
func retry(ctx context.Context, p RetryPolicy, sleep func(context.Context, time.Duration) error,
	function, requestID string, attempt func(context.Context) ([]byte, error)) ([]byte, error) {
	for n := 1; ; n++ {
		result, err := attempt(ctx)
		if err == nil || n >= p.MaxAttempts || !retriable(requestID, err) {
			if err != nil && n > 1 {
				err = fmt.Errorf("after %d attempts: %w", n, err)
			}
			return result, err
		}
		if p.OnRetry != nil {
			p.OnRetry(function, n, err)
		}
		wait := p.backoff(n)
		if wait > 1 {
			wait += rand.N(wait / 2)
		}
		if sleepErr := sleep(ctx, wait); sleepErr != nil {
			return nil, fmt.Errorf("retry %s: %w (last error: %w)", function, sleepErr, err)
		}
	}
}
