package ledger

import (
	"encoding/binary"
	"fmt"

	"github.com/cockroachdb/pebble"
)

// stateUpdate is the final state of one key after the valid transactions of
// the block seen so far.
type stateUpdate struct {
	deleted  bool
	value    []byte
	metadata map[string][]byte
	block    uint64
	tx       uint64
	// record is the encoded state record, set by batch for the state cache.
	record []byte
}

// historyEntry is a valid write of a key by the transaction at index tx of
// the block; the write itself stays in the block (see historyrecord.go).
type historyEntry struct {
	ns, key string
	tx      uint64
}

// blockUpdates collects the state and history changes of the valid
// transactions of one block, in block order.
type blockUpdates struct {
	store    *Store
	blockNum uint64
	state    map[string]map[string]*stateUpdate // namespace → key → update
	history  []historyEntry
	// Private data bookkeeping (pvtcommit.go): the private write sets to
	// store with the block, blockToLive entries to add, expired entries to
	// delete, purges to apply to the private store.
	private  BlockPrivateData
	expiries []stateExpiry
	expired  [][]byte
	purges   []purge
}

func newBlockUpdates(s *Store, blockNum uint64) *blockUpdates {
	return &blockUpdates{store: s, blockNum: blockNum, state: map[string]map[string]*stateUpdate{}}
}

func (u *blockUpdates) lookup(ns, key string) (*stateUpdate, bool) {
	up, ok := u.state[ns][key]
	return up, ok
}

func (u *blockUpdates) set(ns, key string, up *stateUpdate) {
	m := u.state[ns]
	if m == nil {
		m = map[string]*stateUpdate{}
		u.state[ns] = m
	}
	m[key] = up
}

// Key operations of one transaction, as Fabric combines them.
const (
	opUpsert = 1 << iota
	opDelete
	opMetaUpdate
	opMetaDelete
)

type keyOp struct {
	flags    int
	value    []byte
	metadata map[string][]byte
}

// apply adds the writes of a valid transaction (index txNum) to the updates:
// a delete removes value and metadata; a value write with a metadata write
// sets both; a value-only write keeps the latest metadata; a metadata-only
// write keeps the latest value and is dropped if the key does not exist.
func (u *blockUpdates) apply(txNum uint64, tx *Tx) error {
	for _, ns := range tx.RWSet {
		ops := make(map[string]*keyOp, len(ns.KV.GetWrites())+len(ns.KV.GetMetadataWrites()))
		op := func(key string) *keyOp {
			o := ops[key]
			if o == nil {
				o = &keyOp{}
				ops[key] = o
			}
			return o
		}
		for _, w := range ns.KV.GetWrites() {
			o := op(w.GetKey())
			if w.GetIsDelete() {
				o.flags |= opDelete
			} else {
				o.flags |= opUpsert
				o.value = w.GetValue()
			}
			u.history = append(u.history, historyEntry{ns: ns.Namespace, key: w.GetKey(), tx: txNum})
		}
		for _, mw := range ns.KV.GetMetadataWrites() {
			o := op(mw.GetKey())
			if len(mw.GetEntries()) == 0 {
				o.flags |= opMetaDelete
				continue
			}
			o.flags |= opMetaUpdate
			o.metadata = make(map[string][]byte, len(mw.GetEntries()))
			for _, e := range mw.GetEntries() {
				o.metadata[e.GetName()] = e.GetValue()
			}
		}
		for key, o := range ops {
			up, err := u.resolve(ns.Namespace, key, o)
			if err != nil {
				return err
			}
			if up == nil {
				continue
			}
			up.block, up.tx = u.blockNum, txNum
			u.set(ns.Namespace, key, up)
		}
	}
	return nil
}

// resolve turns the operations of one transaction on one key into the key's
// new state, or nil when they change nothing.
func (u *blockUpdates) resolve(ns, key string, o *keyOp) (*stateUpdate, error) {
	switch {
	case o.flags&opDelete != 0:
		return &stateUpdate{deleted: true}, nil
	case o.flags&opUpsert != 0 && o.flags&opMetaUpdate != 0:
		return &stateUpdate{value: o.value, metadata: o.metadata}, nil
	case o.flags&opUpsert != 0 && o.flags&opMetaDelete != 0:
		return &stateUpdate{value: o.value}, nil
	}
	if o.flags&opUpsert != 0 {
		metadata, err := u.latestMetadata(ns, key)
		if err != nil {
			return nil, err
		}
		return &stateUpdate{value: o.value, metadata: metadata}, nil
	}
	latest, err := u.latest(ns, key)
	if err != nil {
		return nil, err
	}
	if latest == nil {
		return nil, nil
	}
	up := &stateUpdate{value: latest.value}
	if o.flags&opMetaUpdate != 0 {
		up.metadata = o.metadata
	}
	return up, nil
}

// latest returns the state of a key after the preceding valid transactions
// of the block, falling back to committed state; nil if absent.
func (u *blockUpdates) latest(ns, key string) (*stateUpdate, error) {
	if up, ok := u.lookup(ns, key); ok {
		if up.deleted {
			return nil, nil
		}
		return up, nil
	}
	vv, err := u.store.GetState(ns, key)
	if err != nil || vv == nil {
		return nil, err
	}
	return &stateUpdate{value: vv.Value, metadata: vv.Metadata}, nil
}

// latestMetadata returns the metadata a key carries after the preceding
// valid transactions of the block. Committed state is read only for a key the
// metadata index knows to carry some: a value-only write of any other key (a
// new key, most writes) costs no read.
func (u *blockUpdates) latestMetadata(ns, key string) (map[string][]byte, error) {
	if up, ok := u.lookup(ns, key); ok {
		if up.deleted {
			return nil, nil
		}
		return up.metadata, nil
	}
	return u.store.GetStateMetadata(ns, key)
}

// batch writes the updates, the history and the savepoint into a new batch.
func (u *blockUpdates) batch() (*pebble.Batch, error) {
	b := u.store.db.NewBatch()
	var kbuf []byte
	for ns, keys := range u.state {
		for key, up := range keys {
			kbuf = stateKey(kbuf[:0], ns, key)
			var err error
			if up.deleted {
				err = b.Delete(kbuf, nil)
			} else {
				up.record = encodeState(nil, up.block, up.tx, up.metadata, up.value)
				err = b.Set(kbuf, up.record, nil)
			}
			if err != nil {
				_ = b.Close()
				return nil, fmt.Errorf("batch state %s/%q: %w", ns, key, err)
			}
		}
	}
	for _, h := range u.history {
		if err := b.Set(historyKey(h.ns, h.key, u.blockNum, h.tx), nil, nil); err != nil {
			_ = b.Close()
			return nil, fmt.Errorf("batch history %s/%q: %w", h.ns, h.key, err)
		}
	}
	if err := u.batchPrivate(b); err != nil {
		_ = b.Close()
		return nil, err
	}
	if err := b.Set(savepointKey, binary.AppendUvarint(nil, u.blockNum+1), nil); err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("batch savepoint: %w", err)
	}
	return b, nil
}
