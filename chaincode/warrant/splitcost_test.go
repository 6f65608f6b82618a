package warrant

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// callLog is a State with batched reads that records how an operation reaches it.
type callLog struct {
	State
	singleReads, batches, keysRead, writes int
	written                                []string
}

func (c *callLog) Get(k string) ([]byte, error) { c.singleReads++; c.keysRead++; return c.State.Get(k) }
func (c *callLog) GetMany(keys []string) ([][]byte, error) {
	c.batches++
	c.keysRead += len(keys)
	values := make([][]byte, len(keys))
	for i, k := range keys {
		v, err := c.State.Get(k)
		if err != nil {
			return nil, err
		}
		values[i] = v
	}
	return values, nil
}
func (c *callLog) Put(k string, v []byte) error {
	c.writes++
	c.written = append(c.written, k)
	return c.State.Put(k, v)
}
func (c *callLog) Delete(k string) error { c.writes++; return c.State.Delete(k) }

// TestSplitCostOnThePeer pins what a one-part split with a remainder asks of the
// peer, at several depths: two batched reads (one round trip each over the shim) and
// no single read; 6 keys read whatever the depth (the member record, the parameters,
// the warrant, three enterprises; not the ancestors, whose holders the warrant names,
// nor the children's keys, free while the parent is ACTIVE), and one more, in the
// second batch, for a recipient of another org (its member record, R34); 13 writes
// (the parent and two children; 7 holder and debtor index changes: the parent moves from
// ACTIVE to SPLIT in its holder's list and leaves its debtor's, which lists leaves only,
// and each child enters both; the 2 children's lineage entries, whose order tells the
// leaves; and the party entry of the recipient only: the sender's is in the tree's
// index already). The parties of every node stay readable (R20).
func TestSplitCostOnThePeer(t *testing.T) {
	e := newEnv(t)
	w := e.active(codeT1A, 1_000_000)
	leaf := w.ID
	for depth := range 5 {
		recipient := []string{codeT2A, codeT2B, codeT3A, codeT1B, codeBank}[depth]
		otherOrg := 0
		if recipient == codeBank {
			otherOrg = 1
		}
		log := &callLog{State: e.st}
		res, _, err := SplitTransfer(log, e.tx(), e.as(codeT1A), SplitTransferRequest{WarrantID: leaf, Parts: []Part{{recipient, 100}}})
		require.NoError(t, err)
		require.Equal(t, 0, log.singleReads, "depth %d: every read is batched", depth)
		require.Equal(t, 2, log.batches, "depth %d: round trips", depth)
		require.Equal(t, 6+otherOrg, log.keysRead, "depth %d: keys read", depth)
		require.Equal(t, 13, log.writes, "depth %d: writes %v", depth, log.written)
		for _, party := range []string{codeT1A, recipient} {
			key, err := CompositeKey(objParty, w.RootID, party)
			require.NoError(t, err)
			v, err := e.st.Get(key)
			require.NoError(t, err)
			require.NotNil(t, v, "depth %d: %s may read the tree (R20)", depth, party)
		}
		leaf = res.Children[1].ID
	}
}
