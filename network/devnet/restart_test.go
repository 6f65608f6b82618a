package devnet_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet"
)

// modification mirrors an entry of the test chaincode's History result.
type modification struct {
	TxID     string `json:"txId"`
	Value    string `json:"value"`
	IsDelete bool   `json:"isDelete"`
}

func TestRestartOnTheSameDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := testConfig("MAJORITY Endorsement")
	network, err := devnet.Start(context.Background(), devnet.Options{Config: cfg, Dir: dir, FreePorts: true})
	require.NoError(t, err)

	contract := connect(t, network, core, "User1")
	writes := [][]string{
		{"Put", "a", "1"}, {"Put", "b", "1"}, {"Put", "a", "2"}, {"Delete", "b"}, {"Put", "c", "1"},
		{"Put", "a", "3"}, {"SetEndorsementOrgs", "c", `["BankMSP"]`},
	}
	for _, write := range writes {
		submitEverywhere(t, network, contract, write[0], write[1:]...)
	}
	height := network.Height()
	before := snapshot(t, network)
	require.NoError(t, network.Close())

	restarted := startNetwork(t, cfg, dir)
	contract = connect(t, restarted, bank, "User1")

	t.Run("The chain keeps its height", func(t *testing.T) {
		require.Equal(t, height, restarted.Height())
	})

	t.Run("Every peer keeps its state, history and key policies", func(t *testing.T) {
		require.Equal(t, before, snapshot(t, restarted))
	})

	t.Run("New transactions commit in the next block", func(t *testing.T) {
		_, commit, err := contract.SubmitAsync("Put", client.WithArguments("a", "4"))
		require.NoError(t, err)
		status, err := commit.Status()
		require.NoError(t, err)
		require.True(t, status.Successful)
		require.Equal(t, height, status.BlockNumber)
		var history []modification
		evaluateJSON(t, contract, &history, "History", "a")
		require.Len(t, history, 4)
		require.Equal(t, "4", history[0].Value)
		require.Equal(t, commit.TransactionID(), history[0].TxID)
	})

	t.Run("The key policy set before the restart still applies", func(t *testing.T) {
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, submitCode(t, contract, endorsement{core, assoc}, "Put", "c", "2"))
	})
}

// peerView is what one peer answers about the keys the restart test writes.
type peerView struct {
	Values   map[string]string
	History  map[string][]modification
	KeyOrgs  string
	Absent   []string
	Contents string
}

// snapshot reads the test keys through every org's peer.
func snapshot(t *testing.T, network *devnet.Network) map[string]peerView {
	t.Helper()
	views := map[string]peerView{}
	for _, org := range []string{core, bank, assoc} {
		gateway := connectGateway(t, network, org, "User1")
		contract := gateway.GetNetwork(network.Channel()).GetContract("basic")
		view := peerView{Values: map[string]string{}, History: map[string][]modification{}}
		for _, key := range []string{"a", "b", "c"} {
			value, err := contract.EvaluateTransaction("Get", key)
			if err != nil {
				view.Absent = append(view.Absent, key)
			} else {
				view.Values[key] = string(value)
			}
			var history []modification
			evaluateJSON(t, contract, &history, "History", key)
			view.History[key] = history
		}
		orgs, err := contract.EvaluateTransaction("GetEndorsementOrgs", "c")
		require.NoError(t, err)
		view.KeyOrgs = string(orgs)
		var records []record
		evaluateJSON(t, contract, &records, "Range", "", "")
		contents, err := json.Marshal(records)
		require.NoError(t, err)
		view.Contents = string(contents)
		views[org] = view
	}
	require.Equal(t, map[string]string{"a": "3", "c": "1"}, views[core].Values)
	require.Equal(t, []string{"b"}, views[core].Absent)
	require.JSONEq(t, `["BankMSP"]`, views[core].KeyOrgs)
	return views
}
