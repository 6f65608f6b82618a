package load

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Run prepares the ledger for the operation, then runs opts.Workers clients in
// closed loops (each submits, waits for the commit status, submits again) for
// opts.Count transactions or opts.Duration, and reports what committed. The CPU
// floor is measured first, while the machine is otherwise quiet.
func Run(ctx context.Context, opts Options) (*Report, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	say := func(format string, args ...any) {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, format+"\n", args...)
		}
	}
	floor, err := MeasureFloor(opts.FloorSample, opts.VerifiesPerTx)
	if err != nil {
		return nil, err
	}
	say("floor: %.0f tx/s on %d cores (sign %.0f µs, verify %.0f µs; %d signs and %d verifies per transaction)",
		floor.TPS, floor.Cores, floor.SignMicros, floor.VerifyMicros, floor.Signs, floor.Verifies)

	prepareStart := time.Now()
	p, err := newPreparer(opts.Members)
	if err != nil {
		return nil, err
	}
	defer p.close()
	say("onboarding the cast")
	if err := p.setUp(ctx); err != nil {
		return nil, err
	}
	say("preparing the ledger for %s", opts.Operation)
	load, err := prepare(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	parties := make([]*party, opts.Workers)
	for w := range parties {
		if parties[w], err = connect(load.actor(w)); err != nil {
			return nil, err
		}
		defer parties[w].close()
	}
	if w, ok := load.(warmer); ok && opts.Count == 0 {
		say("warming up, then preparing for the rate it reaches")
		if err := w.warmUp(ctx, opts, floor, parties); err != nil {
			return nil, err
		}
	}
	prepared := time.Since(prepareStart)
	say("prepared in %.1fs; running %d workers", prepared.Seconds(), opts.Workers)

	report, err := drive(ctx, opts, load, parties)
	if err != nil {
		return nil, err
	}
	report.PrepareSeconds = prepared.Seconds()
	if s, ok := load.(*splitLoad); ok {
		report.Prepared = s.prepared
	}
	if opts.Operation != OpQuery {
		report.Floor, report.FloorTPS = floor, floor.TPS
		if floor.TPS > 0 {
			report.Efficiency = report.TPS / floor.TPS
		}
	}
	return report, nil
}

// drive runs the workers and tallies their outcomes.
func drive(ctx context.Context, opts Options, load workload, parties []*party) (*Report, error) {
	outcomes := make(chan outcome, len(parties))
	var issued atomic.Int64
	var exhausted atomic.Bool
	var deadline time.Time
	start := time.Now()
	if opts.Count == 0 {
		deadline = start.Add(opts.Duration)
	}
	more := func() bool {
		if ctx.Err() != nil || exhausted.Load() {
			return false
		}
		if opts.Count > 0 {
			return issued.Add(1) <= int64(opts.Count)
		}
		return time.Now().Before(deadline)
	}
	var failure error
	var failureOnce sync.Once
	var wg sync.WaitGroup
	for w, p := range parties {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for more() {
				o, err := load.next(ctx, w, p)
				if errors.Is(err, errExhausted) {
					exhausted.Store(true)
					return
				}
				if err != nil {
					failureOnce.Do(func() { failure = err })
					return
				}
				outcomes <- o
			}
		}()
	}
	go func() { wg.Wait(); close(outcomes) }()

	t := newTally()
	bar := newProgressBar(opts.Progress)
	for o := range outcomes {
		t.add(o)
		fraction := time.Since(start).Seconds() / opts.Duration.Seconds()
		if opts.Count > 0 {
			fraction = float64(t.submitted) / float64(opts.Count)
		}
		bar.draw(fraction, len(t.latencies), t.submitted-len(t.latencies)-countAll(t.failed), countAll(t.failed), false)
	}
	elapsed := time.Since(start)
	bar.draw(1, len(t.latencies), t.submitted-len(t.latencies)-countAll(t.failed), countAll(t.failed), true)
	if failure != nil {
		return nil, failure
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("load run: %w", err)
	}
	report := t.report(opts.Operation, len(parties), elapsed)
	if exhausted.Load() {
		report.Note = fmt.Sprintf("the prepared warrants ran out after %.1fs", elapsed.Seconds())
	}
	return report, nil
}

// countAll sums the counts of a map.
func countAll(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
