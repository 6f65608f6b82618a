package devnet_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

// errDiskFailed is the store failure the tests inject.
var errDiskFailed = errors.New("injected disk failure")

// armedFault fails op once armed.
func armedFault(op ledger.Op, armed *atomic.Bool) ledger.Fault {
	return func(got ledger.Op) error {
		if got == op && armed.Load() {
			return errDiskFailed
		}
		return nil
	}
}

// TestStoreFailureStopsTheNetwork injects a store failure into one peer's
// ledger while it commits: the peer does not skip the block or mark its
// transactions invalid; it stops, and the network stops with that error
// (Done closes, Err says why), endorses nothing more, and a restart without
// the fault brings every peer to the same chain with the transaction.
func TestStoreFailureStopsTheNetwork(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		op   ledger.Op
	}{
		{"A failed transaction ID lookup", ledger.OpLookupTx},
		{"A failed block write", ledger.OpWriteBlock},
		{"A failed state write", ledger.OpWriteState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := testConfig("MAJORITY Endorsement")
			// The block waits for the batch timeout, so that the submit's
			// answer reaches the client before the faulty commit stops the
			// network (cut at once, the block can fail the peer first).
			cfg.Orderer.WaitForBatch = true
			var armed atomic.Bool
			network, err := devnet.StartWithLedgerFaults(context.Background(),
				devnet.Options{Config: cfg, Dir: dir, FreePorts: true},
				map[string]ledger.Fault{"AssociationMSP": armedFault(tt.op, &armed)})
			require.NoError(t, err)
			defer network.Close()
			contract := connect(t, network, "CoreEnterpriseMSP", "User1")
			submitEverywhere(t, network, contract, "Put", "before", "1")
			require.NoError(t, network.Err(), "a running network has no error")

			armed.Store(true)
			// Endorsed by the two orgs without the fault, so that only the
			// faulty peer's commit (not an endorsement's duplicate-ID lookup)
			// meets the failure.
			_, _, err = contract.SubmitAsync("Put", client.WithArguments("after", "2"),
				client.WithEndorsingOrganizations("CoreEnterpriseMSP", "BankMSP"))
			require.NoError(t, err, "endorsed and ordered before the faulty commit")
			select {
			case <-network.Done():
			case <-time.After(time.Minute):
				require.FailNow(t, "the network did not stop after its store failed")
			}
			require.ErrorIs(t, network.Err(), errDiskFailed)
			require.ErrorContains(t, network.Err(), "peer0.assoc.example.com")
			_, err = contract.EvaluateTransaction("Get", "before")
			require.Error(t, err, "a stopped network answers nothing")
			require.NoError(t, network.Close())
			require.ErrorIs(t, network.Err(), errDiskFailed, "Close keeps the failure")

			// The ordered transaction is not lost: restarted without the
			// fault, every peer commits it.
			restarted := startNetwork(t, cfg, dir)
			for _, org := range cfg.Orgs {
				value, err := connect(t, restarted, org.MSPID, "Admin").EvaluateTransaction("Get", "after")
				require.NoError(t, err, org.MSPID)
				require.Equal(t, "2", string(value), org.MSPID)
			}
		})
	}
}
