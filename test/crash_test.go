package test

import (
	"encoding/json"
	"io"
	"path/filepath"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/devnettest"
	"github.com/scfledger/warrants/test/testnet"
)

// TestCrashUnderWarrantLoad runs the network in a process of its own (the
// devnet command, which launches the warrant chaincode), kills it with
// SIGKILL while an issuer issues warrants and holders split theirs, and
// starts it again on the same directory, once (20 times in the long
// variant). No transaction a client saw commit is lost, every root conserves
// its face value (R9), and every peer's ledger chains and agrees with the
// others.
func TestCrashUnderWarrantLoad(t *testing.T) {
	t.Parallel()
	kills := 1
	if long() {
		kills = 20
	}
	runner := warrantRunner(t, filepath.Join(t.TempDir(), "network"))
	load := newCrashLoad()
	losses := 0

	for round := range kills {
		node := runner.Start(t)
		c := chainOnProcess(t, runner.Dir(), node)
		c.invoices.Store(int64(round+1) * 1_000_000)
		if round == 0 {
			load.setUp(c)
		} else {
			losses += c.losses(t, load.acknowledged(round-1))
		}
		load.resync(t, c)
		load.run(t, c, round, devnettest.KillPoint(kills), node.Kill)
		c.close()
	}

	node := runner.Start(t)
	c := chainOnProcess(t, runner.Dir(), node)
	c.invoices.Store(int64(kills+1) * 1_000_000)
	t.Run("Every acknowledged transaction's effect is visible on every peer", func(t *testing.T) {
		// The association reads every warrant (R20); it reads on each org's peer in turn.
		for _, org := range []string{mspCore, mspBank, mspAssoc} {
			onPeer := newChainWith(t, testnet.Config().Channel, runner.Dir(), func(id identity) (*client.Gateway, io.Closer, error) {
				return node.ConnectAt(org, id.mspID, id.user)
			}, nil)
			t.Run("on the peer of "+org, func(t *testing.T) { losses += onPeer.losses(t, load.acknowledged()) })
			onPeer.close()
		}
		require.Zero(t, losses)
	})

	var roots []string
	t.Run("Every root conserves its face value (R9)", func(t *testing.T) {
		var err error
		roots, err = c.roots(codeOf(core))
		require.NoError(t, err)
		require.NotEmpty(t, roots)
		for _, root := range roots {
			c.requireConserved(t, root)
		}
	})

	t.Run("The restarted network commits new splits and issues", func(t *testing.T) {
		load.resync(t, c)
		for _, s := range load.splitters {
			var split warrant.SplitResult
			request := warrant.SplitTransferRequest{WarrantID: s.current, Parts: []warrant.Part{{Recipient: codeOf(s.recipient), Amount: 1_000}}}
			result, txID, err := load.submit(c.contract(s.holder), "transfer:SplitTransfer", encode(t, request))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(result, &split))
			load.add(ack{txID: txID, round: kills, split: &split})
		}
		c.issued(jinggong, 1_000_000, inDays(90))
	})
	// Resynchronising may have issued fresh warrants to splitters.
	roots, err := c.roots(codeOf(core))
	require.NoError(t, err)
	c.close()
	node.Stop(t)

	t.Run("Every peer's ledger chains, agrees with the others, holds every acknowledged transaction and conserves every root", func(t *testing.T) {
		acks := load.acknowledged()
		runner.RequireLedgers(t, func(org config.Org, store *devnettest.Ledger) {
			for _, a := range acks {
				code, found, err := store.TxStatus(a.txID)
				require.NoError(t, err)
				require.True(t, found, "%s: transaction %s", org.MSPID, a.txID)
				require.Equal(t, peer.TxValidationCode_VALID, code, "%s: transaction %s", org.MSPID, a.txID)
			}
			require.Equal(t, len(roots), requireLedgerConserved(t, store), org.MSPID)
		})
	})

	t.Logf("crash under warrant load: runs=%d kills=%d txs=%d submitted=%d roots=%d losses=%d",
		kills+1, kills, len(load.acknowledged()), load.submitted.Load(), len(roots), losses)
}
