package devnet_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
)

// TestBlockReadersACLs: an org whose CA also enrols outside parties (the
// association enrols suppliers) designates only its admins and peers as block
// readers; the channel ACLs then keep full blocks, every chaincode event and
// qscc's blocks and transactions from its clients, while other orgs' clients
// (their ERP) and its admin read them, and filtered blocks and the chain
// height stay open to every member.
func TestBlockReadersACLs(t *testing.T) {
	cfg := testConfig("MAJORITY Endorsement")
	association, err := cfg.Org("AssociationMSP")
	require.NoError(t, err)
	association.BlockReaders = []string{"admin", "peer"}
	// The association's own system reads blocks with an admin-type identity.
	association.Users = append(association.Users, config.User{Name: "Monitor", Type: config.UserTypeAdmin})
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
		{"A supplier gets no chaincode events", "AssociationMSP", "Jinggong", false, readsEvents},
		{"A supplier gets no blocks from qscc", "AssociationMSP", "Jinggong", false, queriesBlocks},
		{"The association's admin reads full blocks", "AssociationMSP", "Admin", true, readsBlocks},
		{"The association's admin reads chaincode events", "AssociationMSP", "Admin", true, readsEvents},
		{"The association's admin-type system identity reads chaincode events", "AssociationMSP", "Monitor", true, readsEvents},
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
