package privdata

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"

	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

// Wanted names the private writes of one collection a committing peer looks
// for: those of a transaction (its ID, block and index) whose hash is in the
// block.
type Wanted struct {
	TxID                  string
	Block, Tx             uint64
	Namespace, Collection string
	Hash                  []byte
}

// find returns the collection's write set in set when its hash is the one wanted.
func (w Wanted) find(set *rwset.TxPvtReadWriteSet) *rwset.CollectionPvtReadWriteSet {
	for _, nsSet := range set.GetNsPvtRwset() {
		if nsSet.GetNamespace() != w.Namespace {
			continue
		}
		for _, coll := range nsSet.GetCollectionPvtRwset() {
			if coll.GetCollectionName() == w.Collection && bytes.Equal(ledger.Hash(coll.GetRwset()), w.Hash) {
				return coll
			}
		}
	}
	return nil
}

// PrivateStore is a peer's store of committed private data.
type PrivateStore interface {
	PrivateData(block uint64) (ledger.BlockPrivateData, error)
}

// RetentionBlocks is how many blocks an uncommitted private write set stays
// in a transient store, Fabric's transientstoreMaxBlockRetention default.
const RetentionBlocks = 1000

// TransientStore is a peer's store of private write sets received for
// transactions not yet committed, as Fabric's transient store. It is kept in
// memory: a peer restarted between endorsement and commit misses the private
// data of those transactions (it commits their hashes only, as Fabric does
// when the data cannot be fetched).
type TransientStore struct {
	mu      sync.Mutex
	height  uint64
	entries map[string][]transientEntry // tx ID → write sets received
}

type transientEntry struct {
	height uint64
	set    *rwset.TxPvtReadWriteSet
}

// NewTransientStore returns an empty store.
func NewTransientStore() *TransientStore {
	return &TransientStore{entries: map[string][]transientEntry{}}
}

// Persist keeps a private write set received for txID.
func (t *TransientStore) Persist(txID string, set *rwset.TxPvtReadWriteSet) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.entries[txID] = append(t.entries[txID], transientEntry{height: t.height, set: set})
}

// CollectionSet returns the wanted private writes from any write set
// received for the transaction; nil if none.
func (t *TransientStore) CollectionSet(w Wanted) *rwset.CollectionPvtReadWriteSet {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, entry := range t.entries[w.TxID] {
		if found := w.find(entry.set); found != nil {
			return found
		}
	}
	return nil
}

// Committed drops the write sets of a committed block's transactions and
// those older than RetentionBlocks; height is the ledger height after it.
func (t *TransientStore) Committed(txIDs []string, height uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.height = height
	for _, id := range txIDs {
		delete(t.entries, id)
	}
	if height <= RetentionBlocks {
		return
	}
	for id, entries := range t.entries {
		if entries[len(entries)-1].height < height-RetentionBlocks {
			delete(t.entries, id)
		}
	}
}

// Len is the number of transactions with private data waiting.
func (t *TransientStore) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// Distributor disseminates an endorsement's private write set, as the
// endorsing peer's gossip does: each collection's private writes go to its
// member peers (other than the endorser, at most maxPeerCount of them), and
// the endorsement fails when fewer than requiredPeerCount can take them. The
// endorser keeps the whole write set in its own transient store. In one
// process, handing it over is a call.
type Distributor struct {
	registry *Registry
	// members are the orgs and their peers' transient stores; AddOrg replaces them.
	members atomic.Pointer[distributionMembers]
	adding  sync.Mutex // serialises AddOrg
	online  func(mspID string) bool
	// ledgers gives an org's peer's committed private data (nil: none yet).
	ledgers func(mspID string) PrivateStore
}

// NewDistributor returns a distributor over the peers' transient stores;
// online says whether an org's peer can receive (nil: all can), ledgers
// gives an org's peer's private data store (nil: not consulted).
func NewDistributor(registry *Registry, orgs []string, stores map[string]*TransientStore, online func(string) bool, ledgers func(string) PrivateStore) *Distributor {
	if online == nil {
		online = func(string) bool { return true }
	}
	d := &Distributor{registry: registry, online: online, ledgers: ledgers}
	d.members.Store(&distributionMembers{peers: stores, orgs: orgs})
	return d
}

// distributionMembers are the transient stores of every org's peer, by MSP
// ID, and the orgs in channel order.
type distributionMembers struct {
	peers map[string]*TransientStore
	orgs  []string
}

