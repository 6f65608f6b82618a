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
// keys, every page re-read the root's leaves from the first).
func BenchmarkSettleRootPaged(b *testing.B) {
	benchPages(b, "leaf", func(tree *benchTree, stub *fakeStub, page int, bookmark string) (string, int) {
		tx := warrant.NewTx(fmt.Sprintf("settle-%d", page), tree.matured)
		res, _, err := warrant.SettleRoot(stubState{stub}, tx, tree.issuer, warrant.SettleRootRequest{
			RootID: tree.root, PaymentRef: "PAY", PageSize: warrant.MaxPageSize, Bookmark: bookmark})
		require.NoError(b, err)
		return res.NextBookmark, len(res.Settled) + len(res.Skipped)
	})
}

// BenchmarkFreezeSubtreePaged freezes a whole tree from its root, one page of 100 per
// call: like SettleRoot, each call resumes at its bookmark in the lineage index. Nodes
// consumed by a split are read but not frozen, so a little more than one key is read
// per frozen node.
func BenchmarkFreezeSubtreePaged(b *testing.B) {
	regulator := warrant.NewCaller(mspAssoc, "", "regulator")
	benchPages(b, "node", func(tree *benchTree, stub *fakeStub, page int, bookmark string) (string, int) {
		tx := warrant.NewTx(fmt.Sprintf("freeze-%d", page), tree.matured)
		res, _, err := warrant.Freeze(stubState{stub}, tx, regulator, warrant.FreezeRequest{WarrantID: tree.root,
			Reason: "court order", Subtree: true, PageSize: warrant.MaxPageSize, Bookmark: bookmark})
		require.NoError(b, err)
		return res.NextBookmark, len(res.Changed)
	})
}

// benchPages runs a paged batch over trees of about 1,000 and 10,000 leaves, page by
// page until the bookmark is empty, on a fresh copy of the tree each time, and reports
// the keys read and the time per item the pages handled.
func benchPages(b *testing.B, item string, page func(tree *benchTree, stub *fakeStub, page int, bookmark string) (next string, handled int)) {
	for _, splitters := range []int{10, 99} {
		tree := newBenchTree(b, 100, splitters)
		b.Run(fmt.Sprintf("leaves=%d", tree.leaves), func(b *testing.B) {
			var keysRead, handled int
			for b.Loop() {
				b.StopTimer()
				stub := tree.stub.clone()
				b.StartTimer()
				bookmark := ""
				for n := 0; ; n++ {
					stub.keysRead = 0
					next, done := page(tree, stub, n, bookmark)
					keysRead += stub.keysRead
					handled += done
					if bookmark = next; bookmark == "" {
						break
					}
				}
			}
			b.ReportMetric(float64(keysRead)/float64(handled), "keys-read/"+item)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(handled), "ns/"+item)
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
	// now is the ledger time the tree was built at; rest the root's remainder,
	// ACTIVE and held by the root's holder.
	now  time.Time
	rest string
}

// newBenchTree builds, with the domain's operations over the fake stub, a root split
// into fanout-1 parts, of which the first splitters are accepted and split again.
func newBenchTree(b *testing.B, fanout, splitters int) *benchTree {
	stub := newFakeStub()
	state := stubState{stub}
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	n := 0
	tx := func() warrant.Tx { n++; return warrant.NewTx(fmt.Sprintf("tx-%d", n), now) }
	admin := warrant.NewCaller(mspAssoc, "", "admin,verifier,registrar")
	_, _, err := warrant.InitLedger(state, tx(), admin, mspAssoc, warrant.InitLedgerRequest{Name: "association"})
	require.NoError(b, err)
	for _, m := range []warrant.RegisterMemberRequest{{MSPID: mspCore, Kind: warrant.KindCoreEnterprise, Name: "core"},
		{MSPID: mspBank, Kind: warrant.KindBank, Name: "bank"}} {
		_, _, err := warrant.RegisterMember(state, tx(), admin, m)
		require.NoError(b, err)
	}
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
	issuer := onboard(0, mspCore, warrant.RoleIssuer, warrant.RoleAttestor)
	checker := onboard(1000, mspAssoc, warrant.RoleAttestor)
	for _, a := range []warrant.AuthorizeAttestorRequest{{CreditCode: checker.Entity, Kinds: []warrant.AttestationKind{warrant.AttestTaxInvoice}},
		{CreditCode: issuer.Entity, Kinds: []warrant.AttestationKind{warrant.AttestGoodsReceipt}}} {
		_, _, err := warrant.AuthorizeAttestor(state, tx(), admin, a)
		require.NoError(b, err)
	}
	bank := onboard(1, mspBank, warrant.RoleFinancier)
	holders := make([]warrant.Caller, fanout)
	for i := range holders {
		holders[i] = onboard(2+i, mspAssoc, warrant.RoleHolder)
	}
	_, _, err = warrant.SetCreditLine(state, tx(), bank, warrant.SetCreditLineRequest{Debtor: issuer.Entity, Limit: 1e12})
	require.NoError(b, err)
	amount := int64(1e9)
	root, _, err := warrant.Issue(state, tx(), issuer, warrant.IssueRequest{Debtor: issuer.Entity, Holder: holders[0].Entity,
		Amount: amount, MaturesAt: now.AddDate(0, 0, 90), Trade: warrant.Trade{ContractHash: strings.Repeat("ab", 32),
			Invoices: []warrant.Invoice{{Number: "26442000000000000001", Amount: amount, Seller: holders[0].Entity,
				Buyer: issuer.Entity, DocumentHash: strings.Repeat("cd", 32)}}}})
	require.NoError(b, err)
	for _, a := range []struct {
		by   warrant.Caller
		kind warrant.AttestationKind
	}{{checker, warrant.AttestTaxInvoice}, {issuer, warrant.AttestGoodsReceipt}} {
		_, _, err := warrant.Attest(state, tx(), a.by, warrant.AttestRequest{WarrantID: root.ID, Kind: a.kind, Passed: true,
			ConfirmedAmount: amount, EvidenceHash: strings.Repeat("12", 32)})
		require.NoError(b, err)
	}
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
	return &benchTree{stub: stub, issuer: issuer, root: root.ID, leaves: leaves, matured: now.AddDate(0, 0, 91),
		now: now, rest: first[len(first)-1].ID}
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
