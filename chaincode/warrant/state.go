package warrant

// KV is one key/value pair returned by a range read.
type KV struct {
	Key   string
	Value []byte
}

// StateReader reads one key; a missing key yields (nil, nil), as the Fabric shim's GetState.
type StateReader interface {
	Get(key string) ([]byte, error)
}

// StateBatchReader is an optional extension of a StateReader: it reads many keys in one
// call, returning their values in the order of keys, nil for a missing key. An operation
// uses it to fetch up front the keys it is about to read one by one (over the Fabric shim,
// GetMultipleStates: one round trip to the peer instead of one per key).
type StateBatchReader interface {
	GetMany(keys []string) ([][]byte, error)
}

// StateWriter writes or deletes one key. Values are never empty (Fabric treats an empty
// value as a delete), so index entries hold a single zero byte.
type StateWriter interface {
	Put(key string, value []byte) error
	Delete(key string) error
}

// StateRanger reads keys in [startKey, endKey) in ascending order, at most limit of them.
// The domain always passes limit > 0; an implementation treats limit <= 0 as "no limit".
// Paging is done by the caller, which passes the next start key. Over the Fabric shim the
// adapter serves it with GetStateByPartialCompositeKey as ShimRange describes (the shim's
// GetStateByRange refuses composite keys, and paginated queries are refused in update
// transactions).
type StateRanger interface {
	Range(startKey, endKey string, limit int) ([]KV, error)
}

// State is what an operation needs: read, write and range.
type State interface {
	StateReader
	StateWriter
	StateRanger
}

// ReadState is what a query needs: read and range.
type ReadState interface {
	StateReader
	StateRanger
}
