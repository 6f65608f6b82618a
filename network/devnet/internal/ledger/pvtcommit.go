package ledger

import (
	"encoding/binary"
	"fmt"

	"github.com/cockroachdb/pebble"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// BlockPrivateData holds the private write sets a peer commits with a block,
// by transaction index: for each transaction, the collections this peer is a
// member of, already checked against the hashes in the block.
type BlockPrivateData map[uint64]*rwset.TxPvtReadWriteSet

// BlockToLive says for how many blocks after the one that wrote it a
// collection's private data is kept (0: forever), as the collection's
// blockToLive.
type BlockToLive func(ns, collection string) uint64

// WithBlockToLive makes the store purge private data when its collection's
// blockToLive expires. Without it, private data is kept forever.
func WithBlockToLive(btl BlockToLive) Option {
	return func(s *Store) { s.blockToLive = btl }
}

// Private data store layout, beside the state (see the package documentation).
const (
	prefixPrivate       = 'p' // p <block> <tx>: a transaction's stored private write set
	prefixStateExpiry   = 'x' // x <expiring block> <hashed namespace> 0x00 <key hash>: block that wrote it
	prefixPrivateExpiry = 'y' // y <expiring block> <block> <tx> <ns> 0x00 <collection>
	prefixPrivateKey    = 'k' // k <private namespace> 0x00 <key hash> <block> <tx>: key written there
)

func privateKey(block, tx uint64) []byte {
	k := make([]byte, 17)
	k[0] = prefixPrivate
	binary.BigEndian.PutUint64(k[1:], block)
	binary.BigEndian.PutUint64(k[9:], tx)
	return k
}

func stateExpiryKey(expiring uint64, hashedNs, keyHash string) []byte {
	k := make([]byte, 0, 10+len(hashedNs)+len(keyHash))
	k = append(k, prefixStateExpiry)
	k = binary.BigEndian.AppendUint64(k, expiring)
	k = append(k, hashedNs...)
	k = append(k, 0)
	return append(k, keyHash...)
}

func privateExpiryKey(expiring, block, tx uint64, ns, collection string) []byte {
	k := make([]byte, 0, 26+len(ns)+len(collection))
	k = append(k, prefixPrivateExpiry)
	k = binary.BigEndian.AppendUint64(k, expiring)
	k = binary.BigEndian.AppendUint64(k, block)
	k = binary.BigEndian.AppendUint64(k, tx)
	k = append(k, ns...)
	k = append(k, 0)
	return append(k, collection...)
}

func privateKeyIndexPrefix(ns, collection, key string) []byte {
	p := []byte{prefixPrivateKey}
	p = append(p, PrivateNamespace(ns, collection)...)
	p = append(p, 0)
	return append(p, keyHash(key)...)
}

// expiringPrefixUpper bounds an expiry scan to the entries expiring at or
// before block num.
func expiringPrefixUpper(prefix byte, num uint64) []byte {
	k := []byte{prefix}
	return binary.BigEndian.AppendUint64(k, num+1)
}

// CommitBlockWithPrivateData is [Store.CommitParsedBlock] for a peer that
// holds private data: private[i] is the private write set of transaction i
// for the collections this peer is a member of. The private data of the valid
// transactions is stored with the block, in the same synced batch, and
// applied to the private state with the version of its hashes.
func (s *Store) CommitBlockWithPrivateData(block *common.Block, flags []peer.TxValidationCode, parsed []*Tx, private BlockPrivateData) ([]peer.TxValidationCode, error) {
	return s.commitBlock(block, flags, parsed, private)
}

// validateHashedReads is the MVCC check of a namespace's hashed reads: the
// version of every private key read must still be the committed one.
func (u *blockUpdates) validateHashedReads(ns *NsRWSet) (bool, error) {
	for _, coll := range ns.Collections {
		hashedNs := HashedNamespace(ns.Namespace, coll.Name)
		for _, r := range coll.Hashed.GetHashedReads() {
			key := string(r.GetKeyHash())
			if _, written := u.lookup(hashedNs, key); written {
				return false, nil
			}
			committed, err := u.store.getVersion(hashedNs, key)
			if err != nil {
				return false, err
			}
			if !sameVersion(committed, r.GetVersion()) {
				return false, nil
			}
		}
	}
	return true, nil
}

// applyCollections adds a valid transaction's hashed writes, and the private
// writes this peer holds for it, to the updates. A purge deletes the key and
// queues the removal of its earlier private values from the private store.
func (u *blockUpdates) applyCollections(txNum uint64, tx *Tx, private *rwset.TxPvtReadWriteSet) error {
	if !hasCollections(tx) {
		return nil
	}
	privateSets, err := privateWriteSets(private)
	if err != nil {
		return err
	}
	stored := false
	for _, ns := range tx.RWSet {
		for _, coll := range ns.Collections {
			hashedNs := HashedNamespace(ns.Namespace, coll.Name)
			ops := map[string]*keyOp{}
			op := func(key string) *keyOp {
				if ops[key] == nil {
					ops[key] = &keyOp{}
				}
				return ops[key]
			}
			var expiring []string
			for _, w := range coll.Hashed.GetHashedWrites() {
				o := op(string(w.GetKeyHash()))
				if isHashDelete(w) {
					o.flags |= opDelete
				} else {
					o.flags |= opUpsert
					o.value = w.GetValueHash()
					expiring = append(expiring, string(w.GetKeyHash()))
				}
				if w.GetIsPurge() {
					u.purges = append(u.purges, purge{ns: ns.Namespace, collection: coll.Name, keyHash: string(w.GetKeyHash()), block: u.blockNum, tx: txNum})
				}
			}
			for _, mw := range coll.Hashed.GetMetadataWrites() {
				o := op(string(mw.GetKeyHash()))
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
			if err := u.resolveAll(hashedNs, txNum, ops); err != nil {
				return err
			}
			btl := u.store.collectionBlockToLive(ns.Namespace, coll.Name)
			if btl > 0 {
				for _, key := range expiring {
					u.expiries = append(u.expiries, stateExpiry{hashedNs: hashedNs, keyHash: key, expiring: u.blockNum + btl + 1})
				}
			}
			set, ok := privateSets[nsColl{ns.Namespace, coll.Name}]
			if !ok {
				continue
			}
			if err := u.applyPrivateWrites(txNum, ns.Namespace, coll.Name, set); err != nil {
				return err
			}
			stored = true
			if btl > 0 {
				u.expiries = append(u.expiries, stateExpiry{ns: ns.Namespace, collection: coll.Name, tx: txNum, expiring: u.blockNum + btl + 1, private: true})
			}
		}
	}
	if stored {
		if u.private == nil {
			u.private = BlockPrivateData{}
		}
		u.private[txNum] = private
	}
	return nil
}

func hasCollections(tx *Tx) bool {
	for _, ns := range tx.RWSet {
		if len(ns.Collections) > 0 {
			return true
		}
	}
	return false
}

// applyPrivateWrites applies one collection's private writes with the
// version of their hashes; a metadata-only write moves the private value to
// its hash's new version, as Fabric does.
func (u *blockUpdates) applyPrivateWrites(txNum uint64, ns, collection string, set *kvrwset.KVRWSet) error {
	ops := map[string]*keyOp{}
	for _, w := range set.GetWrites() {
		o := &keyOp{}
		if w.GetIsDelete() || len(w.GetValue()) == 0 {
			o.flags = opDelete
		} else {
			o.flags, o.value = opUpsert, w.GetValue()
		}
		ops[w.GetKey()] = o
	}
	for _, mw := range set.GetMetadataWrites() {
		if ops[mw.GetKey()] == nil {
			ops[mw.GetKey()] = &keyOp{flags: opMetaDelete}
		}
	}
	return u.resolveAll(PrivateNamespace(ns, collection), txNum, ops)
}

// resolveAll turns one transaction's operations on the keys of a namespace
// into updates.
func (u *blockUpdates) resolveAll(namespace string, txNum uint64, ops map[string]*keyOp) error {
	for _, key := range sortedKeys(ops) {
		up, err := u.resolve(namespace, key, ops[key])
		if err != nil {
			return err
		}
		if up == nil {
			continue
		}
		up.block, up.tx = u.blockNum, txNum
		u.set(namespace, key, up)
	}
	return nil
}

// isHashDelete is Fabric's IsKVWriteHashDelete: a delete, a purge, or the hash
// of an empty value.
func isHashDelete(w *kvrwset.KVWriteHash) bool {
	return w.GetIsDelete() || w.GetIsPurge() || len(w.GetValueHash()) == 0 || string(w.GetValueHash()) == string(Hash(nil))
}

type nsColl struct{ ns, collection string }

// privateWriteSets decodes a transaction's private write sets by collection.
func privateWriteSets(private *rwset.TxPvtReadWriteSet) (map[nsColl]*kvrwset.KVRWSet, error) {
	sets := map[nsColl]*kvrwset.KVRWSet{}
	for _, ns := range private.GetNsPvtRwset() {
		for _, coll := range ns.GetCollectionPvtRwset() {
			set := &kvrwset.KVRWSet{}
			if err := proto.Unmarshal(coll.GetRwset(), set); err != nil {
				return nil, fmt.Errorf("unmarshal private write set of %s/%s: %w", ns.GetNamespace(), coll.GetCollectionName(), err)
			}
			sets[nsColl{ns.GetNamespace(), coll.GetCollectionName()}] = set
		}
	}
	return sets, nil
}

// stateExpiry is an entry of the blockToLive bookkeeping: a hashed key (and
// its private value) expiring at a block, or (private set) a collection's
// part of a stored private write set.
type stateExpiry struct {
	hashedNs, keyHash string
	ns, collection    string
	tx                uint64
	expiring          uint64
	private           bool
}

// purge is a PurgePrivateData committed at (block, tx).
type purge struct {
	ns, collection, keyHash string
	block, tx               uint64
}

func (s *Store) collectionBlockToLive(ns, collection string) uint64 {
	if s.blockToLive == nil {
		return 0
	}
	return s.blockToLive(ns, collection)
}

// expire adds to the updates the deletion of every private key whose
// blockToLive ends at this block and that no transaction of the block wrote
// since, as Fabric's purge manager does.
func (u *blockUpdates) expire() error {
	if u.store.blockToLive == nil {
		return nil // nothing ever expires: no scan on the commit path
	}
	entries, _, err := scan(u.store.db, []byte{prefixStateExpiry}, expiringPrefixUpper(prefixStateExpiry, u.blockNum), -1)
	if err != nil {
		return fmt.Errorf("scan expiring private data: %w", err)
	}
	for _, e := range entries {
		u.expired = append(u.expired, e.key)
		rest := e.key[9:]
		sep := len(rest) - 32 - 1
		if sep < 0 || rest[sep] != 0 {
			return fmt.Errorf("expiry entry %x: %w", e.key, errCorrupt)
		}
		hashedNs, key := string(rest[:sep]), string(rest[sep+1:])
		if _, written := u.lookup(hashedNs, key); written {
			continue
		}
		wroteAt, n := binary.Uvarint(e.value)
		if n <= 0 {
			return fmt.Errorf("expiry entry %x: %w", e.key, errCorrupt)
		}
		current, err := u.store.getVersion(hashedNs, key)
		if err != nil {
			return err
		}
		if current == nil || current.GetBlockNum() != wroteAt {
			continue // deleted, or rewritten later (a later entry expires it)
		}
		ns, collection, _ := SplitHashedNamespace(hashedNs)
		u.set(hashedNs, key, &stateUpdate{deleted: true})
		if err := u.deletePrivateByHash(ns, collection, key); err != nil {
			return err
		}
	}
	return nil
}

// deletePrivateByHash deletes the private key whose hash is keyHash: the
// private namespace is keyed by the plain key, found through the index of
// stored private writes.
func (u *blockUpdates) deletePrivateByHash(ns, collection, keyHash string) error {
	prefix := append(append([]byte{prefixPrivateKey}, PrivateNamespace(ns, collection)...), 0)
	prefix = append(prefix, keyHash...)
	entries, _, err := scan(u.store.db, prefix, prefixUpper(prefix), 1)
	if err != nil || len(entries) == 0 {
		return err
	}
	u.set(PrivateNamespace(ns, collection), string(entries[0].value), &stateUpdate{deleted: true})
	return nil
}

// batchPrivate adds the private data bookkeeping of the block to the state
// batch: blockToLive entries, the removal of expired and purged private
// values from the private store. It is idempotent, so that a replayed block
// redoes it.
func (u *blockUpdates) batchPrivate(b *pebble.Batch) error {
	for _, e := range u.expiries {
		var err error
		if e.private {
			err = b.Set(privateExpiryKey(e.expiring, u.blockNum, e.tx, e.ns, e.collection), nil, nil)
		} else {
			err = b.Set(stateExpiryKey(e.expiring, e.hashedNs, e.keyHash), binary.AppendUvarint(nil, u.blockNum), nil)
		}
		if err != nil {
			return fmt.Errorf("batch private data expiry: %w", err)
		}
	}
	for _, key := range u.expired {
		if err := b.Delete(key, nil); err != nil {
			return fmt.Errorf("batch private data expiry: %w", err)
		}
	}
	rewriter := newPrivateRewriter(u.store, b)
	var expiring []rawKV
	if u.store.blockToLive != nil {
		var err error
		if expiring, _, err = scan(u.store.db, []byte{prefixPrivateExpiry}, expiringPrefixUpper(prefixPrivateExpiry, u.blockNum), -1); err != nil {
			return fmt.Errorf("scan expiring private data: %w", err)
		}
	}
	for _, e := range expiring {
		if len(e.key) < 25 {
			return fmt.Errorf("private expiry entry %x: %w", e.key, errCorrupt)
		}
		block, tx := binary.BigEndian.Uint64(e.key[9:]), binary.BigEndian.Uint64(e.key[17:])
		ns, collection, found := cutByte(e.key[25:])
		if !found {
			return fmt.Errorf("private expiry entry %x: %w", e.key, errCorrupt)
		}
		if err := rewriter.remove(block, tx, func(n, c, _ string) bool { return n == ns && c == collection }); err != nil {
			return err
		}
		if err := b.Delete(e.key, nil); err != nil {
			return fmt.Errorf("batch private data expiry: %w", err)
		}
	}
	for _, p := range u.purges {
		if err := rewriter.purge(p); err != nil {
			return err
		}
	}
	return rewriter.flush()
}

func cutByte(b []byte) (string, string, bool) {
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), string(b[i+1:]), true
		}
	}
	return "", "", false
}

