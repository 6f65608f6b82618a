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

// Range reads at most limit keys of [startKey, endKey). It uses an unpaginated
// range query, closed early, because paginated queries are refused in update
// transactions; the peer records exactly the keys read, for phantom checks.
func (s stubState) Range(startKey, endKey string, limit int) ([]warrant.KV, error) {
	iterator, err := s.stub.GetStateByRange(startKey, endKey)
	if err != nil {
		return nil, fmt.Errorf("range state: %w", err)
	}
	defer iterator.Close()
	var results []warrant.KV
	for iterator.HasNext() && (limit <= 0 || len(results) < limit) {
		kv, err := iterator.Next()
		if err != nil {
			return nil, fmt.Errorf("range state: %w", err)
		}
		results = append(results, warrant.KV{Key: kv.GetKey(), Value: kv.GetValue()})
	}
	return results, nil
}
