package devnet

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

// StartWithLedgerFaults is Start with a fault injected into the ledger of the
// peer of each org named: tests see how the network handles a failing store.
func StartWithLedgerFaults(ctx context.Context, opts Options, faults map[string]ledger.Fault) (*Network, error) {
	options := map[string][]ledger.Option{}
	for mspID, fault := range faults {
		options[mspID] = []ledger.Option{ledger.WithFault(fault)}
	}
	return start(ctx, opts, options)
}

// StoredPrivateData is the private data the peer of an org stores for a block.
func (n *Network) StoredPrivateData(mspID string, block uint64) (ledger.BlockPrivateData, error) {
	for _, p := range n.peers {
		if p.MSPID() == mspID {
			return p.Ledger().PrivateData(block)
		}
	}
	return nil, nil
}

// StoredBlock is block num as the peer of an org stores it.
func (n *Network) StoredBlock(mspID string, num uint64) ([]byte, error) {
	for _, p := range n.peers {
		if p.MSPID() == mspID {
			block, err := p.Ledger().GetBlock(num)
			if err != nil {
				return nil, err
			}
			return proto.Marshal(block)
		}
	}
	return nil, nil
}

// WaitForBlock waits until every peer has committed block num.
func (n *Network) WaitForBlock(ctx context.Context, num uint64) error {
	for _, p := range n.peers {
		if err := p.WaitForHeight(ctx, num); err != nil {
			return err
		}
	}
	return nil
}
