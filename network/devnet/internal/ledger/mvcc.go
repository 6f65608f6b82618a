package ledger

import (
	"fmt"
	"sort"

	"github.com/cockroachdb/pebble"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// validate runs Fabric's MVCC checks on a transaction against committed state
// and the preceding valid transactions of the block: per namespace, first the
// reads (MVCC_READ_CONFLICT), then the range queries (PHANTOM_READ_CONFLICT).
func (u *blockUpdates) validate(tx *Tx) (peer.TxValidationCode, error) {
	for _, ns := range tx.RWSet {
		for _, r := range ns.KV.GetReads() {
			if _, written := u.lookup(ns.Namespace, r.GetKey()); written {
				return peer.TxValidationCode_MVCC_READ_CONFLICT, nil
			}
			committed, err := u.store.getVersion(ns.Namespace, r.GetKey())
			if err != nil {
				return 0, err
			}
			if !sameVersion(committed, r.GetVersion()) {
				return peer.TxValidationCode_MVCC_READ_CONFLICT, nil
			}
		}
		for _, rq := range ns.KV.GetRangeQueriesInfo() {
			ok, err := u.validateRange(ns.Namespace, rq)
			if err != nil {
				return 0, err
			}
			if !ok {
				return peer.TxValidationCode_PHANTOM_READ_CONFLICT, nil
			}
		}
		ok, err := u.validateHashedReads(ns)
		if err != nil {
			return 0, err
		}
		if !ok {
			return peer.TxValidationCode_MVCC_READ_CONFLICT, nil
		}
	}
	return peer.TxValidationCode_VALID, nil
}

type keyVersion struct {
	key     string
	version *kvrwset.Version
}

// validateRange re-runs a recorded range query over committed state combined
// with the block's preceding writes and reports whether it yields exactly the
// recorded keys and versions. A range that was not read to its end is re-run
// up to and including the last key read.
func (u *blockUpdates) validateRange(ns string, rq *kvrwset.RangeQueryInfo) (bool, error) {
	if rq.GetReadsMerkleHashes() != nil {
		// Merkle summaries are never produced by this ledger's simulator.
		return false, nil
	}
	want := rq.GetRawReads().GetKvReads()
	got, err := u.combinedRange(ns, rq.GetStartKey(), rq.GetEndKey(), !rq.GetItrExhausted(), len(want)+1)
	if err != nil {
		return false, fmt.Errorf("re-run range query on %s: %w", ns, err)
	}
	if len(got) != len(want) {
		return false, nil
	}
	for i, r := range want {
		if got[i].key != r.GetKey() || !sameVersion(got[i].version, r.GetVersion()) {
			return false, nil
		}
	}
	return true, nil
}

// combinedRange returns up to limit live keys of [start, end) (plus end itself
// when includeEnd) as committed state would hold them after the block's
// preceding writes.
func (u *blockUpdates) combinedRange(ns, start, end string, includeEnd bool, limit int) ([]keyVersion, error) {
	var pending []string
	for key := range u.state[ns] {
		if key >= start && (end == "" || key < end) {
			pending = append(pending, key)
		}
	}
	sort.Strings(pending)

	lower, upper := stateRangeBounds(ns, start, end)
	it, err := u.store.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	prefixLen := len(lower) - len(start)

	var out []keyVersion
	dbOK := it.First()
	for len(out) < limit && (dbOK || len(pending) > 0) {
		var dbKey string
		if dbOK {
			dbKey = string(it.Key()[prefixLen:])
		}
		if len(pending) > 0 && (!dbOK || pending[0] <= dbKey) {
			key := pending[0]
			pending = pending[1:]
			if dbOK && key == dbKey {
				dbOK = it.Next()
			}
			if up := u.state[ns][key]; !up.deleted {
				out = append(out, keyVersion{key, &kvrwset.Version{BlockNum: up.block, TxNum: up.tx}})
			}
			continue
		}
		ver, _, err := decodeVersion(it.Value())
		if err != nil {
			return nil, fmt.Errorf("decode state %s/%q: %w", ns, dbKey, err)
		}
		out = append(out, keyVersion{dbKey, ver})
		dbOK = it.Next()
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	if includeEnd && len(out) < limit {
		ver, err := u.versionAfterUpdates(ns, end)
		if err != nil {
			return nil, err
		}
		if ver != nil {
			out = append(out, keyVersion{end, ver})
		}
	}
	return out, nil
}

// versionAfterUpdates returns the version a key would have after the block's
// preceding writes (nil if absent).
func (u *blockUpdates) versionAfterUpdates(ns, key string) (*kvrwset.Version, error) {
	if up, ok := u.lookup(ns, key); ok {
		if up.deleted {
			return nil, nil
		}
		return &kvrwset.Version{BlockNum: up.block, TxNum: up.tx}, nil
	}
	return u.store.getVersion(ns, key)
}
