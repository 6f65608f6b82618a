package devnet_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"
)

// TestBlockReadersACLs: the association, whose CA also enrols outside parties
// (suppliers) as clients, designates only its admins and peers as block readers
// (default.yaml), and its ERP is an admin-type identity; the channel ACLs then
// keep full blocks and qscc's blocks and transactions from its clients, while
// its admin, its ERP and other orgs' clients (their own staff and ERP) read
// them. Filtered blocks, chaincode events and the chain height stay open to
// every member, as in Fabric.
func TestBlockReadersACLs(t *testing.T) {
	cfg := testConfig("MAJORITY Endorsement")
	association, err := cfg.Org("AssociationMSP")
	require.NoError(t, err)
	require.Equal(t, []string{"admin", "peer"}, association.BlockReaderRoles(), "default.yaml")
	network := startNetwork(t, cfg, "")

	bank, err := network.Connect("BankMSP", "User1")
	require.NoError(t, err)
	t.Cleanup(func() { _ = bank.Close() })
	_, commit, err := bank.GetNetwork(network.Channel()).GetContract("basic").SubmitAsync("Emit", client.WithArguments("audit.logged", "bank-secret"))
	require.NoError(t, err)
	status, err := commit.Status()
	require.NoError(t, err)
	require.True(t, status.Successful)

	readsBlocks := func(t *testing.T, mspID, user string) bool {
		gateway, err := network.Connect(mspID, user)
		require.NoError(t, err)
		defer gateway.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		blocks, err := gateway.GetNetwork(network.Channel()).BlockEvents(ctx, client.WithStartBlock(status.BlockNumber))
		if err != nil {
			return false
		}
		block, ok := <-blocks
		return ok && block.GetHeader().GetNumber() == status.BlockNumber
	}
	readsEvents := func(t *testing.T, mspID, user string) bool {
		gateway, err := network.Connect(mspID, user)
		require.NoError(t, err)
		defer gateway.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		events, err := gateway.GetNetwork(network.Channel()).ChaincodeEvents(ctx, "basic", client.WithStartBlock(status.BlockNumber))
		if err != nil {
			return false
		}
		event, ok := <-events
		return ok && event.EventName == "audit.logged"
	}
	queriesBlocks := func(t *testing.T, mspID, user string) bool {
		gateway, err := network.Connect(mspID, user)
		require.NoError(t, err)
		defer gateway.Close()
		_, err = gateway.GetNetwork(network.Channel()).GetContract("qscc").EvaluateTransaction("GetBlockByNumber", network.Channel(), strconv.FormatUint(status.BlockNumber, 10))
		return err == nil
	}
	tests := []struct {
		name      string
		mspID     string
		user      string
		allowed   bool
		readsWith func(t *testing.T, mspID, user string) bool
	}{
		{"A supplier gets no full blocks", "AssociationMSP", "Jinggong", false, readsBlocks},
		{"A supplier gets no blocks from qscc", "AssociationMSP", "Jinggong", false, queriesBlocks},
		{"A supplier reads chaincode events, as any member does in Fabric", "AssociationMSP", "Jinggong", true, readsEvents},
		{"The association's operator, a client, gets no full blocks", "AssociationMSP", "User1", false, readsBlocks},
		{"The association's admin reads full blocks", "AssociationMSP", "Admin", true, readsBlocks},
		{"The association's ERP (admin-type) reads full blocks", "AssociationMSP", "ERP", true, readsBlocks},
		{"The association's ERP reads blocks from qscc", "AssociationMSP", "ERP", true, queriesBlocks},
		{"A bank's client (its ERP) reads full blocks", "BankMSP", "User1", true, readsBlocks},
		{"The core enterprise's client reads chaincode events", "CoreEnterpriseMSP", "User1", true, readsEvents},
		{"The core enterprise's client reads blocks from qscc", "CoreEnterpriseMSP", "User1", true, queriesBlocks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.allowed, tt.readsWith(t, tt.mspID, tt.user))
		})
	}

	t.Run("A supplier still reads filtered blocks and the chain height", func(t *testing.T) {
		gateway, err := network.Connect("AssociationMSP", "Jinggong")
		require.NoError(t, err)
		defer gateway.Close()
		channel := gateway.GetNetwork(network.Channel())
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		blocks, err := channel.FilteredBlockEvents(ctx, client.WithStartBlock(status.BlockNumber))
		require.NoError(t, err)
		block, ok := <-blocks
		require.True(t, ok)
		require.Equal(t, status.BlockNumber, block.GetNumber())
		_, err = channel.GetContract("qscc").EvaluateTransaction("GetChainInfo", network.Channel())
		require.NoError(t, err)
	})
}
