package endorser

import (
	"fmt"
	"sort"
	"sync"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/privdata"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// Collections finds a chaincode's private data collections.
type Collections interface {
	Collection(chaincode, name string) (*privdata.Collection, error)
}

// Distributor hands an endorsement's private write set to the collections'
// member peers; local is the endorsing peer's org.
type Distributor interface {
	Distribute(local, txID string, set *rwset.TxPvtReadWriteSet) error
}

// privateResulter is a simulation that wrote private data.
type privateResulter interface {
	PrivateResults() (*rwset.TxPvtReadWriteSet, error)
}

// guardedSimulator serves private data requests as Fabric's chaincode handler
// does: the collection must be defined for the chaincode (or be an org's
// implicit collection), and with memberOnlyRead or memberOnlyWrite the
// proposal's creator must satisfy the collection's member policy.
type guardedSimulator struct {
	Simulator
	private     chaincode.PrivateSimulator
	collections Collections
	creator     []policy.SignedData

	mu sync.Mutex
	// privateReads are the collections whose values (not hashes) were read,
	// and privateWrites those written, by namespace: the collections of the
	// chaincode interest.
	privateReads  map[string]map[string]bool
	privateWrites map[string]map[string]bool
}

// guard wraps a simulation for a proposal when the peer knows collections and
// the ledger's simulator serves private data; otherwise every collection
// request gets Fabric's "not defined" error.
func (e *Endorser) guard(sim Simulator, proposal *protoutil.Proposal) Simulator {
	private, ok := sim.(chaincode.PrivateSimulator)
	if !ok || e.cfg.Collections == nil {
		return sim
	}
	return &guardedSimulator{
		Simulator: sim, private: private, collections: e.cfg.Collections,
		creator: []policy.SignedData{{Identity: proposal.Creator(), Data: proposal.Signed.GetProposalBytes(), Signature: proposal.Signed.GetSignature()}},
	}
}

// note records a collection read or written, for the chaincode interest.
func (g *guardedSimulator) note(into *map[string]map[string]bool, ns, collection string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if *into == nil {
		*into = map[string]map[string]bool{}
	}
	if (*into)[ns] == nil {
		(*into)[ns] = map[string]bool{}
	}
	(*into)[ns][collection] = true
}

// written records a successful private write.
func (g *guardedSimulator) written(ns, collection string, err error) error {
	if err == nil {
		g.note(&g.privateWrites, ns, collection)
	}
	return err
}

// check finds the collection and applies its member-only rule for a read or a write.
func (g *guardedSimulator) check(ns, collection string, write bool) error {
	c, err := g.collections.Collection(ns, collection)
	if err != nil {
		return err
	}
	restricted, access := c.MemberOnlyRead, "read"
	if write {
		restricted, access = c.MemberOnlyWrite, "write"
	}
	if restricted && c.Access.EvaluateSignedData(g.creator) != nil {
		return fmt.Errorf("tx creator does not have %s access permission on privatedata in chaincodeName:%s collectionName: %s", access, ns, collection)
	}
	return nil
}

func (g *guardedSimulator) GetPrivateData(ns, collection, key string) ([]byte, error) {
	if err := g.check(ns, collection, false); err != nil {
		return nil, err
	}
	value, err := g.private.GetPrivateData(ns, collection, key)
	if err == nil {
		g.note(&g.privateReads, ns, collection)
	}
	return value, err
}

func (g *guardedSimulator) GetPrivateDataHash(ns, collection, key string) ([]byte, error) {
	if _, err := g.collections.Collection(ns, collection); err != nil {
		return nil, err
	}
	return g.private.GetPrivateDataHash(ns, collection, key)
}

func (g *guardedSimulator) GetPrivateDataMetadata(ns, collection, key string) (map[string][]byte, error) {
	if err := g.check(ns, collection, false); err != nil {
		return nil, err
	}
	return g.private.GetPrivateDataMetadata(ns, collection, key)
}

func (g *guardedSimulator) GetPrivateDataRangeScanIterator(ns, collection, start, end string) (chaincode.StateIterator, error) {
	if err := g.check(ns, collection, false); err != nil {
		return nil, err
	}
	return g.private.GetPrivateDataRangeScanIterator(ns, collection, start, end)
}

func (g *guardedSimulator) SetPrivateData(ns, collection, key string, value []byte) error {
	if err := g.check(ns, collection, true); err != nil {
		return err
	}
	return g.written(ns, collection, g.private.SetPrivateData(ns, collection, key, value))
}

func (g *guardedSimulator) DeletePrivateData(ns, collection, key string) error {
	if err := g.check(ns, collection, true); err != nil {
		return err
	}
	return g.written(ns, collection, g.private.DeletePrivateData(ns, collection, key))
}

func (g *guardedSimulator) PurgePrivateData(ns, collection, key string) error {
	if err := g.check(ns, collection, true); err != nil {
		return err
	}
	return g.written(ns, collection, g.private.PurgePrivateData(ns, collection, key))
}

func (g *guardedSimulator) SetPrivateDataMetadata(ns, collection, key string, md map[string][]byte) error {
	if err := g.check(ns, collection, true); err != nil {
		return err
	}
	return g.written(ns, collection, g.private.SetPrivateDataMetadata(ns, collection, key, md))
}

func (g *guardedSimulator) PrivateResults() (*rwset.TxPvtReadWriteSet, error) {
	if p, ok := g.Simulator.(privateResulter); ok {
		return p.PrivateResults()
	}
	return nil, nil
}

// distribute hands the simulation's private write set, if any, to the
// member peers before the proposal is endorsed.
func (e *Endorser) distribute(sim Simulator, txID string) error {
	p, ok := sim.(privateResulter)
	if !ok {
		return nil
	}
	set, err := p.PrivateResults()
	if err != nil {
		return fmt.Errorf("error in simulation: %w", err)
	}
	if set == nil {
		return nil
	}
	if e.cfg.Distributor == nil {
		return fmt.Errorf("failed to distribute private collection, txID %s: no distributor", txID)
	}
	return e.cfg.Distributor.Distribute(e.cfg.MSPID, txID, set)
}

// interest is the chaincode interest Fabric's endorser returns, which the
// gateway plans endorsements with: a call for the invoked chaincode, and one
// per collection the simulation wrote or read values of (not one whose
// hashes only it read), NoPrivateReads unless it read values.
func interest(name string, sim Simulator) *peer.ChaincodeInterest {
	out := &peer.ChaincodeInterest{Chaincodes: []*peer.ChaincodeCall{{Name: name}}}
	g, ok := sim.(*guardedSimulator)
	if !ok {
		return out
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	collections := map[string]bool{}
	for collection := range g.privateWrites[name] {
		collections[collection] = true
	}
	for collection := range g.privateReads[name] {
		collections[collection] = true
	}
	names := make([]string, 0, len(collections))
	for collection := range collections {
		names = append(names, collection)
	}
	sort.Strings(names)
	for _, collection := range names {
		out.Chaincodes = append(out.Chaincodes, &peer.ChaincodeCall{
			Name: name, CollectionNames: []string{collection}, NoPrivateReads: !g.privateReads[name][collection],
		})
	}
	return out
}
