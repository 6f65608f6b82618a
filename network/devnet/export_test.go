package devnet

import (
	"context"

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
