package test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	fabric "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	warrantclient "github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/test/testnet"
)

// TestCrossBankStory runs the consortium's story on the consortium dev network (two
// banks, two core enterprises, the association): a supplier holds parts of warrants of
// both core enterprises; it pledges one at bank A, and bank B can neither pledge nor
// factor that part (PLEDGED), nothing changing; custody of the other part at bank B
// needs bank B's endorsement and not bank A's; at maturity each pledgee is paid (R10,
// R11, R12, R32, R34).
//
// Each bank's financing terms (rate, fees) are not on the shared ledger: they belong to
// the private trade data of R17, a collection of the bank's own org; the pledges here
// record only the secured amount the registry needs.
func TestCrossBankStory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	n := testnet.StartWith(t, testnet.Options{Config: testnet.ConsortiumConfig()})
	mspBank2, mspCore2 := orgOf(testnet.AsBank2), orgOf(testnet.AsCore2)

	t.Run("The association registered five member orgs of three kinds", func(t *testing.T) {
		page, err := n.Connect(t, testnet.AsJinggong).ListMembers(ctx, warrant.ListMembersRequest{})
		require.NoError(t, err)
		kinds := map[string]warrant.MemberKind{}
		for _, m := range page.Items {
			require.Equal(t, warrant.MemberActive, m.Status)
			kinds[m.MSPID] = m.Kind
		}
		require.Equal(t, map[string]warrant.MemberKind{mspAssoc: warrant.KindAssociation, mspBank: warrant.KindBank,
			mspBank2: warrant.KindBank, mspCore: warrant.KindCoreEnterprise, mspCore2: warrant.KindCoreEnterprise}, kinds)
	})

	// Jinggong holds, after passing 30% of each on to Hengda, a part of a warrant of each
	// core enterprise. They mature in two minutes, so that settlement is timestamped at
	// maturity without waiting (within the endorsers' clock skew, R19).
	maturesAt := time.Now().UTC().Add(2 * time.Minute).Truncate(time.Second)
	jinggong := n.Connect(t, testnet.AsJinggong)
	keep := func(issuer string) *warrant.Warrant {
		w := n.ActiveWarrantOf(t, issuer, testnet.Jinggong, 10_000_000, maturesAt)
		split, err := jinggong.SplitTransfer(ctx, warrant.SplitTransferRequest{WarrantID: w.ID,
			Parts: []warrant.Part{{Recipient: testnet.Hengda, Amount: 3_000_000}}})
		require.NoError(t, err)
		for _, child := range split.Children {
			if child.Holder == testnet.Jinggong {
				return &child
			}
		}
		t.Fatalf("no part kept by the splitter in %+v", split)
		return nil
	}
	partA, partB := keep(testnet.AsCore), keep(testnet.AsCore2)
	require.Equal(t, testnet.Core, lookupDebtor(t, n, partA))
	require.Equal(t, testnet.Core2, lookupDebtor(t, n, partB))

	bankA, bankB := n.Connect(t, testnet.AsBank), n.Connect(t, testnet.AsBank2)
	t.Run("Pledged at bank A, the part cannot be pledged or factored at bank B", func(t *testing.T) {
		_, err := jinggong.RequestFinancing(ctx, warrant.FinancingRequest{WarrantID: partA.ID, Financier: testnet.Bank})
		require.NoError(t, err)
		pledged, err := bankA.Pledge(ctx, warrant.PledgeRequest{WarrantID: partA.ID, Amount: 6_000_000})
		require.NoError(t, err)
		require.Equal(t, warrant.StatusPledged, pledged.Status)
		require.Equal(t, testnet.Bank, pledged.Pledge.Pledgee)

		before := snapshot(t, n, partA.ID)
		_, err = jinggong.RequestFinancing(ctx, warrant.FinancingRequest{WarrantID: partA.ID, Financier: testnet.Bank2})
		require.Equal(t, warrant.CodePledged, warrantclient.Code(err), "%v", err)
		_, err = bankB.Pledge(ctx, warrant.PledgeRequest{WarrantID: partA.ID, Amount: 6_000_000})
		require.Equal(t, warrant.CodePledged, warrantclient.Code(err), "%v", err)
		_, err = bankB.Factor(ctx, warrant.BankWarrantRequest{WarrantID: partA.ID})
		require.Equal(t, warrant.CodePledged, warrantclient.Code(err), "%v", err)
		require.Equal(t, before, snapshot(t, n, partA.ID), "the refusals changed nothing")

		entry, err := bankB.LookupRegistryNo(ctx, pledged.Pledge.RegistryNo)
		require.NoError(t, err)
		require.True(t, entry.Registered && entry.Encumbered, "bank B sees the pledge in the registry: %+v", entry)
	})

	t.Run("Custody at bank B needs bank B's endorsement, not bank A's", func(t *testing.T) {
		deposited, err := jinggong.Deposit(ctx, warrant.DepositRequest{WarrantID: partB.ID, Custodian: testnet.Bank2})
		require.NoError(t, err)
		require.Equal(t, testnet.Bank2, deposited.Custodian)

		ask := encode(t, warrant.FinancingRequest{WarrantID: partB.ID, Financier: testnet.Bank2})
		before := snapshot(t, n, partB.ID)
		status := submitEndorsedBy(t, n, testnet.AsJinggong, "finance:RequestFinancing", ask, mspCore, mspAssoc, mspBank)
		require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, status.Code)
		require.Equal(t, before, snapshot(t, n, partB.ID), "the invalidated transaction changed nothing")

		status = submitEndorsedBy(t, n, testnet.AsJinggong, "finance:RequestFinancing", ask, mspCore2, mspAssoc, mspBank2)
		require.Equal(t, peer.TxValidationCode_VALID, status.Code, "bank B and a majority suffice, bank A is not asked")
		pledged, err := bankB.Pledge(ctx, warrant.PledgeRequest{WarrantID: partB.ID, Amount: 5_000_000})
		require.NoError(t, err)
		require.Equal(t, testnet.Bank2, pledged.Pledge.Pledgee)
	})

	t.Run("A suspended bank writes nothing and cannot be named; reinstated, it can", func(t *testing.T) {
		association := n.Connect(t, testnet.AsAssociation)
		w := n.ActiveWarrantOf(t, testnet.AsCore2, testnet.Hengda, 1_000_000, maturesAt)
		hengda := n.Connect(t, testnet.AsHengda)
		_, err := hengda.RequestFinancing(ctx, warrant.FinancingRequest{WarrantID: w.ID, Financier: testnet.Bank2})
		require.NoError(t, err)
		_, err = association.SuspendMember(ctx, warrant.MemberStatusRequest{MSPID: mspBank2, Reason: "licence under review"})
		require.NoError(t, err)
		before := snapshot(t, n, w.ID)
		_, err = bankB.Pledge(ctx, warrant.PledgeRequest{WarrantID: w.ID, Amount: 500_000})
		require.Equal(t, warrant.CodeForbidden, warrantclient.Code(err), "%v", err)
		_, err = bankB.SetCreditLine(ctx, warrant.SetCreditLineRequest{Debtor: testnet.Core2, Limit: 1})
		require.Equal(t, warrant.CodeForbidden, warrantclient.Code(err), "%v", err)
		_, err = hengda.Deposit(ctx, warrant.DepositRequest{WarrantID: w.ID, Custodian: testnet.Bank2})
		require.Equal(t, warrant.CodeForbidden, warrantclient.Code(err), "%v", err)
		require.Equal(t, before, snapshot(t, n, w.ID), "the refusals changed nothing")
		_, err = association.ReinstateMember(ctx, warrant.MemberStatusRequest{MSPID: mspBank2, Reason: "review closed"})
		require.NoError(t, err)
		_, err = bankB.Pledge(ctx, warrant.PledgeRequest{WarrantID: w.ID, Amount: 500_000})
		require.NoError(t, err)
	})

	t.Run("At maturity each pledgee is paid up to its secured amount, the holder the rest", func(t *testing.T) {
		for _, c := range []struct {
			part       *warrant.Warrant
			issuer     string
			bank       string
			payingBank string
			secured    int64
			refPrefix  string
		}{
			{partA, testnet.AsCore, testnet.Bank, testnet.AsBank, 6_000_000, "QH"},
			{partB, testnet.AsCore2, testnet.Bank2, testnet.AsBank2, 5_000_000, "NS"},
		} {
			settling := submitAtAs[warrant.Warrant](t, n, c.issuer, "settlement:Settle", maturesAt,
				warrant.SettleRequest{WarrantID: c.part.ID, PaymentRef: "PAY-" + c.part.ID, PayingBank: c.bank})
			require.Equal(t, []warrant.PayeeShare{{Payee: c.bank, Amount: c.secured}, {Payee: testnet.Jinggong, Amount: c.part.Amount - c.secured}},
				settling.Settlement.Payees)
			var payments []warrant.ConfirmedPayment
			for i, share := range settling.Settlement.Payees {
				payments = append(payments, warrant.ConfirmedPayment{Payee: share.Payee, PayeeAccount: fmt.Sprintf("6222-%d", i),
					Amount: share.Amount, PaymentRef: fmt.Sprintf("%s-%s-%d", c.refPrefix, c.part.ID, i)})
			}
			settled := submitAtAs[warrant.Warrant](t, n, c.payingBank, "settlement:ConfirmSettlement", maturesAt,
				warrant.ConfirmSettlementRequest{WarrantID: c.part.ID, Channel: warrant.ChannelBankTransfer, Payments: payments})
			require.Equal(t, warrant.StatusSettled, settled.Status)
		}
	})
}

