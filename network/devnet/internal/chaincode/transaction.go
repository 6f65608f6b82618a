package chaincode

import (
	"errors"
	"fmt"
	"sort"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// transaction is the peer's context for one executing transaction. Only the
// goroutine running Execute touches its queries; the receive loop only
// delivers messages to inbox.
type transaction struct {
	channel   string
	txID      string
	namespace string
	sim       Simulator
	inbox     chan *peer.ChaincodeMessage
	finished  chan struct{}
	queries   map[string]*query
	queryNum  int
}

func newTransaction(channel, txID, namespace string, sim Simulator) *transaction {
	return &transaction{
		channel:   channel,
		txID:      txID,
		namespace: namespace,
		sim:       sim,
		inbox:     make(chan *peer.ChaincodeMessage, 2),
		finished:  make(chan struct{}),
		queries:   map[string]*query{},
	}
}

// handle answers one chaincode request with RESPONSE or ERROR.
func (t *transaction) handle(msg *peer.ChaincodeMessage) *peer.ChaincodeMessage {
	payload, err := t.serve(msg)
	if err != nil {
		return errorMessage(msg, err)
	}
	return &peer.ChaincodeMessage{Type: peer.ChaincodeMessage_RESPONSE, Payload: payload, Txid: msg.GetTxid(), ChannelId: msg.GetChannelId()}
}

// errorMessage builds the ERROR reply in the words Fabric's handler uses.
func errorMessage(msg *peer.ChaincodeMessage, err error) *peer.ChaincodeMessage {
	text := fmt.Sprintf("%s failed: transaction ID: %s: %v", msg.GetType(), msg.GetTxid(), err)
	return &peer.ChaincodeMessage{Type: peer.ChaincodeMessage_ERROR, Payload: []byte(text), Txid: msg.GetTxid(), ChannelId: msg.GetChannelId()}
}

func (t *transaction) serve(msg *peer.ChaincodeMessage) ([]byte, error) {
	switch msg.GetType() {
	case peer.ChaincodeMessage_GET_STATE:
		return t.getState(msg.GetPayload())
	case peer.ChaincodeMessage_PUT_STATE:
		return t.putState(msg.GetPayload())
	case peer.ChaincodeMessage_DEL_STATE:
		return t.delState(msg.GetPayload())
	case peer.ChaincodeMessage_GET_STATE_METADATA:
		return t.getStateMetadata(msg.GetPayload())
	case peer.ChaincodeMessage_PUT_STATE_METADATA:
		return t.putStateMetadata(msg.GetPayload())
	case peer.ChaincodeMessage_GET_STATE_MULTIPLE:
		return t.getStateMultiple(msg.GetPayload())
	case peer.ChaincodeMessage_WRITE_BATCH_STATE:
		return t.writeBatchState(msg.GetPayload())
	case peer.ChaincodeMessage_GET_STATE_BY_RANGE:
		return t.getStateByRange(msg.GetPayload())
	case peer.ChaincodeMessage_QUERY_STATE_NEXT:
		return t.queryStateNext(msg.GetPayload())
	case peer.ChaincodeMessage_QUERY_STATE_CLOSE:
		return t.queryStateClose(msg.GetPayload())
	case peer.ChaincodeMessage_GET_HISTORY_FOR_KEY:
		return t.getHistoryForKey(msg.GetPayload())
	case peer.ChaincodeMessage_GET_QUERY_RESULT:
		return t.getQueryResult(msg.GetPayload())
	case peer.ChaincodeMessage_GET_PRIVATE_DATA_HASH:
		return t.getPrivateDataHash(msg.GetPayload())
	case peer.ChaincodeMessage_PURGE_PRIVATE_DATA:
		return t.purgePrivateData(msg.GetPayload())
	case peer.ChaincodeMessage_INVOKE_CHAINCODE:
		return nil, errors.New("chaincode-to-chaincode invocation is not supported by the dev network")
	default:
		return nil, fmt.Errorf("[%s] Fabric side handler cannot handle message (%s) while in ready state", shortTxID(msg.GetTxid()), msg.GetType())
	}
}

// errEmptyKey refuses a write to the empty key, as Fabric does.
var errEmptyKey = errors.New("key must not be an empty string")

// collectionRequest is a chaincode request that may name a private data collection.
type collectionRequest interface {
	proto.Message
	GetCollection() string
}

// decode unmarshals a chaincode request; the handler serves a request naming
// a collection from the private data side of the simulator.
func (t *transaction) decode(payload []byte, req collectionRequest) error {
	if err := proto.Unmarshal(payload, req); err != nil {
		return fmt.Errorf("unmarshal failed: %w", err)
	}
	return nil
}

func (t *transaction) getState(payload []byte) ([]byte, error) {
	req := &peer.GetState{}
	if err := t.decode(payload, req); err != nil {
		return nil, err
	}
	if req.GetCollection() != "" {
		return t.getPrivateData(req.GetCollection(), req.GetKey())
	}
	value, err := t.sim.GetState(t.namespace, req.GetKey())
	if err != nil {
		return nil, fmt.Errorf("get state %q: %w", req.GetKey(), err)
	}
	return value, nil
}

func (t *transaction) putState(payload []byte) ([]byte, error) {
	req := &peer.PutState{}
	if err := t.decode(payload, req); err != nil {
		return nil, err
	}
	if req.GetCollection() != "" {
		return nil, t.putPrivateData(req.GetCollection(), req.GetKey(), req.GetValue())
	}
	return nil, t.put(req.GetKey(), req.GetValue())
}

// put records a write of key; an empty value is a delete in Fabric's write set.
func (t *transaction) put(key string, value []byte) error {
	if key == "" {
		return errEmptyKey
	}
	var err error
	if len(value) == 0 {
		err = t.sim.DeleteState(t.namespace, key)
	} else {
		err = t.sim.SetState(t.namespace, key, value)
	}
	if err != nil {
		return fmt.Errorf("put state %q: %w", key, err)
	}
	return nil
}

func (t *transaction) delState(payload []byte) ([]byte, error) {
	req := &peer.DelState{}
	if err := t.decode(payload, req); err != nil {
		return nil, err
	}
	if req.GetCollection() != "" {
		return nil, t.delPrivateData(req.GetCollection(), req.GetKey())
	}
	return nil, t.del(req.GetKey())
}

// del records a delete of key.
func (t *transaction) del(key string) error {
	if key == "" {
		return errEmptyKey
	}
	if err := t.sim.DeleteState(t.namespace, key); err != nil {
		return fmt.Errorf("delete state %q: %w", key, err)
	}
	return nil
}

func (t *transaction) getStateMetadata(payload []byte) ([]byte, error) {
	req := &peer.GetStateMetadata{}
	if err := t.decode(payload, req); err != nil {
		return nil, err
	}
	var metadata map[string][]byte
	var err error
	if req.GetCollection() != "" {
		metadata, err = t.getPrivateDataMetadata(req.GetCollection(), req.GetKey())
	} else if metadata, err = t.sim.GetStateMetadata(t.namespace, req.GetKey()); err != nil {
		err = fmt.Errorf("get state metadata %q: %w", req.GetKey(), err)
	}
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(metadata))
	for k := range metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	result := &peer.StateMetadataResult{}
	for _, k := range keys {
		result.Entries = append(result.Entries, &peer.StateMetadata{Metakey: k, Value: metadata[k]})
	}
	return proto.Marshal(result)
}

