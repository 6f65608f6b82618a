package ledger

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/bloom"
	"github.com/cockroachdb/pebble/vfs"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/blockfile"
)

// ErrNotFound is returned (wrapped) when a requested block does not exist.
var ErrNotFound = errors.New("not found")

// ErrClosed is returned by a store that has been closed.
var ErrClosed = errors.New("ledger closed")

const cacheSize = 64 << 20

// VersionedValue is a committed state entry: the value, the version of the
// transaction that last wrote it and its metadata (nil when it has none).
type VersionedValue struct {
	Value    []byte
	Version  *kvrwset.Version
	Metadata map[string][]byte
}

// Store is the ledger of one peer. It is safe for concurrent use; blocks are
// committed one at a time.
type Store struct {
	db *pebble.DB

	commitMu sync.Mutex // serialises CommitBlock and Close

	// stateMu is held for writing while a block's state is applied (the
	// Pebble batch and the state cache together), and for reading while a
	// simulation takes its snapshot or a reader reads the latest state: a
	// reader never sees Pebble and the cache at different heights.
	stateMu sync.RWMutex

	// dbMu is held for reading by every direct read of db outside a commit,
	// and for writing while Close closes db, so that a read racing Close
	// (an endorsement still in flight at shutdown) gets ErrClosed rather
	// than a closed Pebble.
	dbMu     sync.RWMutex
	dbClosed bool

	mu       sync.RWMutex // guards the fields below
	height   uint64
	lastHash []byte
	closed   bool
	// snapshots are the open simulations' snapshots, closed with the store.
	snapshots map[*Simulator]struct{}

	// metadata knows which state keys carry metadata.
	metadata metadataIndex
	// cache holds recently used state records.
	cache *stateCache
	// blocks holds the blocks, in the file blockFileName beside the database;
	// indexed is how many of them the database indexes (committed blocks).
	blocks  *blockfile.File
	indexed atomic.Uint64
	// stopAfterBlockWrite simulates a crash between the two commit batches.
	stopAfterBlockWrite bool
	// fault, when set, makes chosen operations fail (tests only).
	fault Fault
	// fs, when set, is the file system Pebble uses (tests only).
	fs vfs.FS
	// blockToLive gives collections' blockToLive (nil: keep private data).
	blockToLive BlockToLive
}

// Open opens (or creates) the ledger in dir and brings the state up to the
// stored blocks, replaying any block whose state was not yet applied.
func Open(dir string, opts ...Option) (*Store, error) {
	s := &Store{
		metadata:  metadataIndex{keys: map[string]struct{}{}},
		cache:     newStateCache(stateCacheSize),
		snapshots: map[*Simulator]struct{}{},
	}
	for _, option := range opts {
		option(s)
	}
	cache := pebble.NewCache(cacheSize)
	defer cache.Unref()
	options := PebbleOptions()
	options.Cache = cache
	if s.fs != nil {
		options.FS = s.fs
	}
	db, err := pebble.Open(dir, options)
	if err != nil {
		return nil, fmt.Errorf("open ledger %s: %w", dir, err)
	}
	s.db = db
	fs := s.fs
	if fs == nil {
		fs = vfs.Default
	}
	if s.blocks, err = blockfile.Open(fs, fs.PathJoin(dir, blockFileName)); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open ledger %s: %w", dir, err)
	}
	// The metadata index comes first: replaying a block reads it.
	if err := s.buildMetadataIndex(); err != nil {
		s.closeFiles()
		return nil, fmt.Errorf("open ledger %s: %w", dir, err)
	}
	if err := s.load(); err != nil {
		s.closeFiles()
		return nil, fmt.Errorf("open ledger %s: %w", dir, err)
	}
	s.cache.reset(s.height)
	return s, nil
}

