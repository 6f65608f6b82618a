package committer

import (
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/privdata"
)

// Collections finds a chaincode's private data collections.
type Collections interface {
	Collection(chaincode, name string) (*privdata.Collection, error)
}

// PrivateData gives a committing peer the private write sets of its
// collections and learns which transactions were committed.
type PrivateData interface {
	CollectionSet(wanted privdata.Wanted) *rwset.CollectionPvtReadWriteSet
	Committed(txIDs []string, height uint64)
}

// privateData assembles, as Fabric's private data coordinator does, the
// private write sets this peer commits with a block: for every transaction
// still valid, each collection it wrote whose member this peer's org is,
// checked against the hash in the block. A set no peer has is missing: the
// peer commits the hashes only, and reads of those keys fail as in Fabric
// until the data is written again (the dev network has no reconciliation;
// in one process every endorser's set is reachable, so data is missing only
// for a peer restarted between endorsement and commit).
func (c *Committer) privateData(block uint64, checked []checkedTx, flags []peer.TxValidationCode) ledger.BlockPrivateData {
	if c.cfg.Collections == nil || c.cfg.PrivateData == nil {
		return nil
	}
	var out ledger.BlockPrivateData
	for i, tx := range checked {
		if flags[i] != peer.TxValidationCode_VALID || tx.parsed == nil {
			continue
		}
		var set *rwset.TxPvtReadWriteSet
		for _, ns := range tx.parsed.RWSet {
			for _, coll := range ns.Collections {
				if coll.PvtHash == nil {
					continue
				}
				collection, err := c.cfg.Collections.Collection(ns.Namespace, coll.Name)
				if err != nil || !collection.IsMember(c.cfg.MSPID) {
					continue
				}
				found := c.cfg.PrivateData.CollectionSet(privdata.Wanted{
					TxID: tx.txID, Block: block, Tx: uint64(i), Namespace: ns.Namespace, Collection: coll.Name, Hash: coll.PvtHash,
				})
				if found == nil {
					continue
				}
				set = addCollection(set, ns.Namespace, found)
			}
		}
		if set != nil {
			if out == nil {
				out = ledger.BlockPrivateData{}
			}
			out[uint64(i)] = set
		}
	}
	return out
}

func addCollection(set *rwset.TxPvtReadWriteSet, ns string, coll *rwset.CollectionPvtReadWriteSet) *rwset.TxPvtReadWriteSet {
	if set == nil {
		set = &rwset.TxPvtReadWriteSet{DataModel: rwset.TxReadWriteSet_KV}
	}
	if n := len(set.NsPvtRwset); n > 0 && set.NsPvtRwset[n-1].Namespace == ns {
		set.NsPvtRwset[n-1].CollectionPvtRwset = append(set.NsPvtRwset[n-1].CollectionPvtRwset, coll)
		return set
	}
	set.NsPvtRwset = append(set.NsPvtRwset, &rwset.NsPvtReadWriteSet{Namespace: ns, CollectionPvtRwset: []*rwset.CollectionPvtReadWriteSet{coll}})
	return set
}

// collectionPolicyChecked evaluates, once per collection, the endorsement
// policy of a collection written without a key-level policy: the collection's
// own policy when it has one (true), else none (false: the chaincode's
// applies). An unknown collection fails the transaction as Fabric's
// validator does.
func (c *Committer) collectionPolicy(namespace string, signed []policy.SignedData, checked map[string]bool) (applied bool, code peer.TxValidationCode) {
	ns, name, _ := ledger.SplitHashedNamespace(namespace)
	if c.cfg.Collections == nil {
		return false, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE
	}
	collection, err := c.cfg.Collections.Collection(ns, name)
	if err != nil {
		return false, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE
	}
	if collection.Endorsement == nil {
		return false, peer.TxValidationCode_VALID
	}
	if !checked[namespace] {
		if collection.Endorsement.EvaluateSignedData(signed) != nil {
			return true, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE
		}
		checked[namespace] = true
	}
	return true, peer.TxValidationCode_VALID
}
