package ledger

import (
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

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
	// Collections are the hashed read-write sets of the namespace's private
	// data collections, in the order of the transaction.
	Collections []*CollectionRWSet
}

// CollectionRWSet is the hashed read-write set of one collection.
type CollectionRWSet struct {
	Name   string
	Hashed *kvrwset.HashedRWSet
	// PvtHash is the hash of the collection's private write set, nil when
	// the transaction wrote nothing to the collection.
	PvtHash []byte
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
// read-write sets (the envelope is taken apart by [protoutil], unchecked). An
// error names the step that failed.
func ParseTx(env *common.Envelope) (*Tx, error) {
	tx, err := parseTx(env)
	if err != nil && tx != nil {
		return nil, fmt.Errorf("transaction %s: %w", tx.ID, err)
	}
	return tx, err
}

// parseTx is ParseTx returning the header fields along with the error when
// only the read-write set of an endorser transaction could not be read.
func parseTx(env *common.Envelope) (*Tx, error) {
	header, err := protoutil.UnpackHeader(env)
	if err != nil {
		return nil, err
	}
	tx := &Tx{ID: header.TxID(), Type: header.Type(), Timestamp: header.ChannelHeader.GetTimestamp()}
	if tx.Type != common.HeaderType_ENDORSER_TRANSACTION {
		return tx, nil
	}
	transaction, err := header.Transaction()
	if err != nil {
		return tx, err
	}
	if tx.RWSet, err = ParseResults(transaction.Action.GetResults()); err != nil {
		return tx, err
	}
	return tx, nil
}

// ParseResults parses a chaincode action's results (a marshalled
// rwset.TxReadWriteSet) into the read-write sets of [Tx.RWSet].
func ParseResults(results []byte) ([]*NsRWSet, error) {
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
		set := &NsRWSet{Namespace: ns.GetNamespace(), KV: kv}
		for _, coll := range ns.GetCollectionHashedRwset() {
			if coll.GetCollectionName() == "" {
				return nil, fmt.Errorf("read-write set of namespace %s: collection without a name", ns.GetNamespace())
			}
			hashed := &kvrwset.HashedRWSet{}
			if err := proto.Unmarshal(coll.GetHashedRwset(), hashed); err != nil {
				return nil, fmt.Errorf("unmarshal hashed read-write set of %s/%s: %w", ns.GetNamespace(), coll.GetCollectionName(), err)
			}
			set.Collections = append(set.Collections, &CollectionRWSet{Name: coll.GetCollectionName(), Hashed: hashed, PvtHash: coll.GetPvtRwsetHash()})
		}
		sets = append(sets, set)
	}
	return sets, nil
}
