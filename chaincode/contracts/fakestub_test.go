package contracts

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// fakeStub is a hand-written fake of the chaincode stub: a sorted in-memory state and
// the few other calls the adapters make. Like the Fabric shim, GetStateByRange refuses
// composite keys and ranges over a partial composite key start at its prefix. It
// counts the keys its iterators hand out, so tests and benchmarks see what a range
// costs. Methods it does not fake panic (the embedded interface is nil).
type fakeStub struct {
	shim.ChaincodeStubInterface
	state     map[string][]byte
	keys      []string // the keys of state, sorted
	txID      string
	timestamp time.Time
	function  string
	args      []string
	events    []string
	payloads  [][]byte
	keysRead  int
	private   fakePrivate
}

func newFakeStub() *fakeStub { return &fakeStub{state: map[string][]byte{}, txID: "tx-1"} }

func (s *fakeStub) GetState(key string) ([]byte, error) { return s.state[key], nil }

func (s *fakeStub) GetMultipleStates(keys ...string) ([][]byte, error) {
	values := make([][]byte, len(keys))
	for i, key := range keys {
		values[i] = s.state[key]
	}
	return values, nil
}

func (s *fakeStub) PutState(key string, value []byte) error {
	if key == "" || len(value) == 0 {
		return errors.New("fake stub: empty key or value")
	}
	if _, ok := s.state[key]; !ok {
		i, _ := slices.BinarySearch(s.keys, key)
		s.keys = slices.Insert(s.keys, i, key)
	}
	s.state[key] = value
	return nil
}

func (s *fakeStub) DelState(key string) error {
	if i, ok := slices.BinarySearch(s.keys, key); ok {
		s.keys = slices.Delete(s.keys, i, i+1)
	}
	delete(s.state, key)
	return nil
}

// clone returns a stub with a copy of the state.
func (s *fakeStub) clone() *fakeStub {
	c := newFakeStub()
	c.state, c.keys = maps.Clone(s.state), slices.Clone(s.keys)
	return c
}

func (s *fakeStub) StartWriteBatch() {}

func (s *fakeStub) SetEvent(name string, payload []byte) error {
	s.events = append(s.events, name)
	s.payloads = append(s.payloads, payload)
	return nil
}

func (s *fakeStub) GetTxID() string { return s.txID }

func (s *fakeStub) GetTxTimestamp() (*timestamppb.Timestamp, error) {
	return timestamppb.New(s.timestamp), nil
}

func (s *fakeStub) GetFunctionAndParameters() (string, []string) { return s.function, s.args }

func (s *fakeStub) CreateCompositeKey(objectType string, attributes []string) (string, error) {
	return warrant.CompositeKey(objectType, attributes...)
}

func (s *fakeStub) GetStateByRange(startKey, endKey string) (shim.StateQueryIteratorInterface, error) {
	for _, key := range []string{startKey, endKey} {
		if strings.HasPrefix(key, "\x00") {
			return nil, fmt.Errorf("first character of the key [%s] contains a null character which is not allowed", key)
		}
	}
	return s.iterate(startKey, endKey, 0), nil
}

func (s *fakeStub) GetStateByRangeWithPagination(startKey, endKey string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	if bookmark != "" {
		startKey = bookmark
	}
	iterator, err := s.GetStateByRange(startKey, endKey)
	if err != nil {
		return nil, nil, err
	}
	iterator.(*fakeIterator).limit = int(pageSize)
	return iterator, nil, nil
}

func (s *fakeStub) GetStateByPartialCompositeKey(objectType string, attributes []string) (shim.StateQueryIteratorInterface, error) {
	prefix, err := warrant.CompositeKey(objectType, attributes...)
	if err != nil {
		return nil, err
	}
	return s.iterate(prefix, prefix+string(rune(0x10FFFF)), 0), nil
}

