package load

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// errExhausted ends a worker that has no prepared warrant left.
var errExhausted = errors.New("prepared warrants used up")

// workload is an operation ready to run: worker w's next transaction.
type workload interface {
	// actor is the member worker w acts as.
	actor(w int) Member
	// next runs worker w's next transaction as p.
	next(ctx context.Context, w int, p *party) (outcome, error)
}

// prepare readies op for the options' workers and size. A split-transfer run of a
// duration gets the warrants of its warm-up here, the rest after it (warmUp).
func prepare(ctx context.Context, p *preparer, opts Options) (workload, error) {
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
		transactions := opts.Count
		if transactions == 0 {
			transactions = warmUpTransactions(opts)
		}
		l := &splitLoad{p: p, chain: opts.Chain, queues: make([][]string, len(p.workerHolders)),
			current: make([]string, opts.Workers), used: make([]int, opts.Workers)}
		if err := l.provide(ctx, opts, transactions); err != nil {
			return nil, err
		}
		return l, nil
	}
}

// warmer is a workload that a run of a duration warms up, untimed, before the
// timed run, and that learns from the warm-up what the run needs.
type warmer interface {
	warmUp(ctx context.Context, opts Options, floor Floor, parties []*party) error
}

// issueLoad has every worker issue warrants as the issuer.
type issueLoad struct{ p *preparer }

func (l *issueLoad) actor(int) Member { return l.p.cast.issuer }

func (l *issueLoad) next(ctx context.Context, w int, p *party) (outcome, error) {
	holder := l.p.workerHolders[w%len(l.p.workerHolders)]
	start := time.Now()
	_, err := p.client.Issue(ctx, l.p.issueRequest(holder, partAmount))
	return outcomeOf(start, err), nil
}

// queryLoad has every worker read one warrant as its holder: the chaincode answers
// only the parties of a warrant (R20).
type queryLoad struct {
	p  *preparer
	id string
}

func (l *queryLoad) actor(int) Member { return l.p.source }

func (l *queryLoad) next(ctx context.Context, _ int, p *party) (outcome, error) {
	start := time.Now()
	_, err := p.client.GetWarrant(ctx, l.id)
	o := outcomeOf(start, err)
	if o.failure != "" {
		o.failure = "evaluate"
	}
	return o, nil
}

// splitLoad has every worker split-transfer one part of its current warrant to
// the next holder, then continue on the remainder; after chain splits, or when a
// split fails, it takes a fresh prepared warrant. Workers never share a warrant.
type splitLoad struct {
	p     *preparer
	chain int
	// prepared counts the leaves prepared in all.
	prepared int

	mu      sync.Mutex
	queues  [][]string // worker holder → its unused leaves
	current []string   // worker → warrant it splits next ("" = take a leaf)
	used    []int      // worker → splits made on its current leaf
}

// Sizing of a split-transfer run of a duration.
const (
	// warmUpChains is how many chains of splits each worker makes in the warm-up.
	warmUpChains = 1
	// runHeadroom is how much faster than its warm-up the timed run is provisioned
	// to go (never beyond the CPU floor): caches are warm by then, and a run that
	// uses up its warrants early says so in its report.
	runHeadroom = 1.8
)

// warmUpTransactions is the size of a duration run's warm-up.
func warmUpTransactions(opts Options) int { return warmUpChains * opts.Workers * opts.Chain }

// warmUp runs the warm-up, untimed, and prepares warrants for the timed run at
// runHeadroom times the warm-up's rate, capped by the floor. Sizing by the floor
// alone would prepare ten times what a run uses: the dev network runs at about a
// tenth of it.
func (l *splitLoad) warmUp(ctx context.Context, opts Options, floor Floor, parties []*party) error {
	warm := opts
	warm.Count, warm.Progress = warmUpTransactions(opts), nil
	report, err := drive(ctx, warm, l, parties)
	if err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	return l.provide(ctx, opts, runTransactions(report.TPS, floor.TPS, opts.Duration))
}

// runTransactions is how many splits a timed run of d is provisioned for:
// runHeadroom times the warm-up's rate, never more than the floor's rate (the
// floor's when the warm-up committed nothing).
func runTransactions(warmUpTPS, floorTPS float64, d time.Duration) int {
	rate := warmUpTPS * runHeadroom
	if floorTPS > 0 && (rate <= 0 || rate > floorTPS) {
		rate = floorTPS
	}
	return int(math.Ceil(rate * d.Seconds()))
}

// provide prepares enough more leaves for transactions more splits, with a margin
// for uneven workers, and queues them for their holders.
func (l *splitLoad) provide(ctx context.Context, opts Options, transactions int) error {
	// Leaves come evenly per holder while the busiest holder serves
	// ceil(workers/width) workers, whose pace varies: provision for the busiest
	// holder with half as much again.
	width := len(l.p.workerHolders)
	busiest := (opts.Workers + width - 1) / width
	share := float64(busiest) / float64(opts.Workers)
	perHolder := int(math.Ceil(1.5*share*float64(transactions)/float64(opts.Chain))) + busiest
	needed := perHolder * width
	fresh, err := l.p.leaves(ctx, needed, int64(opts.Chain+1)*partAmount)
	if err != nil {
		return fmt.Errorf("prepare %d warrants: %w", needed, err)
	}
	l.prepared += len(fresh)
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, each := range fresh {
		l.queues[each.holder] = append(l.queues[each.holder], each.id)
	}
	return nil
}

func (l *splitLoad) holder(w int) int { return w % len(l.p.workerHolders) }

func (l *splitLoad) actor(w int) Member { return l.p.workerHolders[l.holder(w)] }

func (l *splitLoad) next(ctx context.Context, w int, p *party) (outcome, error) {
	h := l.holder(w)
	l.mu.Lock()
	id, used := l.current[w], l.used[w]
	if id == "" {
		if len(l.queues[h]) == 0 {
			l.mu.Unlock()
			return outcome{}, errExhausted
		}
		id, used = l.queues[h][0], 0
		l.queues[h] = l.queues[h][1:]
	}
	l.mu.Unlock()
	recipient := l.p.workerHolders[(h+1)%len(l.p.workerHolders)]
	request := warrant.SplitTransferRequest{WarrantID: id, Parts: []warrant.Part{{Recipient: recipient.Entity, Amount: partAmount}}}
	start := time.Now()
	split, err := p.client.SplitTransfer(ctx, request)
	o := outcomeOf(start, err)
	next := ""
	if o.ok() && used+1 < l.chain && len(split.Children) == 2 {
		next = split.Children[1].ID // the remainder of a one-part split
	}
	l.mu.Lock()
	l.current[w], l.used[w] = next, used+1
	l.mu.Unlock()
	return o, nil
}
