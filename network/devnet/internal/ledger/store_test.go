package ledger

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
)

func TestState(t *testing.T) {
	s := openStore(t, t.TempDir())

	t.Run("An empty ledger has height zero and no state", func(t *testing.T) {
		require.Zero(t, s.Height())
		require.Nil(t, s.LastBlockHash())
		requireAbsent(t, s, "k1")
	})

	commit(t, s, put(t, s, "tx0", "k1", "v1"))
	commit(t, s, put(t, s, "tx1", "k2", "v2"), put(t, s, "tx2", "k1", "v1b"))

	t.Run("Committed writes are readable with version {block, tx}", func(t *testing.T) {
		requireState(t, s, "k1", "v1b", ver(1, 1))
		requireState(t, s, "k2", "v2", ver(1, 0))
		require.EqualValues(t, 2, s.Height())
	})

	t.Run("A key of another namespace is absent", func(t *testing.T) {
		vv, err := s.GetState("other", "k1")
		require.NoError(t, err)
		require.Nil(t, vv)
	})

	t.Run("Rejects an invalid namespace", func(t *testing.T) {
		_, err := s.GetState("", "k1")
		require.Error(t, err)
		_, err = s.GetState("a\x00b", "k1")
		require.Error(t, err)
	})

	t.Run("Returns stored blocks and not-found for missing ones", func(t *testing.T) {
		block, err := s.GetBlock(1)
		require.NoError(t, err)
		require.EqualValues(t, 1, block.GetHeader().GetNumber())
		require.Len(t, block.GetData().GetData(), 2)
		_, err = s.GetBlock(7)
		require.ErrorIs(t, err, ErrNotFound)
	})
}

func TestTxStatus(t *testing.T) {
	s := openStore(t, t.TempDir())
	first := put(t, s, "dup", "k", "first")
	block := nextBlock(t, s, put(t, s, "ok", "k", "v"), put(t, s, "bad", "k2", "v"), first, put(t, s, "dup", "k", "second"))
	flags := []peer.TxValidationCode{
		peer.TxValidationCode_VALID, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE,
		peer.TxValidationCode_VALID, peer.TxValidationCode_DUPLICATE_TXID,
	}
	_, err := s.CommitBlock(block, flags)
	require.NoError(t, err)
	commit(t, s, put(t, s, "ok", "k", "again"))

	tests := []struct {
		name  string
		txID  string
		found bool
		code  peer.TxValidationCode
		block uint64
	}{
		{"A valid transaction is found as valid", "ok", true, peer.TxValidationCode_VALID, 0},
		{"An invalid transaction keeps its code", "bad", true, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, 0},
		{"The first occurrence in a block wins", "dup", true, peer.TxValidationCode_VALID, 0},
		{"An unknown transaction is not found", "nope", false, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, num, found, err := s.TxStatus(tc.txID)
			require.NoError(t, err)
			require.Equal(t, tc.found, found)
			require.Equal(t, tc.code, code)
			require.Equal(t, tc.block, num)
		})
	}
}

func TestBlockHashes(t *testing.T) {
	hexSum := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	tests := []struct {
		name   string
		header *common.BlockHeader
		der    string
	}{
		{"Hashes a small header as DER", &common.BlockHeader{Number: 1, PreviousHash: []byte{0xaa, 0xbb}, DataHash: []byte{0xcc, 0xdd}},
			"300b020101" + "0402aabb" + "0402ccdd"},
		{"Hashes block zero with empty hashes", &common.BlockHeader{},
			"3007020100" + "0400" + "0400"},
		{"Encodes a number above int64 as a positive integer", &common.BlockHeader{Number: 1 << 63},
			"300f02090080000000000000000400" + "0400"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			der, err := hex.DecodeString(tc.der)
			require.NoError(t, err)
			require.Equal(t, hexSum(der), hex.EncodeToString(BlockHeaderHash(tc.header)))
		})
	}
	t.Run("Hashes block data as the concatenated envelopes", func(t *testing.T) {
		data := &common.BlockData{Data: [][]byte{[]byte("ab"), []byte("cd")}}
		require.Equal(t, hexSum([]byte("abcd")), hex.EncodeToString(BlockDataHash(data)))
	})
}
