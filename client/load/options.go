package load

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// Operations Run can measure.
const (
	// OpSplitTransfer: each worker split-transfers one part of its own warrants
	// to another holder, again and again (the default).
	OpSplitTransfer = "split-transfer"
	// OpIssue: the core enterprise issues warrants. Every issue consumes the one
	// credit line, so concurrent issues conflict (MVCC_READ_CONFLICT): this
	// measures the contended path.
	OpIssue = "issue"
	// OpQuery: holders evaluate GetWarrant on one peer, no ordering.
	OpQuery = "query"
)

// Operations lists the operations Run accepts.
var Operations = []string{OpSplitTransfer, OpIssue, OpQuery}

// Defaults of Options.
const (
	DefaultWorkers  = 64
	DefaultDuration = 10 * time.Second
	DefaultChain    = 8
	DefaultSample   = 500 * time.Millisecond
)

// Options tell Run what to measure.
type Options struct {
	// Workers is the number of concurrent clients, each with its own gateway
	// connection; 0 means DefaultWorkers.
	Workers int
	// Count is the number of transactions to submit; when 0, the run lasts
	// Duration (DefaultDuration when 0 too).
	Count    int
	Duration time.Duration
	// Operation is one of Operations; empty means OpSplitTransfer.
	Operation string
	// Members are the identities of the network to load (MembersInDir,
	// MembersInFile): the cast is picked from their certificate attributes, and
	// each worker connects as a holder among them.
	Members []Member
	// Progress receives a progress bar and the preparation's steps; nil is silent.
	Progress io.Writer
	// Chain is how many split-transfers a worker makes on one prepared warrant
	// (each on the remainder of the last) before it takes the next; 0 means
	// DefaultChain. Longer chains need fewer prepared warrants but walk a longer
	// lineage in the chaincode.
	Chain int
	// FloorSample is how long each of the sign and verify rates is measured;
	// 0 means DefaultSample.
	FloorSample time.Duration
	// VerifiesPerTx is how many signature verifications the loaded network
	// makes per transaction, for the floor: FabricVerifiesPerTx (when 0) or
	// SharedVerifiesPerTx for the dev network.
	VerifiesPerTx int
}

// withDefaults fills in the defaults and checks the options.
func (o Options) withDefaults() (Options, error) {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.Count == 0 && o.Duration == 0 {
		o.Duration = DefaultDuration
	}
	if o.Operation == "" {
		o.Operation = OpSplitTransfer
	}
	if o.Chain == 0 {
		o.Chain = DefaultChain
	}
	if o.FloorSample == 0 {
		o.FloorSample = DefaultSample
	}
	if o.VerifiesPerTx == 0 {
		o.VerifiesPerTx = FabricVerifiesPerTx
	}
	switch {
	case o.Workers < 0:
		return o, fmt.Errorf("workers must be positive, got %d", o.Workers)
	case o.Count < 0 || o.Duration < 0:
		return o, fmt.Errorf("count and duration must not be negative")
	case !slices.Contains(Operations, o.Operation):
		return o, fmt.Errorf("unknown operation %q, want one of %v", o.Operation, Operations)
	case o.VerifiesPerTx < 0:
		return o, fmt.Errorf("verifications per transaction must not be negative, got %d", o.VerifiesPerTx)
	case o.Chain < 1 || o.Chain > 15:
		return o, fmt.Errorf("chain must be 1 to 15, got %d", o.Chain)
	case len(o.Members) == 0:
		return o, errors.New("no identities to load the network with")
	}
	return o, nil
}
