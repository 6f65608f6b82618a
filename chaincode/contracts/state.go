package contracts

import (
	"fmt"
	"strings"
	"unicode/utf8"

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

// Range reads at most limit keys of [startKey, endKey), a partial composite
// key's range as the domain builds it. The shim only ranges over composite keys
// by prefix, and refuses paginated queries in update transactions, so Range
// reads the prefix with an unpaginated query, skips to startKey when it is a
// bookmark, and stops after limit keys; the peer records exactly what was read,
// for phantom checks.
func (s stubState) Range(startKey, endKey string, limit int) ([]warrant.KV, error) {
	objectType, attributes, prefix, err := s.partialKey(endKey)
	if err != nil {
		return nil, err
	}
	iterator, err := s.stub.GetStateByPartialCompositeKey(objectType, attributes)
	if err != nil {
		return nil, fmt.Errorf("range state: %w", err)
	}
	defer iterator.Close()
	skip := startKey > prefix
	var results []warrant.KV
	for iterator.HasNext() && (limit <= 0 || len(results) < limit) {
		kv, err := iterator.Next()
		if err != nil {
			return nil, fmt.Errorf("range state: %w", err)
		}
		if skip && kv.GetKey() < startKey {
			continue
		}
		results = append(results, warrant.KV{Key: kv.GetKey(), Value: kv.GetValue()})
	}
	return results, nil
}

// partialKey recovers the object type and attributes of the partial composite
// key whose range ends at endKey (the prefix followed by U+10FFFF).
func (s stubState) partialKey(endKey string) (objectType string, attributes []string, prefix string, err error) {
	prefix, ok := strings.CutSuffix(endKey, string(utf8.MaxRune))
	if !ok {
		return "", nil, "", fmt.Errorf("range state: %q is not the end of a partial composite key range", endKey)
	}
	objectType, attributes, err = s.stub.SplitCompositeKey(prefix)
	if err != nil {
		return "", nil, "", fmt.Errorf("range state: %w", err)
	}
	return objectType, attributes, prefix, nil
}

// queryState serves read-only queries: it pages with the shim's paginated
// partial-composite-key query, whose bookmark is the next key to read, so a
// page costs only its own keys.
type queryState struct {
	stubState
}

func (s queryState) Range(startKey, endKey string, limit int) ([]warrant.KV, error) {
	objectType, attributes, prefix, err := s.partialKey(endKey)
	if err != nil {
		return nil, err
	}
	bookmark := ""
	if startKey > prefix {
		bookmark = startKey
	}
	iterator, _, err := s.stub.GetStateByPartialCompositeKeyWithPagination(objectType, attributes, int32(limit), bookmark)
	if err != nil {
		return nil, fmt.Errorf("range state: %w", err)
	}
	defer iterator.Close()
	var results []warrant.KV
	for iterator.HasNext() {
		kv, err := iterator.Next()
		if err != nil {
			return nil, fmt.Errorf("range state: %w", err)
		}
		results = append(results, warrant.KV{Key: kv.GetKey(), Value: kv.GetValue()})
	}
	return results, nil
}