func (t *transaction) putStateMetadata(payload []byte) ([]byte, error) {
	req := &peer.PutStateMetadata{}
	if err := t.decode(payload, req); err != nil {
		return nil, err
	}
	if req.GetCollection() != "" {
		return nil, t.putPrivateDataMetadata(req.GetCollection(), req.GetKey(), req.GetMetadata())
	}
	return nil, t.putMetadata(req.GetKey(), req.GetMetadata())
}

// putMetadata records a metadata write of key; like Fabric, the entry replaces
// the key's whole metadata.
func (t *transaction) putMetadata(key string, entry *peer.StateMetadata) error {
	if key == "" {
		return errEmptyKey
	}
	if entry == nil {
		return errors.New("metadata entry is missing")
	}
	md := map[string][]byte{entry.GetMetakey(): entry.GetValue()}
	if err := t.sim.SetStateMetadata(t.namespace, key, md); err != nil {
		return fmt.Errorf("put state metadata %q: %w", key, err)
	}
	return nil
}

func (t *transaction) getQueryResult(payload []byte) ([]byte, error) {
	req := &peer.GetQueryResult{}
	if err := t.decode(payload, req); err != nil {
		return nil, err
	}
	if req.GetCollection() != "" {
		if _, err := t.private(req.GetCollection()); err != nil {
			return nil, err
		}
	}
	return nil, errors.New("ExecuteQuery not supported for leveldb")
}