// orgOf is the MSP ID of an identity "<User>@<MSPID>".
func orgOf(identity string) string {
	_, msp, _ := strings.Cut(identity, "@")
	return msp
}

// lookupDebtor reads a warrant's root's debtor as the association.
func lookupDebtor(t *testing.T, n *testnet.Net, w *warrant.Warrant) string {
	t.Helper()
	root, err := n.Connect(t, testnet.AsAssociation).GetWarrant(context.Background(), w.RootID)
	require.NoError(t, err)
	return root.Debtor
}

// snapshot is a warrant and its history as the association reads them.
func snapshot(t *testing.T, n *testnet.Net, id string) string {
	t.Helper()
	association := n.Connect(t, testnet.AsAssociation)
	w, err := association.GetWarrant(context.Background(), id)
	require.NoError(t, err)
	history, err := association.History(context.Background(), id)
	require.NoError(t, err)
	return encode(t, w) + encode(t, history)
}

// submitEndorsedBy submits function as who with the peers of orgs endorsing, and
// returns the commit status: a transaction whose endorsements do not satisfy a key's
// policy is ordered and then invalidated.
func submitEndorsedBy(t *testing.T, n *testnet.Net, who, function, request string, orgs ...string) *fabric.Status {
	t.Helper()
	return commitStatus(t, endorseBy(t, n, who, function, request, orgs...))
}

