package ledger

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
)

// scanChunk is how many entries an iterator reads from Pebble at a time; no
// Pebble iterator outlives one refill, so an iterator left open holds nothing.
const scanChunk = 100

var errIteratorClosed = errors.New("iterator closed")

// StateIterator iterates over the results of a range query.
type StateIterator interface {
	// Next returns the next entry, or nil, nil at the end.
	Next() (*queryresult.KV, error)
	Close()
}

// HistoryIterator iterates over the modifications of a key, newest first.
type HistoryIterator interface {
	// Next returns the next modification, or nil, nil at the end.
	Next() (*queryresult.KeyModification, error)
	Close()
}

// Bookmarker is implemented by the range iterators: Bookmark returns the key
// following the last entry returned, or "" if the range has no more entries
// (the bookmark of a paginated query's response metadata).
type Bookmarker interface {
	Bookmark() string
}

type stateItem struct {
	key     string
	value   []byte
	version *kvrwset.Version
}

// rangeIterator scans committed state in chunks and records, for a
// simulation, the range query info Fabric records: the keys and versions
// returned, the last key returned as end key until the range is exhausted,
// then the query's end key with itr_exhausted set.
type rangeIterator struct {
	sim            *Simulator
	ns, start, end string
	pageSize       int32
	upper, resume  []byte
	prefixLen      int
	buf            []stateItem
	pos            int
	fetched, more  bool
	returned       int32
	exhausted      bool
	closed         bool
	endKey         string
	reads          []*kvrwset.KVRead
}

func (sim *Simulator) newRangeIterator(ns, start, end string, pageSize int32) (*rangeIterator, error) {
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	lower, upper := stateRangeBounds(ns, start, end)
	it := &rangeIterator{
		sim: sim, ns: ns, start: start, end: end, pageSize: pageSize,
		upper: upper, resume: lower, prefixLen: len(lower) - len(start),
	}
	sim.ranges = append(sim.ranges, it)
	return it, nil
}

// GetStateRangeScanIterator returns an iterator over the committed keys of ns
// in [start, end); an empty end means the end of the namespace.
func (sim *Simulator) GetStateRangeScanIterator(ns, start, end string) (StateIterator, error) {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if sim.done {
		return nil, ErrDone
	}
	return sim.newRangeIterator(ns, start, end, 0)
}

// GetStateRangeScanIteratorWithPagination is GetStateRangeScanIterator
// returning at most pageSize entries (no limit when pageSize is 0). As in
// Fabric, it fails in a transaction that wrote, and writes fail after it.
func (sim *Simulator) GetStateRangeScanIteratorWithPagination(ns, start, end string, pageSize int32) (StateIterator, error) {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if sim.done {
		return nil, ErrDone
	}
	if pageSize < 0 {
		return nil, fmt.Errorf("negative page size %d", pageSize)
	}
	if sim.record {
		if sim.wrote {
			return nil, fmt.Errorf("txid [%s]: %w", sim.txID, ErrPaginatedReadWrite)
		}
		sim.paginated = true
	}
	return sim.newRangeIterator(ns, start, end, pageSize)
}

// Next returns the next entry of the range, or nil, nil at its end.
func (it *rangeIterator) Next() (*queryresult.KV, error) {
	it.sim.mu.Lock()
	defer it.sim.mu.Unlock()
	switch {
	case it.sim.done:
		return nil, ErrDone
	case it.closed:
		return nil, errIteratorClosed
	case it.exhausted:
		return nil, nil
	}
	if it.pageSize > 0 && it.returned >= it.pageSize {
		it.markExhausted()
		return nil, nil
	}
	ok, err := it.ensure()
	if err != nil {
		return nil, err
	}
	if !ok {
		it.markExhausted()
		return nil, nil
	}
	item := it.buf[it.pos]
	it.pos++
	it.returned++
	if it.sim.record {
		it.reads = append(it.reads, &kvrwset.KVRead{Key: item.key, Version: item.version})
		it.endKey = item.key
	}
	return &queryresult.KV{Namespace: it.ns, Key: item.key, Value: item.value}, nil
}

// Bookmark returns the key after the last entry returned, or "" at the end of
// the range.
func (it *rangeIterator) Bookmark() string {
	it.sim.mu.Lock()
	defer it.sim.mu.Unlock()
	if it.closed {
		return ""
	}
	ok, err := it.ensure()
	if err != nil || !ok {
		return ""
	}
	return it.buf[it.pos].key
}

// ensure makes buf[pos] the next entry, reading a chunk if needed; false at
// the end of the range.
func (it *rangeIterator) ensure() (bool, error) {
	if it.pos < len(it.buf) {
		return true, nil
	}
	if it.fetched && !it.more {
		return false, nil
	}
	reader, err := it.sim.reader()
	if err != nil {
		return false, err
	}
	kvs, more, err := scan(reader, it.resume, it.upper, scanChunk)
	if err != nil {
		return false, fmt.Errorf("range query on %s: %w", it.ns, err)
	}
	it.fetched, it.more, it.pos = true, more, 0
	it.buf = it.buf[:0]
	for _, kv := range kvs {
		vv, err := decodeOwnedState(kv.value)
		if err != nil {
			return false, fmt.Errorf("range query on %s: decode %q: %w", it.ns, kv.key, err)
		}
		it.buf = append(it.buf, stateItem{key: string(kv.key[it.prefixLen:]), value: vv.Value, version: vv.Version})
	}
	if n := len(kvs); n > 0 {
		it.resume = append(kvs[n-1].key, 0)
	}
	return len(it.buf) > 0, nil
}

func (it *rangeIterator) markExhausted() {
	it.exhausted = true
	if it.sim.record {
		it.endKey = it.end
	}
}

// rangeInfo returns the range query info recorded so far; sim.mu is held.
func (it *rangeIterator) rangeInfo() *kvrwset.RangeQueryInfo {
	info := &kvrwset.RangeQueryInfo{StartKey: it.start, EndKey: it.endKey, ItrExhausted: it.exhausted}
	if len(it.reads) > 0 {
		info.ReadsInfo = &kvrwset.RangeQueryInfo_RawReads{RawReads: &kvrwset.QueryReads{
			KvReads: append([]*kvrwset.KVRead(nil), it.reads...),
		}}
	}
	return info
}

// Close ends the iteration; the range query info stays recorded.
func (it *rangeIterator) Close() {
	it.sim.mu.Lock()
	defer it.sim.mu.Unlock()
	it.closeLocked()
}

func (it *rangeIterator) closeLocked() {
	it.closed = true
	it.buf = nil
}
