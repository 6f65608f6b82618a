package devnettest

import (
	"fmt"
	"path/filepath"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

// KV is one key and value of a peer's world state.
type KV struct {
	Key   string
	Value []byte
}

// Ledger is a read-only view of the ledger a stopped peer left on disk: its
// blocks, transaction index and world state. Tests read it to check what was
// committed, without a network running.
type Ledger struct {
	store *ledger.Store
}

// OpenLedger opens the ledger of org's peer in the network directory dir. No
// process may be running on it. Close it when done.
func OpenLedger(dir string, org config.Org) (*Ledger, error) {
	store, err := ledger.Open(LedgerDir(dir, org))
	if err != nil {
		return nil, fmt.Errorf("open ledger of %s: %w", org.MSPID, err)
	}
	return &Ledger{store: store}, nil
}

// LedgerDir is where the peer of org keeps its ledger in the network directory dir.
func LedgerDir(dir string, org config.Org) string {
	return filepath.Join(dir, "ledgers", org.PeerHost())
}

// Close closes the ledger.
func (l *Ledger) Close() error { return l.store.Close() }

// Height is the number of blocks the ledger holds.
func (l *Ledger) Height() uint64 { return l.store.Height() }

// LastBlockHash is the header hash of the last block.
func (l *Ledger) LastBlockHash() []byte { return l.store.LastBlockHash() }

// VerifyChain checks that every block's previous hash and data hash hold.
func (l *Ledger) VerifyChain() error { return l.store.VerifyChain() }

// TxStatus is the validation code of a transaction and whether it was found.
func (l *Ledger) TxStatus(txID string) (peer.TxValidationCode, bool, error) {
	code, _, found, err := l.store.TxStatus(txID)
	return code, found, err
}

// State is the committed value of key in chaincode ns (nil when absent).
func (l *Ledger) State(ns, key string) ([]byte, error) {
	value, err := l.store.GetState(ns, key)
	if err != nil || value == nil {
		return nil, err
	}
	return value.Value, nil
}

// StateRange lists the committed keys of chaincode ns in [startKey, endKey),
// at most limit of them (all when limit ≤ 0).
func (l *Ledger) StateRange(ns, startKey, endKey string, limit int) ([]KV, error) {
	query := l.store.NewQueryExecutor()
	defer query.Done()
	it, err := query.GetStateRangeScanIterator(ns, startKey, endKey)
	if err != nil {
		return nil, fmt.Errorf("range [%q, %q): %w", startKey, endKey, err)
	}
	defer it.Close()
	var kvs []KV
	for limit <= 0 || len(kvs) < limit {
		kv, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("range [%q, %q): %w", startKey, endKey, err)
		}
		if kv == nil {
			break
		}
		kvs = append(kvs, KV{Key: kv.GetKey(), Value: kv.GetValue()})
	}
	return kvs, nil
}

// TxOccurrences maps every transaction id in the ledger's blocks after the
// genesis block to the validation codes of its occurrences, in block order.
func (l *Ledger) TxOccurrences() (map[string][]peer.TxValidationCode, error) {
	occurrences := map[string][]peer.TxValidationCode{}
	err := l.eachTx(func(envelope *common.Envelope, code peer.TxValidationCode) error {
		tx, err := ledger.ParseTx(envelope)
		if err != nil {
			return err
		}
		occurrences[tx.ID] = append(occurrences[tx.ID], code)
		return nil
	})
	return occurrences, err
}

// ReplayValidWrites is the state of chaincode ns that the writes of the
// ledger's VALID transactions give when applied in block order: what the
// world state must equal.
func (l *Ledger) ReplayValidWrites(ns string) (map[string]string, error) {
	state := map[string]string{}
	err := l.eachTx(func(envelope *common.Envelope, code peer.TxValidationCode) error {
		if code != peer.TxValidationCode_VALID {
			return nil
		}
		tx, err := ledger.ParseTx(envelope)
		if err != nil {
			return err
		}
		for _, rwset := range tx.RWSet {
			if rwset.Namespace != ns {
				continue
			}
			for _, write := range rwset.KV.GetWrites() {
				if write.GetIsDelete() {
					delete(state, write.GetKey())
				} else {
					state[write.GetKey()] = string(write.GetValue())
				}
			}
		}
		return nil
	})
	return state, err
}

// eachTx calls visit with every transaction of the blocks after the genesis
// block, and its validation code, in block order.
func (l *Ledger) eachTx(visit func(*common.Envelope, peer.TxValidationCode) error) error {
	for num := uint64(1); num < l.store.Height(); num++ {
		block, err := l.store.GetBlock(num)
		if err != nil {
			return fmt.Errorf("block %d: %w", num, err)
		}
		codes := ledger.TxFilter(block)
		data := block.GetData().GetData()
		if len(codes) != len(data) {
			return fmt.Errorf("block %d: %d validation codes for %d transactions", num, len(codes), len(data))
		}
		for i, raw := range data {
			envelope := &common.Envelope{}
			if err := proto.Unmarshal(raw, envelope); err != nil {
				return fmt.Errorf("block %d transaction %d: %w", num, i, err)
			}
			if err := visit(envelope, codes[i]); err != nil {
				return fmt.Errorf("block %d transaction %d: %w", num, i, err)
			}
		}
	}
	return nil
}
