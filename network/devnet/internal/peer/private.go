package peer

import (
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"

	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// privateDataFor returns the private data the peer stores for a block, by
// transaction index, keeping the collections whose member policy the signer
// of the deliver request satisfies (nil when there is none).
func (p *Peer) privateDataFor(envelope *common.Envelope, block uint64) (map[uint64]*rwset.TxPvtReadWriteSet, error) {
	if p.cfg.Collections == nil {
		return nil, nil
	}
	stored, err := p.ledger.PrivateData(block)
	if err != nil {
		return nil, fmt.Errorf("read private data of block %d: %w", block, err)
	}
	if len(stored) == 0 {
		return nil, nil
	}
	header, err := protoutil.UnpackHeader(envelope)
	if err != nil {
		return nil, nil
	}
	requester := []policy.SignedData{{Identity: header.SignatureHeader.GetCreator(), Data: envelope.GetPayload(), Signature: envelope.GetSignature()}}
	out := map[uint64]*rwset.TxPvtReadWriteSet{}
	for tx, set := range stored {
		var kept []*rwset.NsPvtReadWriteSet
		for _, ns := range set.GetNsPvtRwset() {
			var collections []*rwset.CollectionPvtReadWriteSet
			for _, coll := range ns.GetCollectionPvtRwset() {
				c, err := p.cfg.Collections.Collection(ns.GetNamespace(), coll.GetCollectionName())
				if err == nil && c.Access.EvaluateSignedData(requester) == nil {
					collections = append(collections, coll)
				}
			}
			if len(collections) > 0 {
				kept = append(kept, &rwset.NsPvtReadWriteSet{Namespace: ns.GetNamespace(), CollectionPvtRwset: collections})
			}
		}
		if len(kept) > 0 {
			out[tx] = &rwset.TxPvtReadWriteSet{DataModel: set.GetDataModel(), NsPvtRwset: kept}
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
