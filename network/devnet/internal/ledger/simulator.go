package ledger

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"unicode/utf8"

	"github.com/cockroachdb/pebble"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"google.golang.org/protobuf/proto"
)

// Errors returned by a Simulator.
var (
	// ErrDone: the simulator is used after Done.
	ErrDone = errors.New("simulator used after Done")
	// ErrReadOnly: a write on a query executor.
	ErrReadOnly = errors.New("query executor is read-only")
	// ErrPaginatedReadWrite: Fabric supports paginated queries only in
	// read-only transactions.
	ErrPaginatedReadWrite = errors.New("paginated queries are supported only in a read-only transaction")
)

// Simulator executes one transaction against committed state, as Fabric's
// TxSimulator does: reads see committed state only (no read-your-own-writes)
// and are recorded once per key with the version read (nil when absent);
// writes, deletes and metadata writes are recorded, the last one per key
// winning; range queries record what they returned for phantom-read checks.
// Every read, range and history query of a simulation sees one ledger height,
// the one committed when it began: it reads a Pebble snapshot taken then
// (blocks committed meanwhile are not seen). Done releases the snapshot.
// A query executor ([Store.NewQueryExecutor]) records nothing and rejects
// writes. A Simulator is safe for concurrent use.
type Simulator struct {
	store  *Store
	txID   string
	record bool
	// height is the state height of the snapshot: blocks whose state it holds.
	height uint64

	mu sync.Mutex
	// snapshot is the state the simulation reads; nil once released (or when
	// the store was closed at the start: then snapshotErr says so).
	snapshot      *pebble.Snapshot
	snapshotErr   error
	namespaces    map[string]*nsBuilder
	ranges        []*rangeIterator // creation order
	histories     []*historyIterator
	wrote         bool
	paginated     bool
	done          bool
	resultsLocked bool
	results       *rwset.TxReadWriteSet
	// collections record private data reads and writes (see privdata.go):
	// namespace → collection → builder.
	collections map[string]map[string]*collBuilder
	// pvtQueried: a range query on private data was run (writes then fail).
	pvtQueried bool
	pvtResults *rwset.TxPvtReadWriteSet
}

type nsBuilder struct {
	reads    map[string]*kvrwset.KVRead
	writes   map[string]*kvrwset.KVWrite
	mdWrites map[string]*kvrwset.KVMetadataWrite
}

// NewSimulator returns a simulator for transaction txID that records a
// read-write set. Call Done when finished.
func (s *Store) NewSimulator(txID string) *Simulator {
	return s.newSimulator(txID, true)
}

// NewQueryExecutor returns a read-only simulator for evaluations: it records
// nothing and its writes fail with ErrReadOnly. Call Done when finished.
func (s *Store) NewQueryExecutor() *Simulator {
	return s.newSimulator("", false)
}

func (s *Store) newSimulator(txID string, record bool) *Simulator {
	sim := &Simulator{store: s, txID: txID, record: record, namespaces: map[string]*nsBuilder{}}
	sim.snapshot, sim.height, sim.snapshotErr = s.snapshot(sim)
	return sim
}

// reader is the snapshot to read; sim.mu is held.
func (sim *Simulator) reader() (pebble.Reader, error) {
	switch {
	case sim.done:
		return nil, ErrDone
	case sim.snapshotErr != nil:
		return nil, sim.snapshotErr
	case sim.snapshot == nil:
		return nil, ErrClosed
	}
	return sim.snapshot, nil
}

// releaseSnapshot closes the simulation's snapshot, once.
func (sim *Simulator) releaseSnapshot() {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	sim.releaseSnapshotLocked()
}

func (sim *Simulator) releaseSnapshotLocked() bool {
	if sim.snapshot == nil {
		return false
	}
	_ = sim.snapshot.Close()
	sim.snapshot = nil
	return true
}

func (sim *Simulator) ns(ns string) *nsBuilder {
	b := sim.namespaces[ns]
	if b == nil {
		b = &nsBuilder{
			reads:    map[string]*kvrwset.KVRead{},
			writes:   map[string]*kvrwset.KVWrite{},
			mdWrites: map[string]*kvrwset.KVMetadataWrite{},
		}
		sim.namespaces[ns] = b
	}
	return b
}

// read returns the committed entry of a key and records the read.
func (sim *Simulator) read(ns, key string) (*VersionedValue, error) {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	reader, err := sim.reader()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	rec, err := sim.store.stateRecord(reader, sim.height, ns, key)
	if err != nil {
		return nil, err
	}
	var vv *VersionedValue
	if rec != nil {
		if vv, err = decodeState(rec); err != nil {
			return nil, fmt.Errorf("decode state %s/%q: %w", ns, key, err)
		}
	}
	if sim.record {
		b := sim.ns(ns)
		if _, seen := b.reads[key]; !seen {
			var ver *kvrwset.Version
			if vv != nil {
				ver = vv.Version
			}
			b.reads[key] = &kvrwset.KVRead{Key: key, Version: ver}
		}
	}
	return vv, nil
}

// GetState returns the committed value of key (nil if absent) and records the read.
func (sim *Simulator) GetState(ns, key string) ([]byte, error) {
	vv, err := sim.read(ns, key)
	if err != nil || vv == nil {
		return nil, err
	}
	return vv.Value, nil
}

