package test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/network/devnet/devnettest"
	"github.com/scfledger/warrants/test/testnet"
)

// lineage reads every node of a root's tree, page by page.
func (c *chain) lineage(rootID string) ([]warrant.Warrant, error) {
	var nodes []warrant.Warrant
	bookmark := ""
	for {
		var page warrant.WarrantPage
		request := encode(c.t, warrant.LineageRequest{RootID: rootID, PageSize: warrant.MaxPageSize, Bookmark: bookmark})
		if err := c.evaluate(&page, "query:Lineage", request); err != nil {
			return nil, fmt.Errorf("lineage of %s: %w", rootID, err)
		}
		nodes = append(nodes, page.Items...)
		if page.NextBookmark == "" {
			return nodes, nil
		}
		bookmark = page.NextBookmark
	}
}

// roots lists the ids of every root warrant of a debtor, page by page: the
// roots of the leaves its list holds (every tree has one).
func (c *chain) roots(debtor string) ([]string, error) {
	var roots []string
	seen := map[string]bool{}
	bookmark := ""
	for {
		var page warrant.WarrantPage
		request := encode(c.t, warrant.ListRequest{Party: debtor, PageSize: warrant.MaxPageSize, Bookmark: bookmark})
		if err := c.evaluate(&page, "query:ListByDebtor", request); err != nil {
			return nil, fmt.Errorf("list warrants of %s: %w", debtor, err)
		}
		for _, w := range page.Items {
			if !seen[w.RootID] {
				seen[w.RootID] = true
				roots = append(roots, w.RootID)
			}
		}
		if page.NextBookmark == "" {
			return roots, nil
		}
		bookmark = page.NextBookmark
	}
}

// conserved checks R9 for a root over the gateway: query:RootSummary says
// face = outstanding + settled, the live leaves of query:Lineage sum to the
// face value and the settled ones to the settled amount. It returns the summary.
func (c *chain) conserved(rootID string) (*warrant.RootSummary, error) {
	var summary warrant.RootSummary
	if err := c.evaluate(&summary, "query:RootSummary", rootID); err != nil {
		return nil, fmt.Errorf("summary of %s: %w", rootID, err)
	}
	nodes, err := c.lineage(rootID)
	if err != nil {
		return nil, err
	}
	var leaves, settled int64
	for _, node := range nodes {
		if !node.Status.IsLeaf() {
			continue
		}
		leaves += node.Amount
		if node.Status == warrant.StatusSettled {
			settled += node.Amount
		}
	}
	switch {
	case !summary.Cancelled && summary.Settled+summary.Outstanding != summary.Face:
		return nil, fmt.Errorf("root %s: settled %d + outstanding %d != face %d", rootID, summary.Settled, summary.Outstanding, summary.Face)
	case leaves != summary.Face:
		return nil, fmt.Errorf("root %s: leaves sum to %d, face is %d", rootID, leaves, summary.Face)
	case settled != summary.Settled:
		return nil, fmt.Errorf("root %s: settled leaves sum to %d, summary says %d", rootID, settled, summary.Settled)
	}
	return &summary, nil
}

// requireConserved is conserved that fails the test.
func (c *chain) requireConserved(t *testing.T, rootID string) *warrant.RootSummary {
	t.Helper()
	summary, err := c.conserved(rootID)
	require.NoError(t, err)
	return summary
}

// storeState reads the warrant chaincode's committed state straight from a
// peer's ledger, for the domain's own audit (warrant.CheckConservation).
type storeState struct {
	store *devnettest.Ledger
}

func (s storeState) Get(key string) ([]byte, error) { return s.store.State(testnet.ChaincodeName, key) }

func (s storeState) Range(startKey, endKey string, limit int) ([]warrant.KV, error) {
	kvs, err := s.store.StateRange(testnet.ChaincodeName, startKey, endKey, limit)
	if err != nil {
		return nil, err
	}
	out := make([]warrant.KV, len(kvs))
	for i, kv := range kvs {
		out[i] = warrant.KV{Key: kv.Key, Value: kv.Value}
	}
	return out, nil
}

// requireLedgerConserved runs warrant.CheckConservation on every root summary
// stored in a peer's ledger and returns how many roots it checked.
func requireLedgerConserved(t *testing.T, store *devnettest.Ledger) int {
	t.Helper()
	state := storeState{store}
	// The summary key of root X is the summary prefix followed by X and U+0000.
	probe, err := warrant.RootSummaryKey("X")
	require.NoError(t, err)
	prefix := strings.TrimSuffix(probe, "X\x00")
	kvs, err := state.Range(prefix, prefix+"\U0010FFFF", 0)
	require.NoError(t, err)
	for _, kv := range kvs {
		var summary warrant.RootSummary
		require.NoError(t, json.Unmarshal(kv.Value, &summary))
		require.NoError(t, warrant.CheckConservation(state, summary.RootID), "root %s", summary.RootID)
	}
	return len(kvs)
}
