package ledger

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

// metadataSlots is the number of block metadata entries Fabric uses (0..4).
const metadataSlots = int(common.BlockMetadataIndex_COMMIT_HASH) + 1

// errStopped is returned when a test stops a commit after the block write.
var errStopped = errors.New("commit stopped after the block write")

// CommitBlock validates and commits the next block. flags holds one code per
// transaction from the caller's pre-validation (header, signatures,
// endorsement policy, duplicate tx id). Transactions still VALID get Fabric's
// MVCC checks in block order; the writes of those that stay valid are applied
// with version {block number, tx index}. Every transaction's id is indexed
// (the first occurrence wins). The final codes are written into the block's
// TRANSACTIONS_FILTER metadata (block is modified in place), the block is
// stored, and the final codes are returned.
func (s *Store) CommitBlock(block *common.Block, flags []peer.TxValidationCode) ([]peer.TxValidationCode, error) {
	return s.CommitParsedBlock(block, flags, nil)
}

// CommitParsedBlock is [Store.CommitBlock] for a caller that has already taken
// the block's transactions apart: parsed[i], when not nil, is what [ParseTx]
// returns for the i-th envelope (its RWSet may be nil when the transaction is
// not VALID in flags). Nil entries, or a nil slice, are parsed here.
func (s *Store) CommitParsedBlock(block *common.Block, flags []peer.TxValidationCode, parsed []*Tx) ([]peer.TxValidationCode, error) {
	return s.commitBlock(block, flags, parsed, nil)
}

// commitBlock commits a block with this peer's private data of it (nil: none).
func (s *Store) commitBlock(block *common.Block, flags []peer.TxValidationCode, parsed []*Tx, private BlockPrivateData) ([]peer.TxValidationCode, error) {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.mu.RLock()
	height, lastHash, closed := s.height, s.lastHash, s.closed
	s.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	if err := checkBlock(block, height, lastHash); err != nil {
		return nil, err
	}
	envs := block.GetData().GetData()
	if len(flags) != len(envs) {
		return nil, fmt.Errorf("block %d: %d flags for %d transactions", height, len(flags), len(envs))
	}
	if parsed != nil && len(parsed) != len(envs) {
		return nil, fmt.Errorf("block %d: %d parsed transactions for %d", height, len(parsed), len(envs))
	}

	final := append([]peer.TxValidationCode(nil), flags...)
	txs := make([]*Tx, len(envs))
	updates := newBlockUpdates(s, height)
	for i, data := range envs {
		var tx *Tx
		var err error
		if parsed != nil && parsed[i] != nil {
			tx = parsed[i]
		} else {
			tx, err = parseEnvelopeBytes(data)
		}
		txs[i] = tx
		if final[i] != peer.TxValidationCode_VALID {
			continue
		}
		if err != nil || tx == nil {
			final[i] = peer.TxValidationCode_INVALID_OTHER_REASON
			continue
		}
		if tx.Type != common.HeaderType_ENDORSER_TRANSACTION {
			continue
		}
		code, err := updates.validate(tx)
		if err != nil {
			return nil, fmt.Errorf("block %d tx %d: %w", height, i, err)
		}
		final[i] = code
		if code == peer.TxValidationCode_VALID {
			if err := updates.apply(uint64(i), tx); err != nil {
				return nil, fmt.Errorf("block %d tx %d: %w", height, i, err)
			}
			if err := updates.applyCollections(uint64(i), tx, private[uint64(i)]); err != nil {
				return nil, fmt.Errorf("block %d tx %d: %w", height, i, err)
			}
		}
	}
	if err := updates.expire(); err != nil {
		return nil, fmt.Errorf("block %d: %w", height, err)
	}

	setTxFilter(block, final)
	if err := s.writeBlock(block, txs, final, updates.private); err != nil {
		return nil, err
	}
	if s.stopAfterBlockWrite {
		return nil, errStopped
	}
	if err := s.writeState(updates); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.height = height + 1
	s.lastHash = BlockHeaderHash(block.GetHeader())
	s.mu.Unlock()
	return final, nil
}

// checkBlock checks that block is the next block of the chain.
func checkBlock(block *common.Block, height uint64, lastHash []byte) error {
	h := block.GetHeader()
	if h == nil {
		return errors.New("block has no header")
	}
	if h.GetNumber() != height {
		return fmt.Errorf("block number %d, want %d", h.GetNumber(), height)
	}
	if height > 0 && !bytes.Equal(h.GetPreviousHash(), lastHash) {
		return fmt.Errorf("block %d: previous hash does not match block %d", height, height-1)
	}
	if !bytes.Equal(h.GetDataHash(), BlockDataHash(block.GetData())) {
		return fmt.Errorf("block %d: data hash does not match its data", height)
	}
	return nil
}

// parseEnvelopeBytes parses one block entry. For an endorser transaction whose
// read-write set cannot be parsed it returns the header fields and the error.
func parseEnvelopeBytes(data []byte) (*Tx, error) {
	env := &common.Envelope{}
	if err := proto.Unmarshal(data, env); err != nil {
		return nil, fmt.Errorf("unmarshal envelope: %w", err)
	}
	return parseTx(env)
}

// setTxFilter writes one validation code byte per transaction into the
// TRANSACTIONS_FILTER slot, making sure all of Fabric's metadata slots exist.
func setTxFilter(block *common.Block, codes []peer.TxValidationCode) {
	if block.Metadata == nil {
		block.Metadata = &common.BlockMetadata{}
	}
	for len(block.Metadata.Metadata) < metadataSlots {
		block.Metadata.Metadata = append(block.Metadata.Metadata, []byte{})
	}
	filter := make([]byte, len(codes))
	for i, c := range codes {
		filter[i] = byte(c)
	}
	block.Metadata.Metadata[common.BlockMetadataIndex_TRANSACTIONS_FILTER] = filter
}

