package contracts

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// BenchmarkSettleRootPaged settles every leaf of a root, one page of 100 per call, over
// the fake stub: each call resumes at its bookmark, so the keys read per leaf stay the
// same whatever the number of leaves (linear cost; before the leaf index became tree
// keys, every page re-read the root's leaves from the first). Freeze of a subtree pages
// over the lineage index the same way.
func BenchmarkSettleRootPaged(b *testing.B) {
	for _, splitters := range []int{10, 99} {
		tree := newBenchTree(b, 100, splitters)
		b.Run(fmt.Sprintf("leaves=%d", tree.leaves), func(b *testing.B) {
			var keysRead, settled int
			for b.Loop() {
				b.StopTimer()
				stub := tree.stub.clone()
				b.StartTimer()
				bookmark := ""
				for page := 0; ; page++ {
					stub.keysRead = 0
					tx := warrant.NewTx(fmt.Sprintf("settle-%d", page), tree.matured)
					res, _, err := warrant.SettleRoot(stubState{stub}, tx, tree.issuer, warrant.SettleRootRequest{
						RootID: tree.root, PaymentRef: "PAY", PageSize: warrant.MaxPageSize, Bookmark: bookmark})
					require.NoError(b, err)
					keysRead += stub.keysRead
					settled += len(res.Settled) + len(res.Skipped)
					if bookmark = res.NextBookmark; bookmark == "" {
						break
					}
				}
			}
			b.ReportMetric(float64(keysRead)/float64(settled), "keys-read/leaf")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(settled), "ns/leaf")
		})
	}
}

// benchTree is a root split among recipients, some of whom split their part again.
type benchTree struct {
	stub    *fakeStub
	issuer  warrant.Caller
	root    string
	leaves  int
	matured time.Time
}

// newBenchTree builds, with the domain's operations over the fake stub, a root split
// into fanout-1 parts, of which the first splitters are accepted and split again.
func newBenchTree(b *testing.B, fanout, splitters int) *benchTree {
	stub := newFakeStub()
	state := stubState{stub}
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	n := 0
	tx := func() warrant.Tx { n++; return warrant.NewTx(fmt.Sprintf("tx-%d", n), now) }
	admin := warrant.NewCaller(warrant.MSPAssociation, "", "admin,verifier,registrar")
	onboard := func(i int, msp string, roles ...warrant.Role) warrant.Caller {
		code := benchCreditCode(i)
		names := make([]string, len(roles))
		for j, r := range roles {
			names[j] = string(r)
		}
		_, _, err := warrant.OnboardEnterprise(state, tx(), admin, warrant.OnboardEnterpriseRequest{CreditCode: code,
			Name: "enterprise " + code, MSPID: msp, Roles: roles, Controller: code})
		require.NoError(b, err)
		return warrant.NewCaller(msp, code, strings.Join(names, ","))
	}
	issuer := onboard(0, warrant.MSPCoreEnterprise, warrant.RoleIssuer)
	bank := onboard(1, warrant.MSPBank, warrant.RoleFinancier)
	holders := make([]warrant.Caller, fanout)
	for i := range holders {
		holders[i] = onboard(2+i, warrant.MSPAssociation, warrant.RoleHolder)
	}
	_, _, err := warrant.SetCreditLine(state, tx(), bank, warrant.SetCreditLineRequest{Debtor: issuer.Entity, Limit: 1e12})
	require.NoError(b, err)
	amount := int64(1e9)
	root, _, err := warrant.Issue(state, tx(), issuer, warrant.IssueRequest{Debtor: issuer.Entity, Holder: holders[0].Entity,
		Amount: amount, MaturesAt: now.AddDate(0, 0, 90), Trade: warrant.Trade{ContractHash: strings.Repeat("ab", 32),
			Invoices: []warrant.Invoice{{Number: "26442000000000000001", Amount: amount, Seller: holders[0].Entity,
				Buyer: issuer.Entity, DocumentHash: strings.Repeat("cd", 32)}}}})
	require.NoError(b, err)
	_, _, err = warrant.Verify(state, tx(), admin, warrant.VerifyRequest{WarrantID: root.ID, EvidenceHash: strings.Repeat("ef", 32), Passed: true})
	require.NoError(b, err)
	_, _, err = warrant.Register(state, tx(), admin, warrant.RegisterRequest{WarrantID: root.ID})
	require.NoError(b, err)
	split := func(holder warrant.Caller, id string, amount int64, to []warrant.Caller) []warrant.Warrant {
		parts := make([]warrant.Part, 0, len(to))
		for _, r := range to {
			parts = append(parts, warrant.Part{Recipient: r.Entity, Amount: amount / int64(len(to)+1)})
		}
		res, _, err := warrant.SplitTransfer(state, tx(), holder, warrant.SplitTransferRequest{WarrantID: id, Parts: parts})
		require.NoError(b, err)
		return res.Children
	}
	leaves := 0
	first := split(holders[0], root.ID, amount, holders[1:])
	leaves += len(first)
	for i, part := range first[:splitters] {
		holder := holders[1+i]
		_, _, err := warrant.Accept(state, tx(), holder, warrant.OfferRequest{WarrantID: part.ID})
		require.NoError(b, err)
		var to []warrant.Caller
		for j, h := range holders[1:] {
			if j != i && len(to) < fanout-2 {
				to = append(to, h)
			}
		}
		leaves += len(split(holder, part.ID, part.Amount, to)) - 1
	}
	return &benchTree{stub: stub, issuer: issuer, root: root.ID, leaves: leaves, matured: now.AddDate(0, 0, 91)}
}

// benchCreditCode is a valid credit code numbered i: the check character is the one
// ValidateCreditCode accepts.
func benchCreditCode(i int) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	prefix := fmt.Sprintf("91440300MA%07d", i)
	for _, c := range alphabet {
		if code := prefix + string(c); warrant.ValidateCreditCode(code) == nil {
			return code
		}
	}
	panic("no check character for " + prefix)
}
