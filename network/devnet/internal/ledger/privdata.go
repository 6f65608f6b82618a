package ledger

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cockroachdb/pebble"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"google.golang.org/protobuf/proto"
)

// Private data lives in the state as Fabric's state database keeps it: the
// hashes of a collection's keys and values in namespace <ns>$$h<collection>
// (key = SHA-256 of the key, value = SHA-256 of the value, version and
// metadata as any state entry) on every peer, and the keys and values
// themselves in <ns>$$p<collection> on member peers only, with the version of
// the hashed entry.
const (
	hashedSeparator  = "$$h"
	privateSeparator = "$$p"
)

// HashedNamespace is the state namespace of a collection's hashed data.
func HashedNamespace(ns, collection string) string { return ns + hashedSeparator + collection }

// PrivateNamespace is the state namespace of a collection's private data.
func PrivateNamespace(ns, collection string) string { return ns + privateSeparator + collection }

// SplitHashedNamespace returns the chaincode and collection of a hashed
// namespace; ok is false for any other namespace.
func SplitHashedNamespace(namespace string) (ns, collection string, ok bool) {
	return strings.Cut(namespace, hashedSeparator)
}

func isPrivateNamespace(namespace string) bool {
	return strings.Contains(namespace, privateSeparator)
}

// Hash is the hash Fabric uses for private keys and values (SHA-256).
func Hash(data []byte) []byte {
	sum := sha256.Sum256(data)
	return sum[:]
}

// keyHash is the hashed state key of a private key.
func keyHash(key string) string { return string(Hash([]byte(key))) }

// Errors of private data simulation.
var (
	// ErrPrivateQueryReadWrite: as in Fabric, range queries on private data are
	// allowed only in a transaction that writes nothing.
	ErrPrivateQueryReadWrite = errors.New("queries on private data are supported only in a read-only transaction")
	// ErrPrivateDataNotAvailable: the hashed state holds a version of the key
	// whose private value this peer does not have (it is not a member of the
	// collection, or the data is missing).
	ErrPrivateDataNotAvailable = errors.New("private data matching public hash version is not available")
)

// collBuilder records one collection's hashed reads and writes (keyed by the
// plain key, so that they sort as Fabric sorts them) and its private writes.
type collBuilder struct {
	reads       map[string]*kvrwset.KVReadHash
	writes      map[string]*kvrwset.KVWriteHash
	mdWrites    map[string]*kvrwset.KVMetadataWriteHash
	pvtWrites   map[string]*kvrwset.KVWrite
	pvtMdWrites map[string]*kvrwset.KVMetadataWrite
	pvtHash     []byte
}

// coll returns the builder of a collection; sim.mu is held.
func (sim *Simulator) coll(ns, collection string) *collBuilder {
	if sim.collections == nil {
		sim.collections = map[string]map[string]*collBuilder{}
	}
	byName := sim.collections[ns]
	if byName == nil {
		byName = map[string]*collBuilder{}
		sim.collections[ns] = byName
	}
	b := byName[collection]
	if b == nil {
		b = &collBuilder{
			reads:       map[string]*kvrwset.KVReadHash{},
			writes:      map[string]*kvrwset.KVWriteHash{},
			mdWrites:    map[string]*kvrwset.KVMetadataWriteHash{},
			pvtWrites:   map[string]*kvrwset.KVWrite{},
			pvtMdWrites: map[string]*kvrwset.KVMetadataWrite{},
		}
		byName[collection] = b
	}
	return b
}

// readHashed returns the committed hashed entry of a private key; sim.mu is held.
func (sim *Simulator) readHashed(ns, collection, key string) (*VersionedValue, error) {
	reader, err := sim.reader()
	if err != nil {
		return nil, err
	}
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	return sim.decodedRecord(reader, HashedNamespace(ns, collection), keyHash(key))
}

// decodedRecord reads and decodes a state entry at the simulation's height.
func (sim *Simulator) decodedRecord(reader pebble.Reader, namespace, key string) (*VersionedValue, error) {
	rec, err := sim.store.stateRecord(reader, sim.height, namespace, key)
	if err != nil || rec == nil {
		return nil, err
	}
	vv, err := decodeState(rec)
	if err != nil {
		return nil, fmt.Errorf("decode state %s/%x: %w", namespace, key, err)
	}
	return vv, nil
}

// recordHashedRead records the version of a private key read, once per key.
func (sim *Simulator) recordHashedRead(ns, collection, key string, vv *VersionedValue) {
	if !sim.record {
		return
	}
	b := sim.coll(ns, collection)
	if _, seen := b.reads[key]; seen {
		return
	}
	var ver *kvrwset.Version
	if vv != nil {
		ver = vv.Version
	}
	b.reads[key] = &kvrwset.KVReadHash{KeyHash: Hash([]byte(key)), Version: ver}
}

