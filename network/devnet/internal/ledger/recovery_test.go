package ledger

import (
	"testing"

	"github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/vfs"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// historyTxIDs returns the tx ids of the history of key, newest first.
func historyTxIDs(t *testing.T, s *Store, key string) []string {
	t.Helper()
	qe := s.NewQueryExecutor()
	defer qe.Done()
	it, err := qe.GetHistoryForKey(testNS, key)
	require.NoError(t, err)
	var ids []string
	for {
		m, err := it.Next()
		require.NoError(t, err)
		if m == nil {
			return ids
		}
		ids = append(ids, m.GetTxId())
	}
}

func TestRestart(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	commit(t, s, put(t, s, "tx0", "k", "v0"))
	commit(t, s, put(t, s, "tx1", "k", "v1"))
	hash := s.LastBlockHash()
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "a second Close is a no-op")

	s = openStore(t, dir)
	t.Run("Reopening keeps height, last hash, state, history and tx index", func(t *testing.T) {
		require.EqualValues(t, 2, s.Height())
		require.Equal(t, hash, s.LastBlockHash())
		requireState(t, s, "k", "v1", ver(1, 0))
		require.Equal(t, []string{"tx1", "tx0"}, historyTxIDs(t, s, "k"))
		_, num, found, err := s.TxStatus("tx1")
		require.NoError(t, err)
		require.True(t, found)
		require.EqualValues(t, 1, num)
	})

	t.Run("The reopened ledger keeps chaining blocks", func(t *testing.T) {
		commit(t, s, put(t, s, "tx2", "k", "v2"))
		require.NoError(t, s.VerifyChain())
	})
}

func TestCrashBetweenBlockAndState(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	commit(t, s, put(t, s, "tx0", "k", "v0"), put(t, s, "tx1", "m", "m0"))

	s.stopAfterBlockWrite = true
	block := nextBlock(t, s,
		readWrite(t, s, "good", "k", "k"),
		readWrite(t, s, "conflict", "k", "m"),
		put(t, s, "rejected", "r", "x"),
	)
	flags := []peer.TxValidationCode{valid, valid, peer.TxValidationCode_BAD_CREATOR_SIGNATURE}
	_, err = s.CommitBlock(block, flags)
	require.ErrorIs(t, err, errStopped)
	requireState(t, s, "k", "v0", ver(0, 0))
	require.NoError(t, s.Close())

	s = openStore(t, dir)
	t.Run("Open replays the stored block above the savepoint", func(t *testing.T) {
		require.EqualValues(t, 2, s.Height())
		requireState(t, s, "k", "good", ver(1, 0))
		require.Equal(t, []string{"good", "tx0"}, historyTxIDs(t, s, "k"))
	})

	t.Run("Replay applies only the transactions the filter marks valid", func(t *testing.T) {
		requireState(t, s, "m", "m0", ver(0, 1))
		requireAbsent(t, s, "r")
		code, _, found, err := s.TxStatus("conflict")
		require.NoError(t, err)
		require.True(t, found)
		require.Equal(t, mvcc, code)
	})

	t.Run("The replayed ledger verifies and commits the next block", func(t *testing.T) {
		require.NoError(t, s.VerifyChain())
		commit(t, s, put(t, s, "tx3", "k", "after"))
		requireState(t, s, "k", "after", ver(2, 0))
	})
}

func TestVerifyChain(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	for _, id := range []string{"a", "b", "c"} {
		commit(t, s, put(t, s, id, "k", id))
	}

	t.Run("A committed chain verifies", func(t *testing.T) {
		require.NoError(t, s.VerifyChain())
	})

	t.Run("A tampered block breaks the chain", func(t *testing.T) {
		block, err := s.GetBlock(1)
		require.NoError(t, err)
		block.Data.Data[0] = mustMarshal(t, put(t, s, "forged", "k", "forged"))
		block.Header.DataHash = BlockDataHash(block.Data)
		raw, err := proto.Marshal(block)
		require.NoError(t, err)
		block2, err := s.blocks.Read(2)
		require.NoError(t, err)
		require.NoError(t, s.blocks.TruncateTo(1)) // rewrite the file from block 1 on
		require.NoError(t, s.blocks.Append(raw))
		require.NoError(t, s.blocks.Append(block2))
		require.ErrorContains(t, s.VerifyChain(), "block 2: previous hash")
	})
}

