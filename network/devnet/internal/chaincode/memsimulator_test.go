package chaincode_test

import (
	"sort"
	"sync"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
)

// memStore is a map-based world state with history, shared by the
// simulators of a test. Writes apply at once: enough for exercising the
// protocol, not a ledger.
type memStore struct {
	mu       sync.Mutex
	values   map[string][]byte
	metadata map[string]map[string][]byte
	history  map[string][]*queryresult.KeyModification // newest first
	opened   int
	closed   int
}

func newMemStore() *memStore {
	return &memStore{values: map[string][]byte{}, metadata: map[string]map[string][]byte{}, history: map[string][]*queryresult.KeyModification{}}
}

func (s *memStore) simulator(txID string) *memSimulator { return &memSimulator{store: s, txID: txID} }

func (s *memStore) openIterators() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened - s.closed
}

func (s *memStore) value(key string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values[key]
}

// memSimulator implements chaincode.Simulator over a memStore; the namespace
// is ignored because a test drives one chaincode.
type memSimulator struct {
	store *memStore
	txID  string
}

var _ chaincode.Simulator = (*memSimulator)(nil)

func (m *memSimulator) GetState(_, key string) ([]byte, error) {
	return m.store.value(key), nil
}

func (m *memSimulator) GetStateMetadata(_, key string) (map[string][]byte, error) {
	m.store.mu.Lock()
	defer m.store.mu.Unlock()
	return m.store.metadata[key], nil
}

func (m *memSimulator) SetState(_, key string, value []byte) error {
	m.store.mu.Lock()
	defer m.store.mu.Unlock()
	m.store.values[key] = value
	m.record(key, value, false)
	return nil
}

func (m *memSimulator) DeleteState(_, key string) error {
	m.store.mu.Lock()
	defer m.store.mu.Unlock()
	delete(m.store.values, key)
	delete(m.store.metadata, key)
	m.record(key, nil, true)
	return nil
}

func (m *memSimulator) record(key string, value []byte, isDelete bool) {
	entry := &queryresult.KeyModification{TxId: m.txID, Value: value, IsDelete: isDelete}
	m.store.history[key] = append([]*queryresult.KeyModification{entry}, m.store.history[key]...)
}

func (m *memSimulator) SetStateMetadata(_, key string, md map[string][]byte) error {
	m.store.mu.Lock()
	defer m.store.mu.Unlock()
	m.store.metadata[key] = md
	return nil
}

func (m *memSimulator) GetStateRangeScanIterator(ns, start, end string) (chaincode.StateIterator, error) {
	return m.GetStateRangeScanIteratorWithPagination(ns, start, end, 0)
}

func (m *memSimulator) GetStateRangeScanIteratorWithPagination(ns, start, end string, pageSize int32) (chaincode.StateIterator, error) {
	m.store.mu.Lock()
	defer m.store.mu.Unlock()
	var kvs []*queryresult.KV
	for key, value := range m.store.values {
		if key >= start && (end == "" || key < end) {
			kvs = append(kvs, &queryresult.KV{Namespace: ns, Key: key, Value: value})
		}
	}
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].Key < kvs[j].Key })
	if pageSize > 0 && int(pageSize) < len(kvs) {
		kvs = kvs[:pageSize]
	}
	m.store.opened++
	return &sliceIterator[*queryresult.KV]{items: kvs, store: m.store}, nil
}

func (m *memSimulator) GetHistoryForKey(_, key string) (chaincode.HistoryIterator, error) {
	m.store.mu.Lock()
	defer m.store.mu.Unlock()
	m.store.opened++
	items := append([]*queryresult.KeyModification(nil), m.store.history[key]...)
	return &sliceIterator[*queryresult.KeyModification]{items: items, store: m.store}, nil
}

func (m *memSimulator) Results() (*rwset.TxReadWriteSet, error) {
	return &rwset.TxReadWriteSet{DataModel: rwset.TxReadWriteSet_KV}, nil
}

func (m *memSimulator) Done() {}

// sliceIterator walks a snapshot and counts its Close in the store.
type sliceIterator[T any] struct {
	items  []T
	store  *memStore
	closed bool
}

func (it *sliceIterator[T]) Next() (T, error) {
	var zero T
	if len(it.items) == 0 {
		return zero, nil
	}
	item := it.items[0]
	it.items = it.items[1:]
	return item, nil
}

func (it *sliceIterator[T]) Close() {
	if it.closed {
		return
	}
	it.closed = true
	it.store.mu.Lock()
	defer it.store.mu.Unlock()
	it.store.closed++
}