// batchPrivateData adds the private write sets of a block's valid
// transactions to the block's batch, with the index of their keys.
func batchPrivateData(b *pebble.Batch, block uint64, private BlockPrivateData) error {
	for tx, set := range private {
		raw, err := proto.Marshal(set)
		if err != nil {
			return fmt.Errorf("marshal private data of tx %d: %w", tx, err)
		}
		if err := b.Set(privateKey(block, tx), raw, nil); err != nil {
			return fmt.Errorf("batch private data of tx %d: %w", tx, err)
		}
		sets, err := privateWriteSets(set)
		if err != nil {
			return err
		}
		for c, kv := range sets {
			for _, w := range kv.GetWrites() {
				k := privateKeyIndexPrefix(c.ns, c.collection, w.GetKey())
				k = binary.BigEndian.AppendUint64(k, block)
				k = binary.BigEndian.AppendUint64(k, tx)
				if err := b.Set(k, []byte(w.GetKey()), nil); err != nil {
					return fmt.Errorf("batch private key index: %w", err)
				}
			}
		}
	}
	return nil
}

// privateRewriter edits stored private write sets within one batch.
type privateRewriter struct {
	store   *Store
	batch   *pebble.Batch
	pending map[string]*rwset.TxPvtReadWriteSet
	order   []string
}

