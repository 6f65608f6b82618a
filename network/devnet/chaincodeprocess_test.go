package devnet_test

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet"
)

// TestEachPeerRunsItsOwnChaincodeProcess: each org's peer launches its own
// chaincode process, which reads its peer's MSP ID (CORE_PEER_LOCALMSPID) and
// the chaincode's configured env.
func TestEachPeerRunsItsOwnChaincodeProcess(t *testing.T) {
	cfg := testConfig("MAJORITY Endorsement")
	cfg.Chaincodes[0].Env = map[string]string{"ASSET_GREETING": "hello"}
	network := startNetworkWith(t, devnet.Options{Config: cfg})
	for _, mspID := range []string{"CoreEnterpriseMSP", "BankMSP", "AssociationMSP"} {
		t.Run(mspID, func(t *testing.T) {
			gateway, err := network.Connect(mspID, "User1")
			require.NoError(t, err)
			defer gateway.Close()
			result, err := gateway.GetNetwork(network.Channel()).GetContract("basic").Evaluate("PeerProcess",
				client.WithArguments("ASSET_GREETING"), client.WithEndorsingOrganizations(mspID))
			require.NoError(t, err)
			var got []string
			require.NoError(t, json.Unmarshal(result, &got))
			require.Equal(t, []string{mspID, "hello"}, got)
		})
	}
}
