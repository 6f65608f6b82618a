package devnet_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
)

// endorsement is who endorses a transaction: the named orgs, or the
// gateway's choice when none are named.
type endorsement []string

func (e endorsement) options(args ...string) []client.ProposalOption {
	options := []client.ProposalOption{client.WithArguments(args...)}
	if len(e) > 0 {
		options = append(options, client.WithEndorsingOrganizations(e...))
	}
	return options
}

// submitCode submits a Put endorsed as given and returns its validation code.
func submitCode(t *testing.T, contract *client.Contract, by endorsement, function string, args ...string) peer.TxValidationCode {
	t.Helper()
	_, err := contract.Submit(function, by.options(args...)...)
	if err == nil {
		return peer.TxValidationCode_VALID
	}
	return commitCode(t, err)
}

// policyCase is a Put endorsed by some orgs and the code it commits with.
type policyCase struct {
	name string
	by   endorsement
	want peer.TxValidationCode
}

func TestChaincodeEndorsementPolicies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy string
		cases  []policyCase
	}{
		{policy: "AND('CoreEnterpriseMSP.peer','BankMSP.peer','AssociationMSP.peer')", cases: []policyCase{
			{"One org's endorsement fails the policy", endorsement{core}, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
			{"Two orgs' endorsements fail the policy", endorsement{core, bank}, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
			{"All three orgs' endorsements satisfy the policy", endorsement{core, bank, assoc}, peer.TxValidationCode_VALID},
			{"The gateway's choice of endorsers satisfies the policy", nil, peer.TxValidationCode_VALID},
		}},
		{policy: "OutOf(2, 'CoreEnterpriseMSP.peer', 'BankMSP.peer', 'AssociationMSP.peer')", cases: []policyCase{
			{"One org's endorsement fails the policy", endorsement{assoc}, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
			{"Two other orgs' endorsements satisfy the policy", endorsement{bank, assoc}, peer.TxValidationCode_VALID},
			{"The gateway's choice of endorsers satisfies the policy", nil, peer.TxValidationCode_VALID},
		}},
		{policy: "OR('BankMSP.peer')", cases: []policyCase{
			{"The submitting org's own endorsement fails the policy", endorsement{core}, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
			{"The named org's endorsement satisfies the policy", endorsement{bank}, peer.TxValidationCode_VALID},
			{"The gateway's choice of endorsers satisfies the policy", nil, peer.TxValidationCode_VALID},
		}},
		{policy: "MAJORITY Endorsement", cases: []policyCase{
			{"One org of three fails a majority", endorsement{core}, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
			{"Two orgs of three make a majority", endorsement{core, assoc}, peer.TxValidationCode_VALID},
			{"The gateway's choice of endorsers satisfies the policy", nil, peer.TxValidationCode_VALID},
		}},
		{policy: "ANY Endorsement", cases: []policyCase{
			{"Another org's endorsement alone satisfies the policy", endorsement{assoc}, peer.TxValidationCode_VALID},
		}},
	}
	// One network serves every policy: the channel defines the test chaincode once
	// per policy, under a name of its own, so each policy's keys are its own.
	cfg := testConfig("")
	template := cfg.Chaincodes[0]
	cfg.Chaincodes = nil
	for i, tt := range tests {
		definition := template
		definition.Name, definition.EndorsementPolicy = fmt.Sprintf("policy%d", i), tt.policy
		cfg.Chaincodes = append(cfg.Chaincodes, definition)
	}
	network := startNetwork(t, cfg, "")
	gateway := connectGateway(t, network, core, "User1")
	for n, tt := range tests {
		t.Run(fmt.Sprintf("Under %s", tt.policy), func(t *testing.T) {
			t.Parallel()
			contract := gateway.GetNetwork(network.Channel()).GetContract(cfg.Chaincodes[n].Name)
			for i, c := range tt.cases {
				t.Run(c.name, func(t *testing.T) {
					key := fmt.Sprintf("k%d", i)
					require.Equal(t, c.want, submitCode(t, contract, c.by, "Put", key, "v"))
					_, err := contract.EvaluateTransaction("Get", key)
					if c.want == peer.TxValidationCode_VALID {
						require.NoError(t, err)
					} else {
						require.ErrorContains(t, err, "does not exist", "an invalid transaction writes nothing")
					}
				})
			}
		})
	}
}

func TestStateBasedEndorsement(t *testing.T) {
	t.Parallel()
	network := startNetwork(t, testConfig("MAJORITY Endorsement"), "")
	contract := connect(t, network, core, "User1")
	submitEverywhere(t, network, contract, "Put", "owned", "v0")
	submitEverywhere(t, network, contract, "SetEndorsementOrgs", "owned", `["BankMSP"]`)
	orgs, err := contract.EvaluateTransaction("GetEndorsementOrgs", "owned")
	require.NoError(t, err)
	require.JSONEq(t, `["BankMSP"]`, string(orgs))

	tests := []struct {
		name     string
		by       endorsement
		function string
		args     []string
		want     peer.TxValidationCode
	}{
		{name: "A write endorsed by orgs without the key's org fails",
			by: endorsement{core, assoc}, function: "Put", args: []string{"owned", "v1"}, want: peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
		{name: "A write endorsed by the gateway's choice, which includes the key's org, commits",
			by: nil, function: "Put", args: []string{"owned", "v2"}, want: peer.TxValidationCode_VALID},
		{name: "A write endorsed by the key's org and another commits",
			by: endorsement{core, bank}, function: "Put", args: []string{"owned", "v3"}, want: peer.TxValidationCode_VALID},
		{name: "A write endorsed by the key's org alone commits, the key's policy replacing the chaincode's",
			by: endorsement{bank}, function: "Put", args: []string{"owned", "v4"}, want: peer.TxValidationCode_VALID},
		{name: "A write of a key without a key policy still needs the chaincode policy",
			by: endorsement{bank}, function: "Put", args: []string{"free", "v"}, want: peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
		{name: "A delete endorsed without the key's org fails",
			by: endorsement{core, assoc}, function: "Delete", args: []string{"owned"}, want: peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
		{name: "Changing the key's policy without the key's org fails",
			by: endorsement{core, assoc}, function: "SetEndorsementOrgs", args: []string{"owned", `["CoreEnterpriseMSP"]`}, want: peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE},
	}
	last := "v0"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, submitCode(t, contract, tt.by, tt.function, tt.args...))
			if tt.want == peer.TxValidationCode_VALID && tt.function == "Put" && tt.args[0] == "owned" {
				last = tt.args[1]
			}
			value, err := contract.EvaluateTransaction("Get", "owned")
			require.NoError(t, err)
			require.Equal(t, last, string(value), "only valid writes change the key")
		})
	}
}

func TestKeyPolicyChangedEarlierInTheBlock(t *testing.T) {
	t.Parallel()
	cfg := testConfig("MAJORITY Endorsement")
	// Blocks wait long enough for both transactions below to share one.
	cfg.Orderer.BatchTimeout = config.Duration(300 * time.Millisecond)
	cfg.Orderer.WaitForBatch = true
	network := startNetwork(t, cfg, "")
	contract := connect(t, network, core, "User1")
	submitEverywhere(t, network, contract, "Put", "owned", "v0")
	submitEverywhere(t, network, contract, "SetEndorsementOrgs", "owned", `["BankMSP"]`)

	change := endorse(t, contract, "SetEndorsementOrgs", client.WithArguments("owned", `["AssociationMSP"]`))
	// Endorsed by every org, the write satisfies the key's old and new policy alike.
	write := endorse(t, contract, "Put", client.WithArguments("owned", "v1"), client.WithEndorsingOrganizations(core, bank, assoc))
	changeCommit, err := change.Submit()
	require.NoError(t, err)
	writeCommit, err := write.Submit()
	require.NoError(t, err)
	changeStatus, err := changeCommit.Status()
	require.NoError(t, err)
	writeStatus, err := writeCommit.Status()
	require.NoError(t, err)
	require.Equal(t, changeStatus.BlockNumber, writeStatus.BlockNumber, "both transactions share a block")

	t.Run("The policy change commits", func(t *testing.T) {
		require.Equal(t, peer.TxValidationCode_VALID, changeStatus.Code)
	})
	t.Run("A later write of the key in the same block fails its endorsement policy", func(t *testing.T) {
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, writeStatus.Code)
	})
}
