package committer

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

var errInjected = errors.New("injected store failure")

// faultyStore opens a ledger whose operation op fails while armed is set.
func faultyStore(t *testing.T, op ledger.Op, armed *atomic.Bool) *ledger.Store {
	t.Helper()
	store, err := ledger.Open(t.TempDir(), ledger.WithFault(func(got ledger.Op) error {
		if got == op && armed.Load() {
			return errInjected
		}
		return nil
	}))
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// configBlock is block number (after previous) holding one CONFIG envelope.
func configBlock(t *testing.T, number uint64, previous []byte) *common.Block {
	t.Helper()
	header, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG), ChannelId: "ch"})
	require.NoError(t, err)
	payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: header}, Data: []byte("config")})
	require.NoError(t, err)
	envelope, err := proto.Marshal(&common.Envelope{Payload: payload})
	require.NoError(t, err)
	data := &common.BlockData{Data: [][]byte{envelope}}
	return &common.Block{Header: &common.BlockHeader{Number: number, PreviousHash: previous, DataHash: ledger.BlockDataHash(data)}, Data: data}
}

func TestLedgerErrorsFailTheBlock(t *testing.T) {
	const valid = peer.TxValidationCode_VALID

	t.Run("A failed transaction ID lookup is an error, not a duplicate", func(t *testing.T) {
		var armed atomic.Bool
		armed.Store(true)
		c := New(Config{Ledger: faultyStore(t, ledger.OpLookupTx, &armed)})
		flags, err := c.resolveInBlock([]checkedTx{{code: valid, txID: "a"}})
		require.ErrorIs(t, err, errInjected)
		require.Nil(t, flags)
	})

	t.Run("A failed metadata read is an error, not an invalid transaction", func(t *testing.T) {
		var armed atomic.Bool
		armed.Store(true)
		c := New(Config{Ledger: faultyStore(t, ledger.OpReadState, &armed)})
		_, err := c.checkEndorsements(&protoutil.Transaction{}, "cc", []nsKey{{"cc", "k"}})
		require.ErrorIs(t, err, errInjected)
	})

	t.Run("A failed commit stops the committer", func(t *testing.T) {
		var armed atomic.Bool
		armed.Store(true)
		store := faultyStore(t, ledger.OpWriteBlock, &armed)
		c := New(Config{Ledger: store})
		_, err := c.Commit(configBlock(t, 0, nil))
		require.ErrorIs(t, err, errInjected)
		require.Zero(t, store.Height(), "nothing committed")
		require.ErrorIs(t, c.Err(), errInjected)

		armed.Store(false) // even once the store works again
		_, err = c.Commit(configBlock(t, 0, nil))
		require.ErrorIs(t, err, errInjected, "a stopped committer commits nothing more")
		require.Zero(t, store.Height())
		require.ErrorIs(t, c.WaitForHeight(context.Background(), 0), errInjected, "waiters learn the committer stopped")
	})

	t.Run("Halt wakes waiters with the reason", func(t *testing.T) {
		var armed atomic.Bool
		c := New(Config{Ledger: faultyStore(t, ledger.OpWriteBlock, &armed)})
		waited := make(chan error)
		go func() { waited <- c.WaitForHeight(context.Background(), 5) }()
		c.Halt(errInjected)
		require.ErrorIs(t, <-waited, errInjected)
	})
}

func TestConfigTransactions(t *testing.T) {
	var armed atomic.Bool
	store := faultyStore(t, ledger.OpWriteBlock, &armed)
	c := New(Config{Channel: "ch", Ledger: store})

	t.Run("The genesis block's configuration is committed as given", func(t *testing.T) {
		codes, err := c.Commit(configBlock(t, 0, nil))
		require.NoError(t, err)
		require.Equal(t, []peer.TxValidationCode{peer.TxValidationCode_VALID}, codes)
	})

	t.Run("A configuration transaction after genesis is invalid, not trusted", func(t *testing.T) {
		codes, err := c.Commit(configBlock(t, 1, store.LastBlockHash()))
		require.NoError(t, err)
		require.Equal(t, []peer.TxValidationCode{peer.TxValidationCode_INVALID_CONFIG_TRANSACTION}, codes)
		require.EqualValues(t, 2, store.Height())
	})
}
