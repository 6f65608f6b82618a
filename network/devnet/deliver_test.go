package devnet_test

import (
	"context"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
)

func TestBlockEvents(t *testing.T) {
	t.Parallel()
	network := startNetwork(t, testConfig("MAJORITY Endorsement"), "")
	gateway, err := network.Connect("BankMSP", "User1")
	require.NoError(t, err)
	t.Cleanup(func() { _ = gateway.Close() })
	channel := gateway.GetNetwork(network.Channel())
	contract := channel.GetContract("basic")

	_, commit, err := contract.SubmitAsync("Emit", client.WithArguments("audit.logged", "secret-payload"))
	require.NoError(t, err)
	status, err := commit.Status()
	require.NoError(t, err)
	require.True(t, status.Successful)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t.Run("Full blocks from the genesis block chain to the committed one", func(t *testing.T) {
		blocks, err := channel.BlockEvents(ctx, client.WithStartBlock(0))
		require.NoError(t, err)
		for number := uint64(0); number <= status.BlockNumber; number++ {
			block := <-blocks
			require.NotNil(t, block)
			require.Equal(t, number, block.GetHeader().GetNumber())
		}
	})

	t.Run("Filtered blocks carry the transaction's code and its event without payload", func(t *testing.T) {
		blocks, err := channel.FilteredBlockEvents(ctx, client.WithStartBlock(status.BlockNumber))
		require.NoError(t, err)
		block := <-blocks
		require.Equal(t, status.BlockNumber, block.GetNumber())
		var found bool
		for _, tx := range block.GetFilteredTransactions() {
			if tx.GetTxid() != commit.TransactionID() {
				continue
			}
			found = true
			require.Equal(t, peer.TxValidationCode_VALID, tx.GetTxValidationCode())
			event := tx.GetTransactionActions().GetChaincodeActions()[0].GetChaincodeEvent()
			require.Equal(t, "audit.logged", event.GetEventName())
			require.Empty(t, event.GetPayload())
		}
		require.True(t, found)
	})

	t.Run("Blocks with private data carry the block", func(t *testing.T) {
		blocks, err := channel.BlockAndPrivateDataEvents(ctx, client.WithStartBlock(status.BlockNumber))
		require.NoError(t, err)
		block := <-blocks
		require.Equal(t, status.BlockNumber, block.GetBlock().GetHeader().GetNumber())
	})
}