// PebbleOptions are the store settings of every dev-network database (the
// peers' ledgers and the orderer's blocks): an 8 MiB memtable; a bloom filter
// on every level, so that a lookup of an absent key (every new transaction ID,
// every key a transaction creates) skips the tables that cannot hold it; and
// compactions started later and a larger base level, since a ledger mostly
// appends (this took compaction from about 17% to 12% of the CPU of a loaded
// network). Letting 16 rather than 8 L0 sublevels gather before compacting
// them into the base level rewrites the base level half as often: replaying
// 3,152 split-transfer blocks into a peer ledger compacted 130 MB instead of
// 201 MB and took 13% less CPU; the bloom filters keep the extra L0 tables
// cheap for point reads. (A 64 MiB memtable without compression removed
// compaction from the profile but made reads slower overall: no gain under load.)
func PebbleOptions() *pebble.Options {
	levels := make([]pebble.LevelOptions, 7)
	for i := range levels {
		levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	return &pebble.Options{
		L0CompactionThreshold: 16,
		L0StopWritesThreshold: 64,
		LBaseMaxBytes:         512 << 20,
		MemTableSize:          8 << 20,
		MaxOpenFiles:          256,
		Levels:                levels,
		Logger:                QuietLogger{},
	}
}

// closeFiles closes the database and the block file of a store that failed
// to open.
func (s *Store) closeFiles() {
	_ = s.blocks.Close()
	_ = s.db.Close()
}

// load reads the height and last block hash, brings the block file to the
// indexed blocks, then replays the blocks above the savepoint.
func (s *Store) load() error {
	it, err := s.db.NewIter(&pebble.IterOptions{
		LowerBound: []byte{prefixBlock},
		UpperBound: []byte{prefixBlock + 1},
	})
	if err != nil {
		return fmt.Errorf("scan blocks: %w", err)
	}
	if it.Last() {
		if len(it.Key()) != 9 {
			_ = it.Close()
			return fmt.Errorf("block key %x: %w", it.Key(), errCorrupt)
		}
		if len(it.Value()) != 0 {
			_ = it.Close()
			return errors.New("the ledger keeps its blocks in the format of an earlier dev network; remove the network's directory and start again")
		}
		s.height = binary.BigEndian.Uint64(it.Key()[1:]) + 1
	}
	if err := it.Close(); err != nil {
		return fmt.Errorf("scan blocks: %w", err)
	}
	// A block appended to the file whose index batch a crash lost is not
	// committed: it goes, and the orderer delivers it again.
	switch stored := s.blocks.Len(); {
	case stored < s.height:
		return fmt.Errorf("the block file holds %d blocks, the ledger indexes %d: %w", stored, s.height, errCorrupt)
	case stored > s.height:
		if err := s.blocks.TruncateTo(s.height); err != nil {
			return err
		}
	}
	s.indexed.Store(s.height)
	if s.height == 0 {
		return nil
	}
	last, err := s.GetBlock(s.height - 1)
	if err != nil {
		return err
	}
	s.lastHash = BlockHeaderHash(last.GetHeader())
	savepoint, err := s.savepoint()
	if err != nil {
		return err
	}
	if savepoint > s.height {
		return fmt.Errorf("savepoint %d above block height %d", savepoint, s.height)
	}
	for num := savepoint; num < s.height; num++ {
		if err := s.replay(num); err != nil {
			return fmt.Errorf("replay block %d: %w", num, err)
		}
	}
	return nil
}

func (s *Store) savepoint() (uint64, error) {
	rec, err := s.get(savepointKey)
	if err != nil || rec == nil {
		return 0, err
	}
	sp, n := binary.Uvarint(rec)
	if n <= 0 {
		return 0, fmt.Errorf("savepoint: %w", errCorrupt)
	}
	return sp, nil
}

// Close closes the database after any commit in progress. Simulations still
// open end (their reads fail with ErrClosed).
func (s *Store) Close() error {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	open := make([]*Simulator, 0, len(s.snapshots))
	for sim := range s.snapshots {
		open = append(open, sim)
	}
	s.snapshots = nil
	s.mu.Unlock()
	for _, sim := range open {
		sim.releaseSnapshot()
	}
	s.dbMu.Lock()
	defer s.dbMu.Unlock()
	s.dbClosed = true
	if err := s.db.Close(); err != nil {
		_ = s.blocks.Close()
		return fmt.Errorf("close ledger: %w", err)
	}
	return s.blocks.Close()
}

// snapshot returns a snapshot of the committed state and its height, or
// ErrClosed; the store closes it at the latest when it closes, unless
// forget(sim) was called first.
func (s *Store) snapshot(sim *Simulator) (*pebble.Snapshot, uint64, error) {
	s.stateMu.RLock()
	defer s.stateMu.RUnlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, 0, ErrClosed
	}
	s.snapshots[sim] = struct{}{}
	return s.db.NewSnapshot(), s.cache.currentHeight(), nil
}