// GetPrivateData returns the committed private value of key in a collection
// (nil if absent) and records a hashed read. As in Fabric, it fails when the
// hashed state holds a version whose private value this peer lacks.
func (sim *Simulator) GetPrivateData(ns, collection, key string) ([]byte, error) {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	hashed, err := sim.readHashed(ns, collection, key)
	if err != nil {
		return nil, err
	}
	reader, err := sim.reader()
	if err != nil {
		return nil, err
	}
	private, err := sim.decodedRecord(reader, PrivateNamespace(ns, collection), key)
	if err != nil {
		return nil, err
	}
	var hashedVersion, privateVersion *kvrwset.Version
	if hashed != nil {
		hashedVersion = hashed.Version
	}
	if private != nil {
		privateVersion = private.Version
	}
	if !sameVersion(hashedVersion, privateVersion) {
		return nil, fmt.Errorf("%w. Public hash version = %s, Private data version = %s", ErrPrivateDataNotAvailable, versionString(hashedVersion), versionString(privateVersion))
	}
	sim.recordHashedRead(ns, collection, key, hashed)
	if private == nil {
		return nil, nil
	}
	return private.Value, nil
}

func versionString(v *kvrwset.Version) string {
	if v == nil {
		return "<nil>"
	}
	return fmt.Sprintf("{BlockNum: %d, TxNum: %d}", v.GetBlockNum(), v.GetTxNum())
}

// hashedRead reads the committed hash entry of a private key (nil if absent)
// and records the hashed read, as every peer may.
func (sim *Simulator) hashedRead(ns, collection, key string) (*VersionedValue, error) {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	hashed, err := sim.readHashed(ns, collection, key)
	if err != nil {
		return nil, err
	}
	sim.recordHashedRead(ns, collection, key, hashed)
	return hashed, nil
}

// GetPrivateDataHash returns the hash of the committed value of a private key
// (nil if absent), readable on every peer, and records a hashed read.
func (sim *Simulator) GetPrivateDataHash(ns, collection, key string) ([]byte, error) {
	hashed, err := sim.hashedRead(ns, collection, key)
	if err != nil || hashed == nil {
		return nil, err
	}
	return hashed.Value, nil
}

// GetPrivateDataMetadata returns the metadata of a private key, kept with
// its hash, and records a hashed read as Fabric does.
func (sim *Simulator) GetPrivateDataMetadata(ns, collection, key string) (map[string][]byte, error) {
	hashed, err := sim.hashedRead(ns, collection, key)
	if err != nil || hashed == nil {
		return nil, err
	}
	return hashed.Metadata, nil
}

// GetPrivateDataRangeScanIterator iterates the committed private keys of a
// collection in [start, end). As in Fabric, nothing is recorded for it, it
// fails in a transaction that wrote, and writes fail after it.
func (sim *Simulator) GetPrivateDataRangeScanIterator(ns, collection, start, end string) (StateIterator, error) {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if sim.done {
		return nil, ErrDone
	}
	if sim.record {
		if sim.wrote {
			return nil, fmt.Errorf("txid [%s]: %w", sim.txID, ErrPrivateQueryReadWrite)
		}
		sim.pvtQueried = true
	}
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	return sim.newRangeIterator(PrivateNamespace(ns, collection), start, end, 0)
}

// checkPrivateWrite applies the write preconditions to a private key; sim.mu is held.
func (sim *Simulator) checkPrivateWrite(ns, collection, key string) error {
	if collection == "" {
		return errors.New("collection must not be empty")
	}
	if err := sim.checkWrite(ns, key); err != nil {
		return err
	}
	if !utf8.ValidString(collection) {
		return fmt.Errorf("invalid collection name [%x]", collection)
	}
	return nil
}

// SetPrivateData records a private write (an empty value is a delete): the
// key and value in the private write set, their hashes in the hashed one.
func (sim *Simulator) SetPrivateData(ns, collection, key string, value []byte) error {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if err := sim.checkPrivateWrite(ns, collection, key); err != nil {
		return err
	}
	sim.addPrivateWrite(ns, collection, key, value, false)
	return nil
}

// DeletePrivateData records the deletion of a private key.
func (sim *Simulator) DeletePrivateData(ns, collection, key string) error {
	return sim.SetPrivateData(ns, collection, key, nil)
}

// PurgePrivateData records a purge of a private key: committing it deletes
// the key and removes every earlier private value of it from the peers'
// private data stores.
func (sim *Simulator) PurgePrivateData(ns, collection, key string) error {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if err := sim.checkPrivateWrite(ns, collection, key); err != nil {
		return err
	}
	sim.addPrivateWrite(ns, collection, key, nil, true)
	return nil
}

