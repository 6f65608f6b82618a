package chaincode

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// PrivateSimulator is a [Simulator] that serves private data collections.
// It checks, as Fabric's handler and collection store do, that the collection
// is defined for the namespace and that the proposal's creator may read or
// write it (memberOnlyRead, memberOnlyWrite). A simulator without these
// methods answers every collection request with Fabric's "not defined" error.
type PrivateSimulator interface {
	GetPrivateData(ns, collection, key string) ([]byte, error)
	GetPrivateDataHash(ns, collection, key string) ([]byte, error)
	GetPrivateDataMetadata(ns, collection, key string) (map[string][]byte, error)
	SetPrivateData(ns, collection, key string, value []byte) error
	DeletePrivateData(ns, collection, key string) error
	PurgePrivateData(ns, collection, key string) error
	SetPrivateDataMetadata(ns, collection, key string, md map[string][]byte) error
	GetPrivateDataRangeScanIterator(ns, collection, start, end string) (StateIterator, error)
}

// private returns the simulator's private data side, or Fabric's error for
// an undefined collection when it has none.
func (t *transaction) private(collection string) (PrivateSimulator, error) {
	if p, ok := t.sim.(PrivateSimulator); ok {
		return p, nil
	}
	return nil, t.collectionError(collection)
}

// collectionError is Fabric's answer for a collection that is not defined.
func (t *transaction) collectionError(collection string) error {
	return fmt.Errorf("collection [%s] not defined in the collection config for namespace [%s]", collection, t.namespace)
}

func (t *transaction) getPrivateData(collection, key string) ([]byte, error) {
	p, err := t.private(collection)
	if err != nil {
		return nil, err
	}
	value, err := p.GetPrivateData(t.namespace, collection, key)
	if err != nil {
		return nil, fmt.Errorf("get private data %s/%q: %w", collection, key, err)
	}
	return value, nil
}

func (t *transaction) getPrivateDataHash(payload []byte) ([]byte, error) {
	req := &peer.GetState{}
	if err := proto.Unmarshal(payload, req); err != nil {
		return nil, fmt.Errorf("unmarshal failed: %w", err)
	}
	p, err := t.private(req.GetCollection())
	if err != nil {
		return nil, err
	}
	hash, err := p.GetPrivateDataHash(t.namespace, req.GetCollection(), req.GetKey())
	if err != nil {
		return nil, fmt.Errorf("get private data hash %s/%q: %w", req.GetCollection(), req.GetKey(), err)
	}
	return hash, nil
}

func (t *transaction) putPrivateData(collection, key string, value []byte) error {
	if key == "" {
		return errEmptyKey
	}
	p, err := t.private(collection)
	if err != nil {
		return err
	}
	if len(value) == 0 {
		err = p.DeletePrivateData(t.namespace, collection, key)
	} else {
		err = p.SetPrivateData(t.namespace, collection, key, value)
	}
	if err != nil {
		return fmt.Errorf("put private data %s/%q: %w", collection, key, err)
	}
	return nil
}

func (t *transaction) delPrivateData(collection, key string) error {
	if key == "" {
		return errEmptyKey
	}
	p, err := t.private(collection)
	if err != nil {
		return err
	}
	if err := p.DeletePrivateData(t.namespace, collection, key); err != nil {
		return fmt.Errorf("delete private data %s/%q: %w", collection, key, err)
	}
	return nil
}

func (t *transaction) purgePrivateData(payload []byte) ([]byte, error) {
	req := &peer.DelState{}
	if err := proto.Unmarshal(payload, req); err != nil {
		return nil, fmt.Errorf("unmarshal failed: %w", err)
	}
	return nil, t.purge(req.GetCollection(), req.GetKey())
}

func (t *transaction) purge(collection, key string) error {
	if collection == "" {
		return errors.New("only applicable for private data")
	}
	if key == "" {
		return errEmptyKey
	}
	p, err := t.private(collection)
	if err != nil {
		return err
	}
	if err := p.PurgePrivateData(t.namespace, collection, key); err != nil {
		return fmt.Errorf("purge private data %s/%q: %w", collection, key, err)
	}
	return nil
}

func (t *transaction) getPrivateDataMetadata(collection, key string) (map[string][]byte, error) {
	p, err := t.private(collection)
	if err != nil {
		return nil, err
	}
	md, err := p.GetPrivateDataMetadata(t.namespace, collection, key)
	if err != nil {
		return nil, fmt.Errorf("get private data metadata %s/%q: %w", collection, key, err)
	}
	return md, nil
}

func (t *transaction) putPrivateDataMetadata(collection, key string, entry *peer.StateMetadata) error {
	if key == "" {
		return errEmptyKey
	}
	if entry == nil {
		return errors.New("metadata entry is missing")
	}
	p, err := t.private(collection)
	if err != nil {
		return err
	}
	md := map[string][]byte{entry.GetMetakey(): entry.GetValue()}
	if err := p.SetPrivateDataMetadata(t.namespace, collection, key, md); err != nil {
		return fmt.Errorf("put private data metadata %s/%q: %w", collection, key, err)
	}
	return nil
}

// privateRange opens a range query on a collection; as in Fabric, a private
// range query is never paginated.
func (t *transaction) privateRange(collection, start, end string) ([]byte, error) {
	p, err := t.private(collection)
	if err != nil {
		return nil, err
	}
	it, err := p.GetPrivateDataRangeScanIterator(t.namespace, collection, start, end)
	if err != nil {
		return nil, fmt.Errorf("private data range query %s [%q, %q): %w", collection, start, end, err)
	}
	return t.open(stateQuery(it))
}
