package client

import (
	"context"
	"time"
)

// Option changes how a Client connects and calls.
type Option func(*options)

type options struct {
	evaluateTimeout     time.Duration
	endorseTimeout      time.Duration
	submitTimeout       time.Duration
	commitStatusTimeout time.Duration
	retry               RetryPolicy
	sleep               func(context.Context, time.Duration) error
	clock               func() time.Time
}

func defaultOptions() options {
	return options{
		evaluateTimeout:     30 * time.Second,
		endorseTimeout:      30 * time.Second,
		submitTimeout:       30 * time.Second,
		commitStatusTimeout: time.Minute,
		retry:               DefaultRetryPolicy(),
		sleep:               SleepContext,
	}
}

// WithEvaluateTimeout bounds each query (default 30s).
func WithEvaluateTimeout(d time.Duration) Option {
	return func(o *options) { o.evaluateTimeout = d }
}

// WithEndorseTimeout bounds the endorsement of each transaction (default 30s).
func WithEndorseTimeout(d time.Duration) Option {
	return func(o *options) { o.endorseTimeout = d }
}

// WithSubmitTimeout bounds the submission of each endorsed transaction to the orderer
// (default 30s).
func WithSubmitTimeout(d time.Duration) Option {
	return func(o *options) { o.submitTimeout = d }
}

// WithCommitStatusTimeout bounds the wait for each transaction's commit (default 1m).
func WithCommitStatusTimeout(d time.Duration) Option {
	return func(o *options) { o.commitStatusTimeout = d }
}

// WithRetry sets the retry policy for read conflicts of requests with a requestId.
func WithRetry(policy RetryPolicy) Option {
	return func(o *options) { o.retry = policy }
}

// WithClock makes the client stamp every proposal it sends with the time clock
// reads, instead of the current time: the proposal timestamp is the ledger time of
// the transaction. The endorsers refuse a timestamp further than their allowed clock
// skew from their own clocks (R19), so a clock may run only that far from theirs.
// It lets tools and tests act at a chosen time within that window, such as a
// maturity a few seconds ahead.
func WithClock(clock func() time.Time) Option {
	return func(o *options) { o.clock = clock }
}

// withTimeout derives a context bounded by d, or ctx itself when d is not positive.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

// SleepContext waits for d, or less if ctx ends first (then it returns ctx's
// error): the backoff the client's retries use, for callers that pace their own.
func SleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
