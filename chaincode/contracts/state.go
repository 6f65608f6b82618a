package contracts

import (
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// stubState is the domain's state interface over the chaincode stub.
type stubState struct {
	stub shim.ChaincodeStubInterface
}

func (s stubState) Get(key string) ([]byte, error) {
	value, err := s.stub.GetState(key)
	if err != nil {
		return nil, fmt.Errorf("get state: %w", err)
	}
	return value, nil
}

// GetMany reads the keys with one GET_STATE_MULTIPLE request when the peer
// supports it (the shim falls back to one GET_STATE per key otherwise).
func (s stubState) GetMany(keys []string) ([][]byte, error) {
	values, err := s.stub.GetMultipleStates(keys...)
	if err != nil {
		return nil, fmt.Errorf("get states: %w", err)
	}
	return values, nil
}

// GetPrivate reads a key of a private data collection (R17); the peer answers only if
// it is a member of the collection and the client may read it.
func (s stubState) GetPrivate(collection, key string) ([]byte, error) {
	value, err := s.stub.GetPrivateData(collection, key)
	if err != nil {
		return nil, fmt.Errorf("get private data from %s: %w", collection, err)
	}
	return value, nil
}

// GetPrivateHash reads the hash of a private data value, which every peer of the
// channel holds, member of the collection or not (R17).
func (s stubState) GetPrivateHash(collection, key string) ([]byte, error) {
	hash, err := s.stub.GetPrivateDataHash(collection, key)
	if err != nil {
		return nil, fmt.Errorf("get private data hash from %s: %w", collection, err)
	}
	return hash, nil
}

func (s stubState) Put(key string, value []byte) error {
	if err := s.stub.PutState(key, value); err != nil {
		return fmt.Errorf("put state: %w", err)
	}
	return nil
}

func (s stubState) Delete(key string) error {
	if err := s.stub.DelState(key); err != nil {
		return fmt.Errorf("delete state: %w", err)
	}
	return nil
}

// Range reads at most limit keys of [startKey, endKey); the peer records
// exactly what was read, for phantom checks. A range of tree keys (lineage,
// leaves: simple keys) starts at startKey with GetStateByRange, so a paged
// batch reads only its own page. A range inside a partial composite key: the
// shim ranges over composite keys only by whole-attribute prefix, and refuses
// paginated queries in update transactions, so Range reads the prefix
// (warrant.ShimRange) with an unpaginated query, skips keys below startKey,
// and stops at endKey or after limit keys.
func (s stubState) Range(startKey, endKey string, limit int) ([]warrant.KV, error) {
	if !warrant.IsCompositeKey(startKey) {
		iterator, err := s.stub.GetStateByRange(startKey, endKey)
		if err != nil {
			return nil, fmt.Errorf("range state: %w", err)
		}
		return collect(iterator, startKey, endKey, limit)
	}
	objectType, attributes, err := warrant.ShimRange(startKey, endKey)
	if err != nil {
		return nil, err
	}
	iterator, err := s.stub.GetStateByPartialCompositeKey(objectType, attributes)
	if err != nil {
		return nil, fmt.Errorf("range state: %w", err)
	}
	return collect(iterator, startKey, endKey, limit)
}

// collect reads an iterator's keys in [startKey, endKey), at most limit of them.
func collect(iterator shim.StateQueryIteratorInterface, startKey, endKey string, limit int) ([]warrant.KV, error) {
	defer iterator.Close()
	var results []warrant.KV
	for iterator.HasNext() && (limit <= 0 || len(results) < limit) {
		kv, err := iterator.Next()
		if err != nil {
			return nil, fmt.Errorf("range state: %w", err)
		}
		if kv.GetKey() < startKey {
			continue
		}
		if kv.GetKey() >= endKey {
			break
		}
		results = append(results, warrant.KV{Key: kv.GetKey(), Value: kv.GetValue()})
	}
	return results, nil
}

// queryState serves read-only queries: it pages with the shim's paginated
// partial-composite-key query, whose bookmark is the first key to read, so a
// page costs only its own keys.
type queryState struct {
	stubState
}

func (s queryState) Range(startKey, endKey string, limit int) ([]warrant.KV, error) {
	if !warrant.IsCompositeKey(startKey) {
		iterator, _, err := s.stub.GetStateByRangeWithPagination(startKey, endKey, int32(limit), "")
		if err != nil {
			return nil, fmt.Errorf("range state: %w", err)
		}
		return collect(iterator, startKey, endKey, limit)
	}
	objectType, attributes, err := warrant.ShimRange(startKey, endKey)
	if err != nil {
		return nil, err
	}
	prefix, err := s.stub.CreateCompositeKey(objectType, attributes)
	if err != nil {
		return nil, fmt.Errorf("range state: %w", err)
	}
	bookmark := ""
	if startKey > prefix {
		bookmark = startKey
	}
	iterator, _, err := s.stub.GetStateByPartialCompositeKeyWithPagination(objectType, attributes, int32(limit), bookmark)
	if err != nil {
		return nil, fmt.Errorf("range state: %w", err)
	}
	return collect(iterator, startKey, endKey, limit)
}
