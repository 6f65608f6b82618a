package load

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Report is the outcome of a load run.
type Report struct {
	// Operation is what was measured; Workers the concurrent clients.
	Operation string `json:"operation"`
	Workers   int    `json:"workers"`
	// Submitted counts transactions sent; Valid those committed VALID.
	Submitted int `json:"submitted"`
	Valid     int `json:"valid"`
	// Invalid counts committed transactions by their validation code
	// (MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE, ...).
	Invalid map[string]int `json:"invalid"`
	// Failed counts transactions that never committed (endorsement refused,
	// orderer refused, timeout), by reason; FirstError is one such error.
	Failed     map[string]int `json:"failed"`
	FirstError string         `json:"first_error,omitempty"`
	// Seconds is the measured wall time; PrepareSeconds the untimed setup
	// (with a duration run's warm-up), which prepared Prepared warrants.
	Seconds        float64 `json:"seconds"`
	PrepareSeconds float64 `json:"prepare_seconds"`
	Prepared       int     `json:"prepared,omitempty"`
	// TPS is valid transactions per second (for queries: answered evaluations).
	TPS float64 `json:"tps"`
	// P50ms, P95ms and P99ms are latencies of the valid transactions, from the
	// proposal to the commit status (for queries: the evaluation).
	P50ms float64 `json:"p50_ms"`
	P95ms float64 `json:"p95_ms"`
	P99ms float64 `json:"p99_ms"`
	// Floor is the signature-work bound measured before the run; FloorTPS its
	// throughput and Efficiency = TPS / FloorTPS (endorsed operations only).
	Floor      Floor   `json:"floor"`
	FloorTPS   float64 `json:"floor_tps"`
	Efficiency float64 `json:"efficiency"`
	// Note says why a run ended early, if it did.
	Note string `json:"note,omitempty"`
}

// JSON returns the report as one line of JSON.
func (r *Report) JSON() ([]byte, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return data, nil
}

// String is a one-paragraph summary for people.
func (r *Report) String() string {
	s := fmt.Sprintf("%s: %d workers, %d valid of %d in %.1fs: %.0f tx/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms",
		r.Operation, r.Workers, r.Valid, r.Submitted, r.Seconds, r.TPS, r.P50ms, r.P95ms, r.P99ms)
	if r.FloorTPS > 0 {
		s += fmt.Sprintf("; floor %.0f tx/s (%d cores, sign %.0f µs, verify %.0f µs), efficiency %.2f",
			r.FloorTPS, r.Floor.Cores, r.Floor.SignMicros, r.Floor.VerifyMicros, r.Efficiency)
	}
	if len(r.Invalid) > 0 {
		s += fmt.Sprintf("; invalid %v", r.Invalid)
	}
	if len(r.Failed) > 0 {
		s += fmt.Sprintf("; failed %v", r.Failed)
	}
	if r.Note != "" {
		s += "; " + r.Note
	}
	return s
}

// tally collects the outcomes of a run; it is owned by one goroutine.
type tally struct {
	latencies  []time.Duration
	submitted  int
	invalid    map[string]int
	failed     map[string]int
	firstError string
}

func newTally() *tally {
	return &tally{invalid: map[string]int{}, failed: map[string]int{}}
}

func (t *tally) add(o outcome) {
	t.submitted++
	switch {
	case o.failure != "":
		t.failed[o.failure]++
		if t.firstError == "" && o.err != nil {
			t.firstError = o.err.Error()
		}
	case o.code != "":
		t.invalid[o.code]++
	default:
		t.latencies = append(t.latencies, o.latency)
	}
}

// report turns the tally into a report for a run of elapsed time.
func (t *tally) report(op string, workers int, elapsed time.Duration) *Report {
	r := &Report{Operation: op, Workers: workers, Submitted: t.submitted, Valid: len(t.latencies),
		Invalid: t.invalid, Failed: t.failed, FirstError: t.firstError, Seconds: elapsed.Seconds()}
	if elapsed > 0 {
		r.TPS = float64(r.Valid) / elapsed.Seconds()
	}
	sorted := slices.Clone(t.latencies)
	slices.Sort(sorted)
	r.P50ms, r.P95ms, r.P99ms = percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99)
	return r
}

// percentile returns the p-th latency of sorted ones, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}
