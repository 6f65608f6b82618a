package chaincode

import (
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// Batch sizes the peer announces in READY, Fabric's defaults
// (chaincode.runtimeParams in core.yaml): the shim splits larger batches.
const (
	maxWriteBatch     = 1000
	maxGetMultipleKey = 1000
)

// readyPayload is the READY message's payload: like a Fabric v3.1+ peer, the
// dev network lets the shim send its writes in batches (StartWriteBatch) and
// read many keys in one request (GetMultipleStates).
func readyPayload() ([]byte, error) {
	payload, err := proto.Marshal(&peer.ChaincodeAdditionalParams{
		UseWriteBatch:          true,
		MaxSizeWriteBatch:      maxWriteBatch,
		UseGetMultipleKeys:     true,
		MaxSizeGetMultipleKeys: maxGetMultipleKey,
	})
	if err != nil {
		return nil, fmt.Errorf("marshal READY parameters: %w", err)
	}
	return payload, nil
}

// getStateMultiple answers GET_STATE_MULTIPLE: the committed values of the
// keys, in request order, an empty value for an absent key.
func (t *transaction) getStateMultiple(payload []byte) ([]byte, error) {
	req := &peer.GetStateMultiple{}
	if err := t.decode(payload, req); err != nil {
		return nil, err
	}
	result := &peer.GetStateMultipleResult{Values: make([][]byte, len(req.GetKeys()))}
	for i, key := range req.GetKeys() {
		value, err := t.sim.GetState(t.namespace, key)
		if err != nil {
			return nil, fmt.Errorf("get state %q: %w", key, err)
		}
		result.Values[i] = value
	}
	return proto.Marshal(result)
}

// writeBatchState answers WRITE_BATCH_STATE: each record is applied as the
// single request of its type would be, in order; the first failure fails the
// batch.
func (t *transaction) writeBatchState(payload []byte) ([]byte, error) {
	batch := &peer.WriteBatchState{}
	if err := proto.Unmarshal(payload, batch); err != nil {
		return nil, fmt.Errorf("unmarshal failed: %w", err)
	}
	for _, record := range batch.GetRec() {
		if record.GetCollection() != "" {
			return nil, t.collectionError(record.GetCollection())
		}
		var err error
		switch record.GetType() {
		case peer.WriteRecord_PUT_STATE:
			err = t.put(record.GetKey(), record.GetValue())
		case peer.WriteRecord_DEL_STATE:
			err = t.del(record.GetKey())
		case peer.WriteRecord_PUT_STATE_METADATA:
			err = t.putMetadata(record.GetKey(), record.GetMetadata())
		default:
			err = fmt.Errorf("unknown write record type %s", record.GetType())
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}