// forget drops a simulation whose snapshot it closed itself.
func (s *Store) forget(sim *Simulator) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.snapshots, sim)
}

// Height returns the number of committed blocks.
func (s *Store) Height() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.height
}

// LastBlockHash returns the header hash of the last committed block (nil when
// the ledger is empty): the previous_hash of the next block.
func (s *Store) LastBlockHash() []byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]byte(nil), s.lastHash...)
}

// GetBlock returns the stored block num, with its final TRANSACTIONS_FILTER.
func (s *Store) GetBlock(num uint64) (*common.Block, error) {
	rec, err := s.blockBytes(num)
	if err != nil {
		return nil, err
	}
	block := &common.Block{}
	if err := proto.Unmarshal(rec, block); err != nil {
		return nil, fmt.Errorf("unmarshal block %d: %w", num, err)
	}
	return block, nil
}

// GetState returns the latest committed value of key in namespace ns, or
// nil, nil if the key does not exist.
func (s *Store) GetState(ns, key string) (*VersionedValue, error) {
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	if err := s.useDB(); err != nil {
		return nil, err
	}
	defer s.dbMu.RUnlock()
	s.stateMu.RLock()
	defer s.stateMu.RUnlock()
	rec, err := s.stateRecord(s.db, s.cache.currentHeight(), ns, key)
	if err != nil || rec == nil {
		return nil, err
	}
	vv, err := decodeState(rec)
	if err != nil {
		return nil, fmt.Errorf("decode state %s/%q: %w", ns, key, err)
	}
	return vv, nil
}

// getVersion returns the latest committed version of a key (nil if absent)
// without copying its value.
func (s *Store) getVersion(ns, key string) (*kvrwset.Version, error) {
	s.stateMu.RLock()
	defer s.stateMu.RUnlock()
	rec, err := s.stateRecord(s.db, s.cache.currentHeight(), ns, key)
	if err != nil || rec == nil {
		return nil, err
	}
	ver, _, err := decodeVersion(rec)
	if err != nil {
		return nil, fmt.Errorf("decode state %s/%q: %w", ns, key, err)
	}
	return ver, nil
}

// stateRecord returns the encoded state record of a key at height, nil if
// absent, from the state cache or else from reader (the database or a
// snapshot, at that height). The record must not be modified.
func (s *Store) stateRecord(reader pebble.Reader, height uint64, ns, key string) ([]byte, error) {
	var kbuf [64]byte
	k := stateKey(kbuf[:0], ns, key)
	if rec, cached := s.cache.get(k, height); cached {
		return rec, nil
	}
	if err := s.injected(OpReadState); err != nil {
		return nil, fmt.Errorf("get state %s/%q: %w", ns, key, err)
	}
	value, closer, err := reader.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		s.cache.put(k, nil, height)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get state %s/%q: %w", ns, key, err)
	}
	rec := append([]byte(nil), value...)
	_ = closer.Close()
	s.cache.put(k, rec, height)
	return rec, nil
}

