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
		if req.GetCollection() != "" {
			value, err := t.getPrivateData(req.GetCollection(), key)
			if err != nil {
				return nil, err
			}
			result.Values[i] = value
			continue
		}
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
		if err := t.writeRecord(record); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// writeRecord applies one record of a write batch, public or private.
func (t *transaction) writeRecord(record *peer.WriteRecord) error {
	collection := record.GetCollection()
	switch {
	case record.GetType() == peer.WriteRecord_PURGE_PRIVATE_DATA:
		return t.purge(collection, record.GetKey())
	case record.GetType() == peer.WriteRecord_PUT_STATE && collection != "":
		return t.putPrivateData(collection, record.GetKey(), record.GetValue())
	case record.GetType() == peer.WriteRecord_PUT_STATE:
		return t.put(record.GetKey(), record.GetValue())
	case record.GetType() == peer.WriteRecord_DEL_STATE && collection != "":
		return t.delPrivateData(collection, record.GetKey())
	case record.GetType() == peer.WriteRecord_DEL_STATE:
		return t.del(record.GetKey())
	case record.GetType() == peer.WriteRecord_PUT_STATE_METADATA && collection != "":
		return t.putPrivateDataMetadata(collection, record.GetKey(), record.GetMetadata())
	case record.GetType() == peer.WriteRecord_PUT_STATE_METADATA:
		return t.putMetadata(record.GetKey(), record.GetMetadata())
	}
	return fmt.Errorf("unknown write record type %s", record.GetType())
}