func newPrivateRewriter(s *Store, b *pebble.Batch) *privateRewriter {
	return &privateRewriter{store: s, batch: b, pending: map[string]*rwset.TxPvtReadWriteSet{}}
}

func (r *privateRewriter) load(block, tx uint64) (*rwset.TxPvtReadWriteSet, error) {
	k := string(privateKey(block, tx))
	if set, ok := r.pending[k]; ok {
		return set, nil
	}
	raw, err := r.store.get([]byte(k))
	if err != nil {
		return nil, fmt.Errorf("read private data of block %d tx %d: %w", block, tx, err)
	}
	var set *rwset.TxPvtReadWriteSet
	if raw != nil {
		set = &rwset.TxPvtReadWriteSet{}
		if err := proto.Unmarshal(raw, set); err != nil {
			return nil, fmt.Errorf("unmarshal private data of block %d tx %d: %w", block, tx, err)
		}
	}
	r.pending[k] = set
	r.order = append(r.order, k)
	return set, nil
}

// remove drops the writes for which drop(ns, collection, key) holds (key
// empty: the whole collection) from a stored private write set.
func (r *privateRewriter) remove(block, tx uint64, drop func(ns, collection, key string) bool) error {
	set, err := r.load(block, tx)
	if err != nil || set == nil {
		return err
	}
	var namespaces []*rwset.NsPvtReadWriteSet
	for _, ns := range set.GetNsPvtRwset() {
		var collections []*rwset.CollectionPvtReadWriteSet
		for _, coll := range ns.GetCollectionPvtRwset() {
			if drop(ns.GetNamespace(), coll.GetCollectionName(), "") {
				continue
			}
			kv := &kvrwset.KVRWSet{}
			if err := proto.Unmarshal(coll.GetRwset(), kv); err != nil {
				return fmt.Errorf("unmarshal private data of block %d tx %d: %w", block, tx, err)
			}
			var writes []*kvrwset.KVWrite
			for _, w := range kv.GetWrites() {
				if !drop(ns.GetNamespace(), coll.GetCollectionName(), w.GetKey()) {
					writes = append(writes, w)
				}
			}
			if len(writes) == 0 && len(kv.GetMetadataWrites()) == 0 {
				continue
			}
			if len(writes) != len(kv.GetWrites()) {
				kv.Writes = writes
				if coll.Rwset, err = proto.Marshal(kv); err != nil {
					return fmt.Errorf("marshal private data of block %d tx %d: %w", block, tx, err)
				}
			}
			collections = append(collections, coll)
		}
		if len(collections) > 0 {
			ns.CollectionPvtRwset = collections
			namespaces = append(namespaces, ns)
		}
	}
	set.NsPvtRwset = namespaces
	return nil
}