// GetStateMetadata returns the committed metadata of key (nil if none) and
// records the read, as Fabric does.
func (sim *Simulator) GetStateMetadata(ns, key string) (map[string][]byte, error) {
	vv, err := sim.read(ns, key)
	if err != nil || vv == nil {
		return nil, err
	}
	return vv.Metadata, nil
}

// checkWrite applies Fabric's write preconditions; sim.mu is held.
func (sim *Simulator) checkWrite(ns, key string) error {
	switch {
	case sim.done:
		return ErrDone
	case !sim.record:
		return ErrReadOnly
	case sim.resultsLocked:
		return fmt.Errorf("txid [%s]: write after the results were computed", sim.txID)
	case sim.paginated:
		return fmt.Errorf("txid [%s]: transaction has already performed a paginated query: %w", sim.txID, ErrPaginatedReadWrite)
	case sim.pvtQueried:
		return fmt.Errorf("txid [%s]: transaction has already performed queries on private data: %w", sim.txID, ErrPrivateQueryReadWrite)
	}
	if err := checkNamespace(ns); err != nil {
		return err
	}
	if !utf8.ValidString(key) {
		return fmt.Errorf("invalid key [%x], must be a UTF-8 string", key)
	}
	sim.wrote = true
	return nil
}

// SetState records a write of value to key; an empty value is a delete.
func (sim *Simulator) SetState(ns, key string, value []byte) error {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if err := sim.checkWrite(ns, key); err != nil {
		return err
	}
	w := &kvrwset.KVWrite{Key: key, IsDelete: len(value) == 0}
	if !w.IsDelete {
		w.Value = append([]byte(nil), value...)
	}
	sim.ns(ns).writes[key] = w
	return nil
}

// DeleteState records the deletion of key.
func (sim *Simulator) DeleteState(ns, key string) error {
	return sim.SetState(ns, key, nil)
}

// SetStateMetadata records a metadata write for key; an empty map deletes
// the key's metadata.
func (sim *Simulator) SetStateMetadata(ns, key string, md map[string][]byte) error {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if err := sim.checkWrite(ns, key); err != nil {
		return err
	}
	mw := &kvrwset.KVMetadataWrite{Key: key}
	for _, name := range sortedNames(md) {
		mw.Entries = append(mw.Entries, &kvrwset.KVMetadataEntry{
			Name: name, Value: append([]byte(nil), md[name]...),
		})
	}
	sim.ns(ns).mdWrites[key] = mw
	return nil
}

// Results returns the transaction's read-write set as Fabric builds it:
// namespaces sorted, and in each KVRWSet the reads, writes and metadata
// writes sorted by key and the range queries in the order they were opened.
// Later calls return the same set; writes after Results fail.
func (sim *Simulator) Results() (*rwset.TxReadWriteSet, error) {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if !sim.record {
		return nil, fmt.Errorf("results: %w", ErrReadOnly)
	}
	if sim.results != nil {
		return sim.results, nil
	}
	type rqKey struct {
		start, end string
		exhausted  bool
	}
	ranges := map[string][]*kvrwset.RangeQueryInfo{}
	seen := map[string]map[rqKey]bool{}
	for _, it := range sim.ranges {
		if isPrivateNamespace(it.ns) {
			continue // Fabric records nothing for private range queries
		}
		info := it.rangeInfo()
		k := rqKey{info.StartKey, info.EndKey, info.ItrExhausted}
		if seen[it.ns] == nil {
			seen[it.ns] = map[rqKey]bool{}
			sim.ns(it.ns)
		}
		if !seen[it.ns][k] {
			seen[it.ns][k] = true
			ranges[it.ns] = append(ranges[it.ns], info)
		}
	}
	pvt, err := sim.privateResults()
	if err != nil {
		return nil, err
	}
	for ns := range sim.collections {
		sim.ns(ns)
	}
	names := make([]string, 0, len(sim.namespaces))
	for ns := range sim.namespaces {
		names = append(names, ns)
	}
	sort.Strings(names)
	out := &rwset.TxReadWriteSet{DataModel: rwset.TxReadWriteSet_KV}
	for _, ns := range names {
		b := sim.namespaces[ns]
		kv := &kvrwset.KVRWSet{
			Reads:            sortedValues(b.reads),
			RangeQueriesInfo: ranges[ns],
			Writes:           sortedValues(b.writes),
			MetadataWrites:   sortedValues(b.mdWrites),
		}
		raw, err := proto.Marshal(kv)
		if err != nil {
			return nil, fmt.Errorf("marshal read-write set of %s: %w", ns, err)
		}
		collections, err := sim.collectionHashedSets(ns)
		if err != nil {
			return nil, err
		}
		out.NsRwset = append(out.NsRwset, &rwset.NsReadWriteSet{Namespace: ns, Rwset: raw, CollectionHashedRwset: collections})
	}
	sim.resultsLocked = true
	sim.results = out
	sim.pvtResults = pvt
	return out, nil
}

// Done ends the simulation, closes its iterators and releases its snapshot.
// It may be called twice.
func (sim *Simulator) Done() {
	sim.mu.Lock()
	sim.done = true
	for _, it := range sim.ranges {
		it.closeLocked()
	}
	for _, it := range sim.histories {
		it.closeLocked()
	}
	released := sim.releaseSnapshotLocked()
	sim.mu.Unlock()
	if released {
		sim.store.forget(sim)
	}
}

func sortedValues[T any](m map[string]T) []T {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}
