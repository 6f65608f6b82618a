package test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/cast"
	"github.com/scfledger/warrants/test/testnet"
)

// TestRealFabricAddOrg adds a second bank to a running native real Fabric network and
// has it take a pledge (issue 13): scripts/network.sh native addOrg bank2 computes the
// channel config update, has a majority of the admins sign it, starts and joins the
// new peer and approves the chaincode for the new org; the association's admin then
// registers the bank on the ledger (R34), and the bank pledges a warrant issued before
// it joined, which its own peer reads (it caught up from the blocks).
func TestRealFabricAddOrg(t *testing.T) {
	requireFabricBin(t)
	native := startNative(t)
	r := &conformanceRun{t: t, dial: native.dial, gateways: map[identity]*client.Gateway{}, norm: newNormaliser(), everyPeer: true}
	registerMembers(r)
	for _, m := range members {
		r.call("onboard "+m.id.String(), assoc, "admin:OnboardEnterprise", m.enterprise)
	}
	r.call("credit line", bank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: coreCode(), Limit: 500_000_000})
	authorizeAttestors(r)
	const amount = 50_000_000
	root := warrantIDOf(t, r.call("issue", core, "issuance:Issue", warrant.IssueRequest{Debtor: coreCode(), Holder: jinggongCode(),
		Amount: amount, MaturesAt: time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(time.Second),
		Trade: warrant.Trade{ContractHash: hashOf("addorg contract"), Invoices: []warrant.Invoice{{Code: "4403261130",
			Number: "00910001", Amount: amount, Seller: jinggongCode(), Buyer: coreCode(), DocumentHash: hashOf("addorg invoice")}}}}))
	attest(r, root, amount)
	r.call("verify", assoc, "registry:Verify", warrant.VerifyRequest{WarrantID: root, EvidenceHash: hashOf("evidence"), Passed: true})
	r.call("register", assoc, "registry:Register", warrant.RegisterRequest{WarrantID: root})

	bank2, bank2Code := identityOf(cast.Bank2), cast.Get(cast.Bank2).CreditCode
	started := time.Now()
	out, err := networkScript(t, "native", "addOrg", "bank2", "--dir", native.dir)
	require.NoError(t, err, "native addOrg bank2:\n%s", out)
	t.Logf("native addOrg bank2 took %v", time.Since(started).Round(time.Second))
	require.Contains(t, string(out), "(2 of 3 signatures)", "a majority of the three orgs' admins signed the update")

	r.call("register the new bank", assoc, "admin:RegisterMember", warrant.RegisterMemberRequest{MSPID: bank2.mspID,
		Kind: warrant.KindBank, Name: cast.Get(cast.Bank2).Name})
	r.call("onboard the new bank", assoc, "admin:OnboardEnterprise", testnet.OnboardRequest(cast.Get(cast.Bank2)))
	r.call("ask the new bank", jinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: root, Financier: bank2Code})
	r.call("the new bank pledges", bank2, "finance:Pledge", warrant.PledgeRequest{WarrantID: root, Amount: 30_000_000})
	for _, o := range r.outcomes {
		require.Equal(t, "VALID", o.Validation, "%+v", o)
	}

	result, err := r.contract(bank2).EvaluateTransaction("query:GetWarrant", root)
	require.NoError(t, err, "the new bank reads the warrant on its own peer")
	var w warrant.Warrant
	require.NoError(t, json.Unmarshal(result, &w))
	require.Equal(t, warrant.StatusPledged, w.Status)
	require.Equal(t, bank2Code, w.Pledge.Pledgee)
}