func (s *fakeStub) GetStateByPartialCompositeKeyWithPagination(objectType string, attributes []string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	prefix, err := warrant.CompositeKey(objectType, attributes...)
	if err != nil {
		return nil, nil, err
	}
	start := prefix
	if bookmark != "" {
		start = bookmark
	}
	return s.iterate(start, prefix+string(rune(0x10FFFF)), int(pageSize)), nil, nil
}

// iterate returns the keys of [start, end) in order, at most limit of them (0: all).
func (s *fakeStub) iterate(start, end string, limit int) *fakeIterator {
	from, _ := slices.BinarySearch(s.keys, start)
	to, _ := slices.BinarySearch(s.keys, end)
	return &fakeIterator{stub: s, keys: s.keys[from:max(from, to)], limit: limit}
}

type fakeIterator struct {
	stub  *fakeStub
	keys  []string
	next  int
	limit int
}

func (it *fakeIterator) HasNext() bool {
	return it.next < len(it.keys) && (it.limit <= 0 || it.next < it.limit)
}

func (it *fakeIterator) Next() (*queryresult.KV, error) {
	if !it.HasNext() {
		return nil, errors.New("fake iterator: no more keys")
	}
	key := it.keys[it.next]
	it.next++
	it.stub.keysRead++
	return &queryresult.KV{Key: key, Value: it.stub.state[key]}, nil
}

func (it *fakeIterator) Close() error { return nil }

// fakeIdentity is a client identity with an MSP ID and certificate attributes.
type fakeIdentity struct {
	mspID string
	attrs map[string]string
	err   error
}

var _ cid.ClientIdentity = fakeIdentity{}

func (f fakeIdentity) GetID() (string, error)    { return "x509::CN=fake", f.err }
func (f fakeIdentity) GetMSPID() (string, error) { return f.mspID, f.err }
func (f fakeIdentity) GetAttributeValue(name string) (string, bool, error) {
	value, found := f.attrs[name]
	return value, found, f.err
}
func (f fakeIdentity) AssertAttributeValue(name, value string) error {
	if f.attrs[name] != value {
		return errors.New("attribute mismatch")
	}
	return nil
}
func (f fakeIdentity) GetX509Certificate() (*x509.Certificate, error) { return nil, f.err }

// fakeContext is a transaction context over a fake stub and identity.
func fakeContext(stub *fakeStub, identity cid.ClientIdentity) *contractapi.TransactionContext {
	ctx := new(contractapi.TransactionContext)
	ctx.SetStub(stub)
	ctx.SetClientIdentity(identity)
	return ctx
}

// Private data and the transient map (R17). Like a member peer, the fake stores private
// writes per collection; hashes records SHA-256 of each private value as Fabric puts it
// in the block's hashed read-write set. readable lists the collections this "peer" is a
// member of (nil: all).
type fakePrivate struct {
	collections map[string]map[string][]byte
	readable    []string
	transient   map[string][]byte
}

func (s *fakeStub) GetTransient() (map[string][]byte, error) { return s.private.transient, nil }

func (s *fakeStub) PutPrivateData(collection, key string, value []byte) error {
	if collection == "" || key == "" || len(value) == 0 {
		return errors.New("fake stub: empty collection, key or value")
	}
	if s.private.collections == nil {
		s.private.collections = map[string]map[string][]byte{}
	}
	if s.private.collections[collection] == nil {
		s.private.collections[collection] = map[string][]byte{}
	}
	s.private.collections[collection][key] = slices.Clone(value)
	return nil
}

func (s *fakeStub) GetPrivateData(collection, key string) ([]byte, error) {
	if s.private.readable != nil && !slices.Contains(s.private.readable, collection) {
		return nil, fmt.Errorf("tx creator does not have read access permission on privatedata in chaincodeName:warrant collectionName: %s", collection)
	}
	return s.private.collections[collection][key], nil
}

func (s *fakeStub) GetPrivateDataHash(collection, key string) ([]byte, error) {
	value := s.private.collections[collection][key]
	if value == nil {
		return nil, nil
	}
	sum := sha256.Sum256(value)
	return sum[:], nil
}
