package test

import (
	"encoding/json"
	"fmt"
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
// it joined, which its own peer reads (it caught up from the blocks). Then the bank
// leaves: suspended on the ledger it writes nothing, and once native removeOrg has
// taken it off the channel, MAJORITY counts three orgs again.
func TestRealFabricAddOrg(t *testing.T) {
	requireFabricBin(t)
	native, r, roots := nativeWithSecondBank(t, 2)
	r.call("ask the new bank", jinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: roots[0], Financier: bank2Code()})
	r.call("the new bank pledges", bank2, "finance:Pledge", warrant.PledgeRequest{WarrantID: roots[0], Amount: 30_000_000})
	requireAllValid(t, r)
	w := readAs(t, r, bank2, roots[0])
	require.Equal(t, warrant.StatusPledged, w.Status)
	require.Equal(t, bank2Code(), w.Pledge.Pledgee)

	r.outcomes = nil
	r.call("suspend the new bank", assoc, "admin:SuspendMember", warrant.MemberStatusRequest{MSPID: bank2.mspID, Reason: "leaves the consortium"})
	r.call("the suspended bank releases its pledge", bank2, "finance:ReleasePledge", warrant.BankWarrantRequest{WarrantID: roots[0]})
	ask := warrant.FinancingRequest{WarrantID: roots[1], Financier: bankCode()}
	r.call("two of four orgs endorse", jinggong, "finance:RequestFinancing", ask, mspCore, mspAssoc)
	out, err := networkScript(t, "native", "removeOrg", "bank2", "--dir", native.dir)
	require.NoError(t, err, "native removeOrg bank2:\n%s", out)
	require.Contains(t, string(out), "(3 of 4 signatures)", "a majority of the four orgs' admins signed the removal")
	r.call("two of three orgs endorse", jinggong, "finance:RequestFinancing", ask, mspCore, mspAssoc)
	require.Equal(t, []stepOutcome{
		{Step: "suspend the new bank", Validation: "VALID"},
		{Step: "the suspended bank releases its pledge", Endorsement: string(warrant.CodeForbidden)},
		{Step: "two of four orgs endorse", Validation: "ENDORSEMENT_POLICY_FAILURE"},
		{Step: "two of three orgs endorse", Validation: "VALID"},
	}, withoutResults(r.outcomes))
	require.Equal(t, warrant.StatusPledged, readAs(t, r, assoc, roots[0]).Status, "the suspended bank's pledge stands")
}

// withoutResults drops the responses of outcomes, to compare their codes.
func withoutResults(outcomes []stepOutcome) []stepOutcome {
	out := make([]stepOutcome, len(outcomes))
	for i, o := range outcomes {
		o.Result = ""
		out[i] = o
	}
	return out
}

// TestRealFabricCrossBank runs the cross-bank refusal on real Fabric with four orgs: a
// warrant pledged at bank A cannot be pledged or factored at bank B (PLEDGED) and is
// unchanged; a warrant in bank B's custody changes with bank B's endorsement and not
// with bank A's in its place (R10, R11, R34).
func TestRealFabricCrossBank(t *testing.T) {
	requireFabricBin(t)
	_, r, roots := nativeWithSecondBank(t, 2)
	pledged, custody := roots[0], roots[1]
	r.call("ask bank A", jinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: pledged, Financier: bankCode()})
	r.call("bank A pledges", bank, "finance:Pledge", warrant.PledgeRequest{WarrantID: pledged, Amount: 30_000_000})
	requireAllValid(t, r)
	before := readAs(t, r, assoc, pledged)

	r.outcomes = nil
	r.call("ask bank B", jinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: pledged, Financier: bank2Code()})
	r.call("bank B pledges", bank2, "finance:Pledge", warrant.PledgeRequest{WarrantID: pledged, Amount: 30_000_000})
	r.call("bank B factors", bank2, "finance:Factor", warrant.BankWarrantRequest{WarrantID: pledged})
	for _, o := range r.outcomes {
		require.Equal(t, string(warrant.CodePledged), o.Endorsement, "%+v", o)
	}
	require.Equal(t, before, readAs(t, r, assoc, pledged), "the refusals changed nothing")

	r.outcomes = nil
	r.call("custody at bank B", jinggong, "custody:Deposit", warrant.DepositRequest{WarrantID: custody, Custodian: bank2Code()})
	ask := warrant.FinancingRequest{WarrantID: custody, Financier: bank2Code()}
	r.call("endorsed without bank B", jinggong, "finance:RequestFinancing", ask, mspCore, mspAssoc, mspBank)
	r.call("endorsed by bank B, not bank A", jinggong, "finance:RequestFinancing", ask, mspCore, mspAssoc, bank2.mspID)
	require.Equal(t, []string{"VALID", "ENDORSEMENT_POLICY_FAILURE", "VALID"},
		[]string{r.outcomes[0].Validation, r.outcomes[1].Validation, r.outcomes[2].Validation}, "%+v", r.outcomes)
	require.Equal(t, bank2Code(), readAs(t, r, assoc, custody).FinanceRequest.Financier)
}