// submitAtAs submits function as who with the proposal timestamp at, requires it to
// commit and decodes its result.
func submitAtAs[Res any](t *testing.T, n *testnet.Net, who, function string, at time.Time, request any) *Res {
	t.Helper()
	gw, contract := n.Gateway(t, who)
	transaction, status, err := testnet.SubmitAt(context.Background(), gw, contract, function, at, encode(t, request))
	require.NoError(t, err, "%s as %s", function, who)
	require.Equal(t, peer.TxValidationCode_VALID, status.Code, "%s as %s", function, who)
	var out Res
	require.NoError(t, json.Unmarshal(transaction.Result(), &out))
	return &out
}

// TestCrossBankDemo runs scripts/demo.sh --consortium end to end: the cross-bank story
// on the consortium dev network, with its three PLEDGED refusals and each pledgee paid.
func TestCrossBankDemo(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the whole cross-bank demo (about a minute)")
	}
	prepareDemoBinaries(t)
	dir := t.TempDir()
	demo := exec.Command("bash", filepath.Join("..", "scripts", "demo.sh"), "--consortium")
	demo.Env = append(withoutEnv(os.Environ(), fabricBinEnv), "DEMO_DIR="+filepath.Join(dir, "devnet"), "DEMO_TENOR_SECONDS=40", "DEMO_FREE_PORTS=1", "DEMO_PREBUILT=1")
	output, err := demo.CombinedOutput()
	require.NoError(t, err, "scripts/demo.sh --consortium failed:\n%s", output)
	text := string(output)
	for _, want := range []string{
		"registered Bank2MSP (深圳南山商业银行) as BANK",
		"rejected as expected: Error: admin:RegisterMember: FORBIDDEN",
		"rejected as expected: Error: finance:RequestFinancing: PLEDGED",
		"rejected as expected: Error: finance:Pledge: PLEDGED",
		"rejected as expected: Error: finance:Factor: PLEDGED",
		"encumbered  true",
		"paid and confirmed by " + testnet.Bank,
		"paid and confirmed by " + testnet.Bank2,
		"Payee        " + testnet.Bank + " ¥600,000.00",
		"Payee        " + testnet.Bank2 + " ¥500,000.00",
	} {
		require.Contains(t, text, want)
	}
}