// TxFilter returns the validation codes stored in a block's
// TRANSACTIONS_FILTER metadata.
func TxFilter(block *common.Block) []peer.TxValidationCode {
	md := block.GetMetadata().GetMetadata()
	if len(md) <= int(common.BlockMetadataIndex_TRANSACTIONS_FILTER) {
		return nil
	}
	raw := md[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
	codes := make([]peer.TxValidationCode, len(raw))
	for i, b := range raw {
		codes[i] = peer.TxValidationCode(b)
	}
	return codes
}

// writeBlock appends the block to the block file, synced, then writes its
// index entry and the tx id index in one synced batch: the block counts as
// committed once that batch is written. An ID already indexed by an earlier
// block keeps its first record.
func (s *Store) writeBlock(block *common.Block, txs []*Tx, codes []peer.TxValidationCode, private BlockPrivateData) error {
	num := block.GetHeader().GetNumber()
	raw, err := proto.Marshal(block)
	if err != nil {
		return fmt.Errorf("marshal block %d: %w", num, err)
	}
	if err := s.injected(OpWriteBlock); err != nil {
		return fmt.Errorf("write block %d: %w", num, err)
	}
	// A block a failed commit appended is replaced.
	if err := s.blocks.TruncateTo(num); err != nil {
		return fmt.Errorf("write block %d: %w", num, err)
	}
	if stored := s.blocks.Len(); stored != num {
		return fmt.Errorf("write block %d: the block file holds %d blocks", num, stored)
	}
	if err := s.blocks.Append(raw); err != nil {
		return fmt.Errorf("write block %d: %w", num, err)
	}
	b := s.db.NewBatch()
	defer b.Close()
	if err := b.Set(blockKey(num), nil, nil); err != nil {
		return fmt.Errorf("batch block %d: %w", num, err)
	}
	// A transaction ID is indexed once, at its first VALID occurrence in the
	// block if there is one, else at its first occurrence.
	chosen := make(map[string]int, len(txs))
	for i, tx := range txs {
		if tx == nil || tx.ID == "" {
			continue
		}
		first, seen := chosen[tx.ID]
		if !seen || (codes[first] != peer.TxValidationCode_VALID && codes[i] == peer.TxValidationCode_VALID) {
			chosen[tx.ID] = i
		}
	}
	for i, tx := range txs {
		if tx == nil || tx.ID == "" || chosen[tx.ID] != i {
			continue
		}
		key := txKey(tx.ID)
		if err := s.injected(OpLookupTx); err != nil {
			return fmt.Errorf("look up tx %s: %w", tx.ID, err)
		}
		existing, err := s.get(key)
		if err != nil {
			return fmt.Errorf("look up tx %s: %w", tx.ID, err)
		}
		if existing != nil {
			continue
		}
		if err := b.Set(key, encodeTxRecord(num, uint64(i), codes[i]), nil); err != nil {
			return fmt.Errorf("batch tx %s: %w", tx.ID, err)
		}
	}
	// Private data is stored with its block, before the state: a replay
	// re-applies it (it is not in the block).
	if err := batchPrivateData(b, num, private); err != nil {
		return fmt.Errorf("write block %d: %w", num, err)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("write block %d: %w", num, err)
	}
	s.indexed.Store(num + 1)
	return nil
}

// writeState applies the state, history and savepoint of a block in one
// batch, not synced: the block, already synced, is the write-ahead log from
// which Open replays a state batch that a crash lost (see the package doc).
func (s *Store) writeState(updates *blockUpdates) error {
	b, err := updates.batch()
	if err != nil {
		return err
	}
	defer b.Close()
	if err := s.injected(OpWriteState); err != nil {
		return fmt.Errorf("write state of block %d: %w", updates.blockNum, err)
	}
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	if err := b.Commit(pebble.NoSync); err != nil {
		return fmt.Errorf("write state of block %d: %w", updates.blockNum, err)
	}
	s.metadata.update(updates)
	s.cache.update(updates, updates.blockNum+1)
	return nil
}

// replay re-applies the state of a stored block from its final
// TRANSACTIONS_FILTER.
func (s *Store) replay(num uint64) error {
	block, err := s.GetBlock(num)
	if err != nil {
		return err
	}
	envs := block.GetData().GetData()
	codes := TxFilter(block)
	if len(codes) != len(envs) {
		return fmt.Errorf("transactions filter has %d entries for %d transactions", len(codes), len(envs))
	}
	private, err := s.PrivateData(num)
	if err != nil {
		return err
	}
	updates := newBlockUpdates(s, num)
	for i, data := range envs {
		if codes[i] != peer.TxValidationCode_VALID {
			continue
		}
		tx, err := parseEnvelopeBytes(data)
		if err != nil {
			return fmt.Errorf("tx %d marked valid: %w", i, err)
		}
		if tx.Type != common.HeaderType_ENDORSER_TRANSACTION {
			continue
		}
		if err := updates.apply(uint64(i), tx); err != nil {
			return fmt.Errorf("tx %d: %w", i, err)
		}
		if err := updates.applyCollections(uint64(i), tx, private[uint64(i)]); err != nil {
			return fmt.Errorf("tx %d: %w", i, err)
		}
	}
	if err := updates.expire(); err != nil {
		return err
	}
	return s.writeState(updates)
}
