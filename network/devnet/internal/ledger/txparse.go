package ledger

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// ErrNotEndorserTx is returned by [TxRWSet] for an envelope whose channel header
// is not of type ENDORSER_TRANSACTION.
var ErrNotEndorserTx = errors.New("not an endorser transaction")

// Tx is what the ledger reads from a transaction envelope.
type Tx struct {
	ID        string                 // channel header tx_id
	Type      common.HeaderType      // channel header type
	Timestamp *timestamppb.Timestamp // channel header timestamp
	// RWSet holds the parsed read-write sets of an endorser transaction, one per
	// namespace in the order of the transaction (nil for other types).
	RWSet []*NsRWSet
}

// NsRWSet is the parsed read-write set of one namespace (chaincode).
type NsRWSet struct {
	Namespace string
	KV        *kvrwset.KVRWSet
}

// WrittenKeys returns the keys this namespace writes or deletes, in rwset order.
func (n *NsRWSet) WrittenKeys() []string {
	keys := make([]string, 0, len(n.KV.GetWrites()))
	for _, w := range n.KV.GetWrites() {
		keys = append(keys, w.GetKey())
	}
	return keys
}

// MetadataWrittenKeys returns the keys whose metadata this namespace writes, in
// rwset order.
func (n *NsRWSet) MetadataWrittenKeys() []string {
	keys := make([]string, 0, len(n.KV.GetMetadataWrites()))
	for _, w := range n.KV.GetMetadataWrites() {
		keys = append(keys, w.GetKey())
	}
	return keys
}

// ParseTx reads the channel header of env and, for an endorser transaction, its
// read-write sets. An error names the step that failed.
func ParseTx(env *common.Envelope) (*Tx, error) {
	tx, payload, err := parseHeader(env)
	if err != nil {
		return nil, err
	}
	if tx.Type != common.HeaderType_ENDORSER_TRANSACTION {
		return tx, nil
	}
	if tx.RWSet, err = rwsetFromTransaction(payload.GetData()); err != nil {
		return nil, fmt.Errorf("transaction %s: %w", tx.ID, err)
	}
	return tx, nil
}

// TxRWSet parses the read-write sets out of an endorser transaction envelope:
// Payload → Transaction → first action → ChaincodeActionPayload →
// ChaincodeEndorsedAction → ProposalResponsePayload → ChaincodeAction.results.
func TxRWSet(env *common.Envelope) ([]*NsRWSet, error) {
	tx, payload, err := parseHeader(env)
	if err != nil {
		return nil, err
	}
	if tx.Type != common.HeaderType_ENDORSER_TRANSACTION {
		return nil, fmt.Errorf("header type %s: %w", tx.Type, ErrNotEndorserTx)
	}
	return rwsetFromTransaction(payload.GetData())
}

func parseHeader(env *common.Envelope) (*Tx, *common.Payload, error) {
	if env == nil || len(env.GetPayload()) == 0 {
		return nil, nil, errors.New("envelope has no payload")
	}
	payload := &common.Payload{}
	if err := proto.Unmarshal(env.GetPayload(), payload); err != nil {
		return nil, nil, fmt.Errorf("unmarshal payload: %w", err)
	}
	if payload.GetHeader() == nil {
		return nil, nil, errors.New("payload has no header")
	}
	chdr := &common.ChannelHeader{}
	if err := proto.Unmarshal(payload.GetHeader().GetChannelHeader(), chdr); err != nil {
		return nil, nil, fmt.Errorf("unmarshal channel header: %w", err)
	}
	tx := &Tx{ID: chdr.GetTxId(), Type: common.HeaderType(chdr.GetType()), Timestamp: chdr.GetTimestamp()}
	return tx, payload, nil
}

func rwsetFromTransaction(data []byte) ([]*NsRWSet, error) {
	transaction := &peer.Transaction{}
	if err := proto.Unmarshal(data, transaction); err != nil {
		return nil, fmt.Errorf("unmarshal transaction: %w", err)
	}
	if len(transaction.GetActions()) == 0 {
		return nil, errors.New("transaction has no actions")
	}
	ccPayload := &peer.ChaincodeActionPayload{}
	if err := proto.Unmarshal(transaction.GetActions()[0].GetPayload(), ccPayload); err != nil {
		return nil, fmt.Errorf("unmarshal chaincode action payload: %w", err)
	}
	if ccPayload.GetAction() == nil {
		return nil, errors.New("chaincode action payload has no endorsed action")
	}
	prp := &peer.ProposalResponsePayload{}
	if err := proto.Unmarshal(ccPayload.GetAction().GetProposalResponsePayload(), prp); err != nil {
		return nil, fmt.Errorf("unmarshal proposal response payload: %w", err)
	}
	action := &peer.ChaincodeAction{}
	if err := proto.Unmarshal(prp.GetExtension(), action); err != nil {
		return nil, fmt.Errorf("unmarshal chaincode action: %w", err)
	}
	return parseResults(action.GetResults())
}

// ParseResults parses a chaincode action's results (a marshalled
// rwset.TxReadWriteSet) into the read-write sets of [Tx.RWSet].
func ParseResults(results []byte) ([]*NsRWSet, error) { return parseResults(results) }

// parseResults parses marshalled rwset.TxReadWriteSet bytes.
func parseResults(results []byte) ([]*NsRWSet, error) {
	txrw := &rwset.TxReadWriteSet{}
	if err := proto.Unmarshal(results, txrw); err != nil {
		return nil, fmt.Errorf("unmarshal read-write set: %w", err)
	}
	if txrw.GetDataModel() != rwset.TxReadWriteSet_KV {
		return nil, fmt.Errorf("read-write set data model %s is not KV", txrw.GetDataModel())
	}
	sets := make([]*NsRWSet, 0, len(txrw.GetNsRwset()))
	for _, ns := range txrw.GetNsRwset() {
		if err := checkNamespace(ns.GetNamespace()); err != nil {
			return nil, fmt.Errorf("read-write set: %w", err)
		}
		kv := &kvrwset.KVRWSet{}
		if err := proto.Unmarshal(ns.GetRwset(), kv); err != nil {
			return nil, fmt.Errorf("unmarshal read-write set of namespace %s: %w", ns.GetNamespace(), err)
		}
		sets = append(sets, &NsRWSet{Namespace: ns.GetNamespace(), KV: kv})
	}
	return sets, nil
}