// purge removes every private value of a purged key stored up to the purge.
func (r *privateRewriter) purge(p purge) error {
	prefix := append(append([]byte{prefixPrivateKey}, PrivateNamespace(p.ns, p.collection)...), 0)
	prefix = append(prefix, p.keyHash...)
	entries, _, err := scan(r.store.db, prefix, prefixUpper(prefix), -1)
	if err != nil {
		return fmt.Errorf("scan private key index: %w", err)
	}
	for _, e := range entries {
		rest := e.key[len(prefix):]
		if len(rest) != 16 {
			return fmt.Errorf("private key index %x: %w", e.key, errCorrupt)
		}
		block, tx := binary.BigEndian.Uint64(rest), binary.BigEndian.Uint64(rest[8:])
		if block > p.block || (block == p.block && tx > p.tx) {
			continue
		}
		key := string(e.value)
		if err := r.remove(block, tx, func(ns, collection, k string) bool {
			return ns == p.ns && collection == p.collection && k == key
		}); err != nil {
			return err
		}
		if err := r.batch.Delete(e.key, nil); err != nil {
			return fmt.Errorf("batch private key index: %w", err)
		}
	}
	return nil
}

// flush writes the edited private write sets into the batch.
func (r *privateRewriter) flush() error {
	for _, k := range r.order {
		set := r.pending[k]
		var err error
		switch {
		case set == nil:
			continue
		case len(set.GetNsPvtRwset()) == 0:
			err = r.batch.Delete([]byte(k), nil)
		default:
			var raw []byte
			if raw, err = proto.Marshal(set); err == nil {
				err = r.batch.Set([]byte(k), raw, nil)
			}
		}
		if err != nil {
			return fmt.Errorf("batch private data: %w", err)
		}
	}
	return nil
}

