package ledger

import (
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
)

// historyIterator reads the history entries of one key in chunks, newest
// first (the entries' keys hold inverted block and tx numbers).
type historyIterator struct {
	sim           *Simulator
	ns, key       string
	upper, resume []byte
	buf           []rawKV
	pos           int
	fetched, more bool
	closed        bool
}

// GetHistoryForKey returns the modifications of key by valid transactions,
// newest first. History reads are not recorded in the read-write set.
func (sim *Simulator) GetHistoryForKey(ns, key string) (HistoryIterator, error) {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if sim.done {
		return nil, ErrDone
	}
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	prefix := historyPrefix(ns, key)
	it := &historyIterator{sim: sim, ns: ns, key: key, upper: prefixUpper(prefix), resume: prefix}
	sim.histories = append(sim.histories, it)
	return it, nil
}

// Next returns the next older modification, or nil, nil when there is none.
func (it *historyIterator) Next() (*queryresult.KeyModification, error) {
	it.sim.mu.Lock()
	defer it.sim.mu.Unlock()
	if it.sim.done {
		return nil, ErrDone
	}
	if it.closed {
		return nil, errIteratorClosed
	}
	if it.pos == len(it.buf) {
		if it.fetched && !it.more {
			return nil, nil
		}
		reader, err := it.sim.reader()
		if err != nil {
			return nil, err
		}
		kvs, more, err := scan(reader, it.resume, it.upper, scanChunk)
		if err != nil {
			return nil, fmt.Errorf("history of %s/%q: %w", it.ns, it.key, err)
		}
		it.buf, it.pos, it.fetched, it.more = kvs, 0, true, more
		if len(kvs) == 0 {
			return nil, nil
		}
		it.resume = append(kvs[len(kvs)-1].key, 0)
	}
	block, tx, err := historyPosition(it.buf[it.pos].key)
	if err != nil {
		return nil, fmt.Errorf("history of %s/%q: %w", it.ns, it.key, err)
	}
	if _, err := it.sim.reader(); err != nil {
		return nil, err // the simulation ended
	}
	modification, err := it.sim.store.historyModification(it.ns, it.key, block, tx)
	if err != nil {
		return nil, fmt.Errorf("history of %s/%q: %w", it.ns, it.key, err)
	}
	it.pos++
	return modification, nil
}

// Close ends the iteration.
func (it *historyIterator) Close() {
	it.sim.mu.Lock()
	defer it.sim.mu.Unlock()
	it.closeLocked()
}

func (it *historyIterator) closeLocked() {
	it.closed = true
	it.buf = nil
}