func (sim *Simulator) addPrivateWrite(ns, collection, key string, value []byte, purge bool) {
	w := &kvrwset.KVWrite{Key: key, IsDelete: len(value) == 0}
	hw := &kvrwset.KVWriteHash{KeyHash: Hash([]byte(key)), IsDelete: w.IsDelete, IsPurge: purge}
	if !w.IsDelete {
		w.Value = append([]byte(nil), value...)
		hw.ValueHash = Hash(value)
	}
	b := sim.coll(ns, collection)
	b.pvtWrites[key] = w
	b.writes[key] = hw
}

// SetPrivateDataMetadata records a metadata write of a private key; as in
// Fabric, the entries go into the hashed write set only.
func (sim *Simulator) SetPrivateDataMetadata(ns, collection, key string, md map[string][]byte) error {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if err := sim.checkPrivateWrite(ns, collection, key); err != nil {
		return err
	}
	mw := &kvrwset.KVMetadataWriteHash{KeyHash: Hash([]byte(key))}
	for _, name := range sortedNames(md) {
		mw.Entries = append(mw.Entries, &kvrwset.KVMetadataEntry{Name: name, Value: append([]byte(nil), md[name]...)})
	}
	b := sim.coll(ns, collection)
	b.mdWrites[key] = mw
	b.pvtMdWrites[key] = &kvrwset.KVMetadataWrite{Key: key}
	return nil
}

// PrivateResults returns the private write set of the transaction (nil when
// it wrote no private data), as Fabric's TxPvtReadWriteSet: namespaces and
// collections sorted, writes sorted by key. Call it after [Simulator.Results].
func (sim *Simulator) PrivateResults() (*rwset.TxPvtReadWriteSet, error) {
	sim.mu.Lock()
	defer sim.mu.Unlock()
	if sim.results == nil {
		return nil, errors.New("private results: call Results first")
	}
	return sim.pvtResults, nil
}

// privateResults builds the private write set and sets each collection's
// hash of it; sim.mu is held.
func (sim *Simulator) privateResults() (*rwset.TxPvtReadWriteSet, error) {
	var out *rwset.TxPvtReadWriteSet
	for _, ns := range sortedKeys(sim.collections) {
		var nsSet *rwset.NsPvtReadWriteSet
		for _, name := range sortedKeys(sim.collections[ns]) {
			b := sim.collections[ns][name]
			if len(b.pvtWrites) == 0 && len(b.pvtMdWrites) == 0 {
				continue
			}
			raw, err := proto.MarshalOptions{Deterministic: true}.Marshal(&kvrwset.KVRWSet{
				Writes:         sortedValues(b.pvtWrites),
				MetadataWrites: sortedValues(b.pvtMdWrites),
			})
			if err != nil {
				return nil, fmt.Errorf("marshal private write set of %s/%s: %w", ns, name, err)
			}
			b.pvtHash = Hash(raw)
			if nsSet == nil {
				nsSet = &rwset.NsPvtReadWriteSet{Namespace: ns}
			}
			nsSet.CollectionPvtRwset = append(nsSet.CollectionPvtRwset, &rwset.CollectionPvtReadWriteSet{CollectionName: name, Rwset: raw})
		}
		if nsSet != nil {
			if out == nil {
				out = &rwset.TxPvtReadWriteSet{DataModel: rwset.TxReadWriteSet_KV}
			}
			out.NsPvtRwset = append(out.NsPvtRwset, nsSet)
		}
	}
	return out, nil
}

// collectionHashedSets returns the hashed read-write sets of a namespace's
// collections, sorted by name; sim.mu is held and privateResults has run.
func (sim *Simulator) collectionHashedSets(ns string) ([]*rwset.CollectionHashedReadWriteSet, error) {
	var out []*rwset.CollectionHashedReadWriteSet
	for _, name := range sortedKeys(sim.collections[ns]) {
		b := sim.collections[ns][name]
		raw, err := proto.Marshal(&kvrwset.HashedRWSet{
			HashedReads:    sortedValues(b.reads),
			HashedWrites:   sortedValues(b.writes),
			MetadataWrites: sortedValues(b.mdWrites),
		})
		if err != nil {
			return nil, fmt.Errorf("marshal hashed read-write set of %s/%s: %w", ns, name, err)
		}
		out = append(out, &rwset.CollectionHashedReadWriteSet{CollectionName: name, HashedRwset: raw, PvtRwsetHash: b.pvtHash})
	}
	return out, nil
}

// sortedKeys returns the keys of a map in order.
func sortedKeys[T any](m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