// PrivateData returns the private write sets this peer stores for a block,
// by transaction index (those of its collections, minus what blockToLive
// and purges removed).
func (s *Store) PrivateData(block uint64) (BlockPrivateData, error) {
	lower := privateKey(block, 0)
	upper := privateKey(block+1, 0)
	if err := s.useDB(); err != nil {
		return nil, err
	}
	entries, _, err := scan(s.db, lower, upper, -1)
	s.dbMu.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("read private data of block %d: %w", block, err)
	}
	out := BlockPrivateData{}
	for _, e := range entries {
		set := &rwset.TxPvtReadWriteSet{}
		if err := proto.Unmarshal(e.value, set); err != nil {
			return nil, fmt.Errorf("unmarshal private data of block %d: %w", block, err)
		}
		out[binary.BigEndian.Uint64(e.key[9:])] = set
	}
	return out, nil
}

// GetPrivateData returns the latest committed private value of a key (nil if
// absent or not held by this peer).
func (s *Store) GetPrivateData(ns, collection, key string) (*VersionedValue, error) {
	return s.GetState(PrivateNamespace(ns, collection), key)
}

// GetPrivateDataHash returns the latest committed hashed entry of a private
// key: the value's hash, version and metadata (nil if absent).
func (s *Store) GetPrivateDataHash(ns, collection, key string) (*VersionedValue, error) {
	return s.GetState(HashedNamespace(ns, collection), keyHash(key))
}