// TestMachineCrashLosesNoBlock simulates a machine crash (power loss): the
// file system keeps only what was synced. The state batches are not synced,
// so the state of the last blocks may be lost; their blocks are not, and Open
// replays them.
func TestMachineCrashLosesNoBlock(t *testing.T) {
	fs := vfs.NewStrictMem()
	require.NoError(t, fs.MkdirAll("ledger", 0o755))
	root, err := fs.OpenDir("")
	require.NoError(t, err)
	require.NoError(t, root.Sync()) // the ledger's directory exists on disk
	require.NoError(t, root.Close())
	s, err := Open("ledger", withFS(fs))
	require.NoError(t, err)
	md := map[string][]byte{"VALIDATION_PARAMETER": []byte("policy")}
	commit(t, s, put(t, s, "tx0", "k", "v0"), simulate(t, s, "tx1", func(sim *Simulator) {
		require.NoError(t, sim.SetState(testNS, "m", []byte("m0")))
		require.NoError(t, sim.SetStateMetadata(testNS, "m", md))
	}))
	commit(t, s, readWrite(t, s, "tx2", "k", "k"))
	commit(t, s, put(t, s, "tx3", "n", "n0"), put(t, s, "tx4", "m", "m1"))
	hash := s.LastBlockHash()
	fs.SetIgnoreSyncs(true) // the machine stops: nothing more reaches the disk
	require.NoError(t, s.Close())
	fs.ResetToSyncedState()
	fs.SetIgnoreSyncs(false)

	s, err = Open("ledger", withFS(fs))
	require.NoError(t, err)
	defer s.Close()
	t.Run("Every committed block and its state are back", func(t *testing.T) {
		require.EqualValues(t, 3, s.Height())
		require.Equal(t, hash, s.LastBlockHash())
		requireState(t, s, "k", "tx2", ver(1, 0))
		requireState(t, s, "m", "m1", ver(2, 1))
		requireState(t, s, "n", "n0", ver(2, 0))
		metadata, err := s.GetStateMetadata(testNS, "m")
		require.NoError(t, err)
		require.Equal(t, md, metadata, "a replayed value-only write keeps the key's metadata")
		require.Equal(t, []string{"tx2", "tx0"}, historyTxIDs(t, s, "k"))
		require.NoError(t, s.VerifyChain())
	})
	t.Run("The recovered ledger commits the next block", func(t *testing.T) {
		commit(t, s, put(t, s, "tx5", "n", "n1"))
		requireState(t, s, "n", "n1", ver(3, 0))
	})
}

// TestBlockFileAgreesWithTheIndex: a block is committed once its index batch
// is written. Open drops a block the file holds beyond the index (a crash
// between the append and the batch), refuses a file that lost indexed blocks,
// and refuses a ledger that kept its blocks in the database.
func TestBlockFileAgreesWithTheIndex(t *testing.T) {
	// twoBlocks opens a ledger in a new directory and commits two blocks.
	twoBlocks := func(t *testing.T) (string, *Store) {
		dir := t.TempDir()
		s, err := Open(dir)
		require.NoError(t, err)
		commit(t, s, put(t, s, "tx0", "k", "v0"))
		commit(t, s, put(t, s, "tx1", "k", "v1"))
		return dir, s
	}
	t.Run("A block appended but never indexed is dropped and committed again", func(t *testing.T) {
		dir, s := twoBlocks(t)
		require.NoError(t, s.blocks.Append([]byte("a block whose commit a crash cut short")))
		require.NoError(t, s.Close())

		s = openStore(t, dir)
		require.EqualValues(t, 2, s.Height())
		require.EqualValues(t, 2, s.blocks.Len())
		_, err := s.GetBlock(2)
		require.ErrorIs(t, err, ErrNotFound)
		commit(t, s, put(t, s, "tx2", "k", "v2"))
		requireState(t, s, "k", "v2", ver(2, 0))
		require.NoError(t, s.VerifyChain())
	})

	t.Run("A block file shorter than the index is refused", func(t *testing.T) {
		dir, s := twoBlocks(t)
		require.NoError(t, s.blocks.TruncateTo(1))
		require.NoError(t, s.Close())
		_, err := Open(dir)
		require.ErrorIs(t, err, errCorrupt)
	})

	t.Run("A ledger with its blocks in the database is refused with a way out", func(t *testing.T) {
		dir, s := twoBlocks(t)
		require.NoError(t, s.db.Set(blockKey(1), []byte("block bytes"), pebble.Sync))
		require.NoError(t, s.Close())
		_, err := Open(dir)
		require.ErrorContains(t, err, "remove the network's directory")
	})
}