// AddOrg lets the distributor reach the transient store of the peer of an
// org that joined the channel.
func (d *Distributor) AddOrg(mspID string, store *TransientStore) {
	d.adding.Lock()
	defer d.adding.Unlock()
	current := d.members.Load()
	next := &distributionMembers{peers: maps.Clone(current.peers), orgs: append(slices.Clone(current.orgs), mspID)}
	next.peers[mspID] = store
	d.members.Store(next)
}

// Distribute hands txID's private write set, endorsed by local's peer, to
// the collections' member peers.
func (d *Distributor) Distribute(local, txID string, set *rwset.TxPvtReadWriteSet) error {
	members := d.members.Load()
	if store := members.peers[local]; store != nil {
		store.Persist(txID, set)
	}
	forPeer := map[string]*rwset.TxPvtReadWriteSet{}
	for _, nsSet := range set.GetNsPvtRwset() {
		for _, coll := range nsSet.GetCollectionPvtRwset() {
			c, err := d.registry.Collection(nsSet.GetNamespace(), coll.GetCollectionName())
			if err != nil {
				return fmt.Errorf("failed to distribute private collection, txID %s: %w", txID, err)
			}
			var targets []string
			for _, org := range members.orgs {
				// An implicit collection goes only to other peers of the endorser's
				// own org (Fabric gives other orgs' implicit collections a maxPeerCount
				// of 0); a dev network org has one peer.
				if c.Implicit {
					break
				}
				if org != local && c.IsMember(org) && d.online(org) && len(targets) < c.MaxPeers {
					targets = append(targets, org)
				}
			}
			if len(targets) < c.RequiredPeers {
				return fmt.Errorf("failed to distribute private collection, txID %s: required to disseminate to at least %d peers, but know of only %d eligible peers for collection %s", txID, c.RequiredPeers, len(targets), c.Name)
			}
			for _, org := range targets {
				forPeer[org] = appendCollection(forPeer[org], nsSet.GetNamespace(), coll)
			}
		}
	}
	for org, part := range forPeer {
		members.peers[org].Persist(txID, part)
	}
	return nil
}

func appendCollection(set *rwset.TxPvtReadWriteSet, ns string, coll *rwset.CollectionPvtReadWriteSet) *rwset.TxPvtReadWriteSet {
	if set == nil {
		set = &rwset.TxPvtReadWriteSet{DataModel: rwset.TxReadWriteSet_KV}
	}
	for _, nsSet := range set.NsPvtRwset {
		if nsSet.Namespace == ns {
			nsSet.CollectionPvtRwset = append(nsSet.CollectionPvtRwset, coll)
			return set
		}
	}
	set.NsPvtRwset = append(set.NsPvtRwset, &rwset.NsPvtReadWriteSet{Namespace: ns, CollectionPvtRwset: []*rwset.CollectionPvtReadWriteSet{coll}})
	return set
}

// Fetch finds wanted private writes a member peer did not receive, as
// Fabric's coordinator pulls them at commit: in any peer's transient store
// (the endorsers' and the other recipients'), else in the private data store
// of a member peer that already committed the block. nil when no peer has it.
func (d *Distributor) Fetch(w Wanted) *rwset.CollectionPvtReadWriteSet {
	members := d.members.Load()
	for _, org := range members.orgs {
		if store := members.peers[org]; store != nil && d.online(org) {
			if set := store.CollectionSet(w); set != nil {
				return set
			}
		}
	}
	c, err := d.registry.Collection(w.Namespace, w.Collection)
	if err != nil || d.ledgers == nil {
		return nil
	}
	for _, org := range c.Members {
		store := d.ledgers(org)
		if store == nil || !d.online(org) {
			continue
		}
		committed, err := store.PrivateData(w.Block)
		if err != nil {
			continue // that peer cannot serve it; another may
		}
		if set := w.find(committed[w.Tx]); set != nil {
			return set
		}
	}
	return nil
}

// PeerPrivateData is where a committing peer finds the private write sets of
// its collections: its own transient store first, then (pulling from the
// endorsers) every peer's.
type PeerPrivateData struct {
	Own         *TransientStore
	Distributor *Distributor
}

// CollectionSet returns the wanted private writes, nil when no peer has them.
func (p PeerPrivateData) CollectionSet(w Wanted) *rwset.CollectionPvtReadWriteSet {
	if set := p.Own.CollectionSet(w); set != nil {
		return set
	}
	if p.Distributor == nil {
		return nil
	}
	return p.Distributor.Fetch(w)
}

// Committed drops the committed transactions from the peer's transient store.
func (p PeerPrivateData) Committed(txIDs []string, height uint64) {
	p.Own.Committed(txIDs, height)
}
