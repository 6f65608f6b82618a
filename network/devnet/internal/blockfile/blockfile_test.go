package blockfile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cockroachdb/pebble/vfs"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/blockfile"
)

// appendBlocks opens a file in a temporary directory and appends n records.
func appendBlocks(t *testing.T, n int) (string, [][]byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "blocks")
	bf, err := blockfile.Open(vfs.Default, path)
	require.NoError(t, err)
	var blocks [][]byte
	for i := range n {
		data := []byte(fmt.Sprintf("block %d %s", i, make([]byte, i*10)))
		require.NoError(t, bf.Append(data))
		blocks = append(blocks, data)
	}
	require.NoError(t, bf.Close())
	return path, blocks
}

// reopen opens the block file at path again, closed when the test ends.
func reopen(t *testing.T, path string) *blockfile.File {
	t.Helper()
	bf, err := blockfile.Open(vfs.Default, path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = bf.Close() })
	return bf
}

// requireBlock asserts that block num of bf reads as want.
func requireBlock(t *testing.T, bf *blockfile.File, num uint64, want []byte) {
	t.Helper()
	got, err := bf.Read(num)
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestBlockFile(t *testing.T) {
	t.Run("Reads back every appended block, also after reopening", func(t *testing.T) {
		path, blocks := appendBlocks(t, 5)
		bf := reopen(t, path)
		require.EqualValues(t, 5, bf.Len())
		for i, want := range blocks {
			requireBlock(t, bf, uint64(i), want)
		}
		_, err := bf.Read(5)
		require.ErrorIs(t, err, blockfile.ErrNotFound)
		require.NoError(t, bf.Append([]byte("block 5")))
		requireBlock(t, bf, 5, []byte("block 5"))
	})

	torn := []struct {
		name string
		tear func(t *testing.T, path string, size int64)
	}{
		{"a cut inside the last record's data", func(t *testing.T, path string, size int64) {
			require.NoError(t, os.Truncate(path, size-3))
		}},
		{"a cut inside the last record's header", func(t *testing.T, path string, size int64) {
			require.NoError(t, os.Truncate(path, size-int64(len("block 2"))-5))
		}},
		{"a last record whose data does not match its checksum", func(t *testing.T, path string, size int64) {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			require.NoError(t, err)
			_, err = f.WriteAt([]byte("X"), size-1)
			require.NoError(t, err)
			require.NoError(t, f.Close())
		}},
	}
	for _, tt := range torn {
		t.Run("Cuts a torn last block away: "+tt.name, func(t *testing.T) {
			path, blocks := appendBlocks(t, 2)
			bf, err := blockfile.Open(vfs.Default, path)
			require.NoError(t, err)
			require.NoError(t, bf.Append([]byte("block 2")))
			require.NoError(t, bf.Close())
			info, err := os.Stat(path)
			require.NoError(t, err)
			tt.tear(t, path, info.Size())

			bf = reopen(t, path)
			require.EqualValues(t, 2, bf.Len())
			requireBlock(t, bf, 1, blocks[1])
			require.NoError(t, bf.Append([]byte("block 2 again")))
			requireBlock(t, bf, 2, []byte("block 2 again"))
		})
	}

	t.Run("A damaged block before the last is reported, not served", func(t *testing.T) {
		path, _ := appendBlocks(t, 3)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteAt([]byte("X"), 8) // the first byte of block 0's data
		require.NoError(t, err)
		require.NoError(t, f.Close())
		_, err = reopen(t, path).Read(0)
		require.ErrorIs(t, err, blockfile.ErrCorrupt)
	})

	t.Run("TruncateTo drops the blocks from a number on", func(t *testing.T) {
		path, blocks := appendBlocks(t, 4)
		bf, err := blockfile.Open(vfs.Default, path)
		require.NoError(t, err)
		require.NoError(t, bf.TruncateTo(2))
		require.EqualValues(t, 2, bf.Len())
		require.NoError(t, bf.TruncateTo(3), "nothing to drop")
		require.NoError(t, bf.Close())
		bf = reopen(t, path)
		require.EqualValues(t, 2, bf.Len())
		requireBlock(t, bf, 1, blocks[1])
	})
}

// TestPowerLossKeepsSyncedBlocks: on a file system that keeps only what was
// synced, every appended block survives, from the first one on, and so does
// a truncation.
func TestPowerLossKeepsSyncedBlocks(t *testing.T) {
	fs := vfs.NewStrictMem()
	require.NoError(t, fs.MkdirAll("ledger", 0o755))
	root, err := fs.OpenDir("")
	require.NoError(t, err)
	require.NoError(t, root.Sync())
	require.NoError(t, root.Close())

	bf, err := blockfile.Open(fs, "ledger/blocks")
	require.NoError(t, err)
	for i := range 4 {
		require.NoError(t, bf.Append([]byte(fmt.Sprintf("block %d", i))))
	}
	require.NoError(t, bf.TruncateTo(3))
	fs.SetIgnoreSyncs(true) // the machine stops
	require.NoError(t, bf.Close())
	fs.ResetToSyncedState()
	fs.SetIgnoreSyncs(false)

	bf, err = blockfile.Open(fs, "ledger/blocks")
	require.NoError(t, err)
	defer bf.Close()
	require.EqualValues(t, 3, bf.Len())
	for i := range 3 {
		requireBlock(t, bf, uint64(i), []byte(fmt.Sprintf("block %d", i)))
	}
}