// TxStatus returns the validation code and block number recorded for the first
// transaction committed with txID; found is false if there is none.
func (s *Store) TxStatus(txID string) (code peer.TxValidationCode, blockNum uint64, found bool, err error) {
	if err := s.injected(OpLookupTx); err != nil {
		return 0, 0, false, fmt.Errorf("look up tx %s: %w", txID, err)
	}
	rec, err := s.get(txKey(txID))
	if err != nil || rec == nil {
		return 0, 0, false, err
	}
	blockNum, _, code, err = decodeTxRecord(rec)
	if err != nil {
		return 0, 0, false, fmt.Errorf("decode tx %s: %w", txID, err)
	}
	return code, blockNum, true, nil
}

// VerifyChain re-reads every stored block and checks its number, its data hash
// and that its previous_hash is the header hash of the block before it.
func (s *Store) VerifyChain() error {
	height := s.Height()
	var prev []byte
	for num := uint64(0); num < height; num++ {
		block, err := s.GetBlock(num)
		if err != nil {
			return err
		}
		h := block.GetHeader()
		if h.GetNumber() != num {
			return fmt.Errorf("block %d: header number %d", num, h.GetNumber())
		}
		if !bytes.Equal(h.GetDataHash(), BlockDataHash(block.GetData())) {
			return fmt.Errorf("block %d: data hash mismatch", num)
		}
		if num > 0 && !bytes.Equal(h.GetPreviousHash(), prev) {
			return fmt.Errorf("block %d: previous hash does not match block %d", num, num-1)
		}
		prev = BlockHeaderHash(h)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if height > 0 && !bytes.Equal(prev, s.lastHash) {
		return errors.New("last block hash does not match the stored chain")
	}
	return nil
}

// blockBytes reads committed block num from the block file.
func (s *Store) blockBytes(num uint64) ([]byte, error) {
	if num >= s.indexed.Load() {
		return nil, fmt.Errorf("block %d: %w", num, ErrNotFound)
	}
	if err := s.useDB(); err != nil {
		return nil, err
	}
	defer s.dbMu.RUnlock()
	rec, err := s.blocks.Read(num)
	if err != nil {
		return nil, fmt.Errorf("get block %d: %w", num, err)
	}
	return rec, nil
}

// useDB holds db open for a read outside a commit: on success the caller
// must call s.dbMu.RUnlock when done; after Close it returns ErrClosed.
func (s *Store) useDB() error {
	s.dbMu.RLock()
	if s.dbClosed {
		s.dbMu.RUnlock()
		return ErrClosed
	}
	return nil
}

// get returns a copy of the value at key, or nil if absent.
func (s *Store) get(key []byte) ([]byte, error) {
	if err := s.useDB(); err != nil {
		return nil, err
	}
	defer s.dbMu.RUnlock()
	rec, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	return append([]byte{}, rec...), nil
}

// rawKV is a copied key-value pair read by scan.
type rawKV struct{ key, value []byte }

// scan reads up to limit pairs of reader in [lower, upper) and reports
// whether more may follow. No Pebble iterator outlives the call.
func scan(reader pebble.Reader, lower, upper []byte, limit int) ([]rawKV, bool, error) {
	it, err := reader.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, false, err
	}
	var out []rawKV
	more := false
	for ok := it.First(); ok; ok = it.Next() {
		if len(out) == limit {
			more = true
			break
		}
		out = append(out, rawKV{
			key:   append([]byte(nil), it.Key()...),
			value: append([]byte(nil), it.Value()...),
		})
	}
	if err := it.Close(); err != nil {
		return nil, false, err
	}
	return out, more, nil
}

// QuietLogger drops Pebble's informational messages (WAL replay notes on every
// open) and keeps its fatal path.
type QuietLogger struct{}

func (QuietLogger) Infof(string, ...interface{}) {}

func (QuietLogger) Fatalf(format string, args ...interface{}) {
	pebble.DefaultLogger.Fatalf(format, args...)
}
