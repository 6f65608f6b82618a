package chaincode

import (
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
)

// StateIterator walks the results of a range query; Next returns nil, nil at
// the end. It is an alias of an unnamed interface type so that a ledger package
// declaring the same alias satisfies [Simulator] without importing this one.
type StateIterator = interface {
	Next() (*queryresult.KV, error)
	Close()
}

// HistoryIterator walks the modifications of one key, newest first; Next
// returns nil, nil at the end. Like [StateIterator] it is an alias.
type HistoryIterator = interface {
	Next() (*queryresult.KeyModification, error)
	Close()
}

// Simulator is what a transaction's chaincode reads and writes: the method set
// of the ledger's transaction simulator, which mirrors Fabric's TxSimulator.
type Simulator interface {
	// GetState returns the committed value of key in namespace ns, nil if absent.
	GetState(ns, key string) ([]byte, error)
	// GetStateMetadata returns the committed metadata of key, nil if absent.
	GetStateMetadata(ns, key string) (map[string][]byte, error)
	// SetState records a write of key.
	SetState(ns, key string, value []byte) error
	// DeleteState records a delete of key.
	DeleteState(ns, key string) error
	// SetStateMetadata records a metadata write of key, replacing its metadata.
	SetStateMetadata(ns, key string, md map[string][]byte) error
	// GetStateRangeScanIterator iterates keys in [start, end); empty end means no bound.
	GetStateRangeScanIterator(ns, start, end string) (StateIterator, error)
	// GetStateRangeScanIteratorWithPagination is the same, returning at most pageSize results.
	GetStateRangeScanIteratorWithPagination(ns, start, end string, pageSize int32) (StateIterator, error)
	// GetHistoryForKey iterates the committed modifications of key, newest first.
	GetHistoryForKey(ns, key string) (HistoryIterator, error)
	// Results returns the read-write set recorded so far.
	Results() (*rwset.TxReadWriteSet, error)
	// Done releases the simulator.
	Done()
}
