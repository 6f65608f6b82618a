package test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	fabric "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	warrantclient "github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/devnettest"
	"github.com/scfledger/warrants/test/cast"
	"github.com/scfledger/warrants/test/testnet"
)

// TestAddOrgBankJoinsAndTakesAPledge adds the consortium's second bank to the running
// three-org dev network by a channel config update, as scripts/network.sh native
// addOrg does on real Fabric (issue 13): signed by one admin of three, the orderer
// refuses it and nothing changes; signed by a majority (2 of 3), the config block
// makes Bank2MSP a member and its new peer catches up from the orderer's blocks
// (same height and last block hash as the others). The association registers the
// bank on the ledger (R34), and the bank records its financing terms in its own
// implicit collection (R17) and pledges a warrant issued before it joined, its
// endorsement counting towards MAJORITY of four orgs. Suspended on the ledger,
// the bank writes nothing; removed from the channel (3 of 4 admins), its peer's
// endorsements no longer count: a transaction it endorsed with one other org fails
// the policy, while one endorsed by two of the three remaining orgs is valid.
func TestAddOrgBankJoinsAndTakesAPledge(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := testnet.Start(t)
	mspBank2 := orgOf(testnet.AsBank2)
	bank2Org, err := config.Consortium().Org(mspBank2)
	require.NoError(t, err)
	pledged := n.ActiveWarrant(t, testnet.Jinggong, 50_000_000)
	later := n.ActiveWarrant(t, testnet.Jinggong, 50_000_000)

	t.Run("Signed by too few admins, the update is refused and nothing changes", func(t *testing.T) {
		height := n.Height()
		_, err := n.AddOrg(ctx, *bank2Org, mspAssoc)
		require.ErrorContains(t, err, "/Channel/Application/Admins")
		require.Equal(t, height, n.Height(), "nothing ordered")
		members, err := n.ChannelMembers(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{mspAssoc, mspBank, mspCore}, members)
		_, err = n.PeerAddress(mspBank2)
		require.Error(t, err, "no peer started")
	})

	t.Run("Signed by a majority of the admins, the bank joins and its peer catches up", func(t *testing.T) {
		update, err := n.AddOrg(ctx, *bank2Org)
		require.NoError(t, err)
		require.Equal(t, []string{mspCore, mspBank}, update.Signers, "2 of 3 admins signed")
		require.Equal(t, 3, update.Members)
		members, err := n.ChannelMembers(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{mspAssoc, mspBank2, mspBank, mspCore}, members)
		want := devChainInfo(t, n, cast.Core)
		require.Equal(t, update.Block+1, want.Height)
		require.Equal(t, want, devChainInfo(t, n, cast.Bank2), "the new peer has every block, the same as the others")
	})

	admin, jinggong := n.Connect(t, testnet.AsAssociation), n.Connect(t, testnet.AsJinggong)
	bank2 := cast.Get(cast.Bank2)
	t.Run("Registered by the association, the bank takes a pledge with its own endorsement counted", func(t *testing.T) {
		_, err := admin.RegisterMember(ctx, warrant.RegisterMemberRequest{MSPID: mspBank2, Kind: warrant.KindBank, Name: bank2.Name})
		require.NoError(t, err)
		_, err = admin.OnboardEnterprise(ctx, testnet.OnboardRequest(bank2))
		require.NoError(t, err)
		ask := encode(t, warrant.FinancingRequest{WarrantID: pledged.ID, Financier: testnet.Bank2})
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE,
			submitEndorsedBy(t, n, testnet.AsJinggong, "finance:RequestFinancing", ask, mspCore, mspAssoc).Code,
			"two of four orgs are not a majority")
		require.Equal(t, peer.TxValidationCode_VALID,
			submitEndorsedBy(t, n, testnet.AsJinggong, "finance:RequestFinancing", ask, mspCore, mspAssoc, mspBank2).Code,
			"the new bank's endorsement makes three of four")
		bank := n.Connect(t, testnet.AsBank2)
		terms := warrant.FinancingTerms{Salt: strings.Repeat("c4", 16), LoanAmount: 30_000_000, RateBP: 420, Fees: 80_000}
		record, err := bank.RecordFinancingTerms(ctx, terms)
		require.NoError(t, err, "the new bank keeps its terms in its own implicit collection (R17)")
		w, err := bank.Pledge(ctx, warrant.PledgeRequest{WarrantID: pledged.ID, Amount: 30_000_000, TermsHash: record.TermsHash})
		require.NoError(t, err)
		require.Equal(t, warrant.StatusPledged, w.Status)
		require.Equal(t, testnet.Bank2, w.Pledge.Pledgee)
		read, err := jinggong.GetWarrant(ctx, pledged.ID)
		require.NoError(t, err)
		require.Equal(t, testnet.Bank2, read.Pledge.Pledgee)
		got, err := bank.GetFinancingTerms(ctx, pledged.ID)
		require.NoError(t, err)
		require.Equal(t, terms, *got)
		_, err = n.Connect(t, testnet.AsBank).GetFinancingTerms(ctx, pledged.ID)
		require.Equal(t, warrant.CodeForbidden, warrantclient.Code(err), "the other bank does not see them")
	})

	t.Run("Suspended and removed, the bank's endorsements no longer count", func(t *testing.T) {
		_, err := admin.SuspendMember(ctx, warrant.MemberStatusRequest{MSPID: mspBank2, Reason: "leaves the consortium"})
		require.NoError(t, err)
		_, err = n.Connect(t, testnet.AsBank2).ReleasePledge(ctx, warrant.BankWarrantRequest{WarrantID: pledged.ID})
		require.ErrorContains(t, err, string(warrant.CodeForbidden), "a suspended member writes nothing")

		// Endorsed while the bank is a member, submitted once it is not.
		ask := encode(t, warrant.FinancingRequest{WarrantID: later.ID, Financier: testnet.Bank})
		withBank2 := endorseBy(t, n, testnet.AsJinggong, "finance:RequestFinancing", ask, mspCore, mspBank2)
		withBank := endorseBy(t, n, testnet.AsJinggong, "finance:RequestFinancing", ask, mspCore, mspBank)

		height := n.Height()
		_, err = n.RemoveOrg(ctx, mspBank2, mspCore)
		require.ErrorContains(t, err, "/Channel/Application/Admins", "one admin of four cannot remove an org")
		require.Equal(t, height, n.Height(), "nothing ordered")
		update, err := n.RemoveOrg(ctx, mspBank2)
		require.NoError(t, err)
		require.Equal(t, []string{mspCore, mspBank, mspAssoc}, update.Signers, "3 of 4 admins signed")
		members, err := n.ChannelMembers(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{mspAssoc, mspBank, mspCore}, members)
		_, err = n.PeerAddress(mspBank2)
		require.Error(t, err, "the bank's peer left the network")

		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, commitStatus(t, withBank2).Code,
			"the removed bank's endorsement does not count: one of three")
		require.Equal(t, peer.TxValidationCode_VALID, commitStatus(t, withBank).Code, "two of three orgs are a majority")
		read, err := jinggong.GetWarrant(ctx, pledged.ID)
		require.NoError(t, err)
		require.Equal(t, warrant.StatusPledged, read.Status, "the removed bank's pledge stands on the ledger")
	})
}

// devChainInfo is the chain height and last block hash as key's org's peer answers qscc.
func devChainInfo(t *testing.T, n *testnet.Net, key string) chainInfo {
	t.Helper()
	dial := func(id identity) (*fabric.Gateway, io.Closer, error) { return dialProfile(n.Dir(), id) }
	return peerChainInfo(t, dial, n.Channel(), identityOf(key))
}

// endorseBy has the peers of orgs endorse function as who, without submitting it.
func endorseBy(t *testing.T, n *testnet.Net, who, function, request string, orgs ...string) *fabric.Transaction {
	t.Helper()
	_, contract := n.Gateway(t, who)
	return devnettest.Endorse(t, contract, function, fabric.WithArguments(request), fabric.WithEndorsingOrganizations(orgs...))
}

// commitStatus submits an endorsed transaction and waits for its commit status.
var commitStatus = devnettest.SubmitStatus
