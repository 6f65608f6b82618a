package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// errExhausted ends a worker that has no prepared warrant left.
var errExhausted = errors.New("prepared warrants used up")

// workload is an operation ready to run: worker w's next transaction.
type workload interface {
	// actor is the member worker w acts as.
	actor(w int) member
	// next runs worker w's next transaction as p.
	next(ctx context.Context, w int, p *party) (outcome, error)
}

// prepare readies op for the options' workers and size.
func prepare(ctx context.Context, p *preparer, opts Options, floor Floor) (workload, error) {
	switch opts.Operation {
	case OpIssue:
		return &issueLoad{p: p}, nil
	case OpQuery:
		roots, err := p.activeRoots(ctx, 1, partAmount)
		if err != nil {
			return nil, err
		}
		return &queryLoad{p: p, id: roots[0]}, nil
	default:
		return prepareSplits(ctx, p, opts, floor)
	}
}

// issueLoad has every worker issue warrants as the issuer.
type issueLoad struct{ p *preparer }

func (l *issueLoad) actor(int) member { return l.p.cast.issuer }

func (l *issueLoad) next(ctx context.Context, w int, p *party) (outcome, error) {
	holder := l.p.workerHolders[w%len(l.p.workerHolders)]
	return p.submit(ctx, "issuance:Issue", l.p.issueRequest(holder, partAmount)), nil
}

// queryLoad has every worker read one warrant as its holder: the chaincode answers
// only the parties of a warrant (R20).
type queryLoad struct {
	p  *preparer
	id string
}

func (l *queryLoad) actor(int) member { return l.p.source }

func (l *queryLoad) next(ctx context.Context, _ int, p *party) (outcome, error) {
	return p.evaluate(ctx, "query:GetWarrant", l.id), nil
}

// splitLoad has every worker split-transfer one part of its current warrant to
// the next holder, then continue on the remainder; after chain splits, or when a
// split fails, it takes a fresh prepared warrant. Workers never share a warrant.
type splitLoad struct {
	p     *preparer
	chain int
	// queues hold each worker holder's unused leaves.
	queues []chan string

	mu      sync.Mutex
	current []string // worker → warrant it splits next ("" = take a leaf)
	used    []int    // worker → splits made on its current leaf
}

// prepareSplits prepares enough leaves for the run: for a count, one per chain
// of splits plus one per worker; for a duration, as many as the floor's rate
// (with a fifth more) could use; with a margin for uneven workers.
func prepareSplits(ctx context.Context, p *preparer, opts Options, floor Floor) (*splitLoad, error) {
	transactions := opts.Count
	if transactions == 0 {
		rate := floor.TPS
		if rate <= 0 {
			rate = 1000
		}
		transactions = int(math.Ceil(rate * 1.2 * opts.Duration.Seconds()))
	}
	// Leaves come evenly per holder while the busiest holder serves
	// ceil(workers/width) workers, whose pace varies: provision for the busiest
	// holder with half as much again.
	width := len(p.workerHolders)
	busiest := (opts.Workers + width - 1) / width
	share := float64(busiest) / float64(opts.Workers)
	perHolder := int(math.Ceil(1.5*share*float64(transactions)/float64(opts.Chain))) + busiest
	needed := perHolder * width
	all, err := p.leaves(ctx, needed, int64(opts.Chain+1)*partAmount)
	if err != nil {
		return nil, fmt.Errorf("prepare %d warrants: %w", needed, err)
	}
	l := &splitLoad{p: p, chain: opts.Chain, queues: make([]chan string, width),
		current: make([]string, opts.Workers), used: make([]int, opts.Workers)}
	for h := range l.queues {
		l.queues[h] = make(chan string, len(all))
	}
	for _, each := range all {
		l.queues[each.holder] <- each.id
	}
	return l, nil
}

func (l *splitLoad) holder(w int) int { return w % len(l.p.workerHolders) }

func (l *splitLoad) actor(w int) member { return l.p.workerHolders[l.holder(w)] }

func (l *splitLoad) next(ctx context.Context, w int, p *party) (outcome, error) {
	h := l.holder(w)
	l.mu.Lock()
	id, used := l.current[w], l.used[w]
	l.mu.Unlock()
	if id == "" {
		select {
		case id = <-l.queues[h]:
			used = 0
		default:
			return outcome{}, errExhausted
		}
	}
	recipient := l.p.workerHolders[(h+1)%len(l.p.workerHolders)]
	request := warrant.SplitTransferRequest{WarrantID: id, Parts: []warrant.Part{{Recipient: recipient.Entity, Amount: partAmount}}}
	o := p.submit(ctx, "transfer:SplitTransfer", request)
	next := ""
	if o.ok() && used+1 < l.chain {
		next = remainderOf(o.result)
	}
	l.mu.Lock()
	l.current[w], l.used[w] = next, used+1
	l.mu.Unlock()
	return o, nil
}

// remainderOf is the id of the remainder of a one-part split, its last child,
// or "" if the result does not name one.
func remainderOf(result []byte) string {
	var split warrant.SplitResult
	if json.Unmarshal(result, &split) != nil || len(split.Children) != 2 {
		return ""
	}
	return split.Children[1].ID
}