// bank2 is the user of the consortium's second bank, which native addOrg adds.
var bank2 = identityOf(cast.Bank2)

func bank2Code() string { return cast.Get(cast.Bank2).CreditCode }

// nativeWithSecondBank starts a native network of the three orgs, registers the
// members and onboards the cast, issues n registered warrants of ¥500,000.00 to
// Jinggong, then adds the second bank with scripts/network.sh native addOrg bank2 and
// has the association register and onboard it. It returns the network, the run and
// the warrants.
func nativeWithSecondBank(t *testing.T, n int) (*nativeNetwork, *conformanceRun, []string) {
	t.Helper()
	native := startNative(t)
	r := &conformanceRun{t: t, dial: native.dial, gateways: map[identity]*client.Gateway{}, norm: newNormaliser(), everyPeer: true}
	registerMembers(r)
	for _, m := range members {
		r.call("onboard "+m.id.String(), assoc, "admin:OnboardEnterprise", m.enterprise)
	}
	r.call("credit line", bank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: coreCode(), Limit: 500_000_000})
	authorizeAttestors(r)
	const amount = 50_000_000
	var roots []string
	for i := range n {
		number := fmt.Sprintf("%08d", 910001+i)
		root := warrantIDOf(t, r.call("issue", core, "issuance:Issue", warrant.IssueRequest{Debtor: coreCode(), Holder: jinggongCode(),
			Amount: amount, MaturesAt: time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(time.Second),
			Trade: warrant.Trade{ContractHash: hashOf("addorg contract " + number), Invoices: []warrant.Invoice{{Code: "4403261130",
				Number: number, Amount: amount, Seller: jinggongCode(), Buyer: coreCode(), DocumentHash: hashOf("addorg invoice " + number)}}}}))
		attest(r, root, amount)
		r.call("verify", assoc, "registry:Verify", warrant.VerifyRequest{WarrantID: root, EvidenceHash: hashOf("evidence"), Passed: true})
		r.call("register", assoc, "registry:Register", warrant.RegisterRequest{WarrantID: root})
		roots = append(roots, root)
	}

	started := time.Now()
	out, err := networkScript(t, "native", "addOrg", "bank2", "--dir", native.dir)
	require.NoError(t, err, "native addOrg bank2:\n%s", out)
	t.Logf("native addOrg bank2 took %v", time.Since(started).Round(time.Second))
	require.Contains(t, string(out), "(2 of 3 signatures)", "a majority of the three orgs' admins signed the update")

	r.call("register the new bank", assoc, "admin:RegisterMember", warrant.RegisterMemberRequest{MSPID: bank2.mspID,
		Kind: warrant.KindBank, Name: cast.Get(cast.Bank2).Name})
	r.call("onboard the new bank", assoc, "admin:OnboardEnterprise", testnet.OnboardRequest(cast.Get(cast.Bank2)))
	return native, r, roots
}

// requireAllValid requires every step so far to have committed as VALID.
func requireAllValid(t *testing.T, r *conformanceRun) {
	t.Helper()
	for _, o := range r.outcomes {
		require.Equal(t, "VALID", o.Validation, "%+v", o)
	}
}

// readAs reads a warrant as id, on id's org's peer.
func readAs(t *testing.T, r *conformanceRun, id identity, warrantID string) *warrant.Warrant {
	t.Helper()
	result, err := r.contract(id).EvaluateTransaction("query:GetWarrant", warrantID)
	require.NoError(t, err, "%s reads %s on its own peer", id, warrantID)
	var w warrant.Warrant
	require.NoError(t, json.Unmarshal(result, &w))
	return &w
}
