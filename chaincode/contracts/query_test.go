package contracts_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/chaincode/warrant"
)

// TestQueryContract covers the queries of R16: lookups by id and registry
// indexes, paginated lists by holder and debtor, lineage, history, summaries.
func TestQueryContract(t *testing.T) {
	root := newLedger(t)
	root.onboard()
	// Warrants issued to Hengda: 21 ISSUED, 2 of which then registered.
	var hengda []warrant.Warrant
	for range 21 {
		request := issueRequest(root.nextInvoice(), 1_000)
		request.Holder, request.Trade.Invoices[0].Seller = codeT2A, codeT2A
		hengda = append(hengda, root.issueWith(request))
	}
	active := []warrant.Warrant{root.register(root.verify(hengda[0])), root.register(root.verify(hengda[1]))}
	ids := func(ws []warrant.Warrant) []string {
		out := make([]string, len(ws))
		for i, w := range ws {
			out[i] = w.ID
		}
		return out
	}

	t.Run("Lists by holder and debtor page with bookmarks and filter by status", func(t *testing.T) {
		l := root.in(t)
		var page warrant.WarrantPage
		require.NoError(t, l.query("query:ListByHolder", warrant.ListRequest{Party: codeT2A}, &page))
		require.Len(t, page.Items, warrant.DefaultPageSize)
		require.NotEmpty(t, page.NextBookmark)

		var pages, all []string
		request := warrant.ListRequest{Party: codeT2A, PageSize: 4}
		for {
			var page warrant.WarrantPage
			require.NoError(t, l.query("query:ListByHolder", request, &page))
			require.LessOrEqual(t, len(page.Items), 4)
			pages = append(pages, page.NextBookmark)
			all = append(all, ids(page.Items)...)
			if page.NextBookmark == "" {
				break
			}
			request.Bookmark = page.NextBookmark
		}
		require.Len(t, pages, 6, "21 warrants, 4 a page")
		require.ElementsMatch(t, ids(hengda), all)
		require.ElementsMatch(t, ids(active), ids(l.list("query:ListByHolder", codeT2A, warrant.StatusActive)))
		require.Len(t, l.list("query:ListByHolder", codeT2A, warrant.StatusIssued), 19)
		require.Empty(t, l.list("query:ListByHolder", codeT3A, ""))
		require.Len(t, l.list("query:ListByDebtor", codeCore, warrant.StatusActive), 2)
		require.Len(t, l.list("query:ListByDebtor", codeCore, ""), 21)
		require.Empty(t, l.list("query:ListByDebtor", codeBank, ""))
	})

	t.Run("Lists refuse bad requests", func(t *testing.T) {
		l := root.in(t)
		var first warrant.WarrantPage
		require.NoError(t, l.query("query:ListByDebtor", warrant.ListRequest{Party: codeCore, PageSize: 1}, &first))
		for _, c := range []struct {
			name    string
			request any
		}{
			{"a page of 101", warrant.ListRequest{Party: codeT2A, PageSize: warrant.MaxPageSize + 1}},
			{"a negative page size", warrant.ListRequest{Party: codeT2A, PageSize: -1}},
			{"an unknown status", warrant.ListRequest{Party: codeT2A, Status: "LOST"}},
			{"a malformed party", warrant.ListRequest{Party: "hengda"}},
			{"a bookmark of another query", warrant.ListRequest{Party: codeT2A, Bookmark: first.NextBookmark}},
			{"a bookmark that is not one", warrant.ListRequest{Party: codeT2A, Bookmark: "%%%"}},
			{"an unknown field", `{"party":"` + codeT2A + `","limit":5}`},
			{"malformed JSON", `{"party":`},
		} {
			var page warrant.WarrantPage
			require.Equal(t, warrant.CodeInvalidArgument, code(t, l.query("query:ListByHolder", c.request, &page)), c.name)
		}
	})

	t.Run("Lineage lists a root's tree in pre-order, a page at a time", func(t *testing.T) {
		l := root.in(t)
		w := l.active(10_000)
		var split warrant.SplitResult
		l.mustSubmit(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: w.ID, Parts: []warrant.Part{
			{Recipient: codeT2A, Amount: 1_000}, {Recipient: codeT2B, Amount: 2_000},
		}}, &split)
		received, _ := l.transfer(child(l, split, codeT1A), codeT3A, 3_000)
		nodes := ids(l.lineage(w.ID, 2))
		require.Equal(t, []string{w.ID, w.ID + ".001", w.ID + ".002", w.ID + ".003", w.ID + ".003.001", w.ID + ".003.002"}, nodes)
		require.Contains(t, nodes, received.ID)
		for i, id := range nodes[1:] {
			require.True(t, strings.HasPrefix(id, nodes[0]), "node %d of the root", i)
		}
		var page warrant.WarrantPage
		require.Equal(t, warrant.CodeInvalidArgument, code(t, l.query("query:Lineage", warrant.LineageRequest{RootID: "root"}, &page)))
		require.NoError(t, l.query("query:Lineage", warrant.LineageRequest{RootID: "W000000000000000000000000"}, &page))
		require.Empty(t, page.Items)
	})

	t.Run("History lists every committed change of a warrant, newest first", func(t *testing.T) {
		l := root.in(t)
		w := active[0]
		history := l.history(w.ID)
		require.Len(t, history, 5, "two attestations before the verification")
		statuses := []warrant.Status{history[0].Warrant.Status, history[1].Warrant.Status, history[2].Warrant.Status}
		require.Equal(t, []warrant.Status{warrant.StatusActive, warrant.StatusVerified, warrant.StatusIssued}, statuses)
		for i, entry := range history {
			require.NotEmpty(t, entry.TxID)
			require.False(t, entry.Deleted)
			if i > 0 {
				require.False(t, entry.Timestamp.After(history[i-1].Timestamp))
				require.NotEqual(t, history[i-1].TxID, entry.TxID)
			}
		}
		var none []contracts.HistoryEntry
		require.Equal(t, warrant.CodeNotFound, code(t, l.evaluate("query:History", &none, "W000000000000000000000000")))
		require.Equal(t, warrant.CodeInvalidArgument, code(t, l.evaluate("query:History", &none, "../etc")))
	})

	t.Run("Lookups by id, invoice, document and registry number", func(t *testing.T) {
		l := root.in(t)
		w := active[1]
		invoice := w.Trade.Invoices[0]
		var found warrant.Warrant
		require.NoError(t, l.evaluate("query:GetWarrant", &found, w.ID))
		require.Equal(t, w, found)
		for _, c := range []struct {
			name     string
			function string
			args     []string
			want     warrant.Code
		}{
			{"an unknown id", "query:GetWarrant", []string{"W000000000000000000000000"}, warrant.CodeNotFound},
			{"a malformed id", "query:GetWarrant", []string{"W1"}, warrant.CodeInvalidArgument},
			{"a malformed invoice number", "query:LookupInvoice", []string{invoiceCode, "12ab"}, warrant.CodeInvalidArgument},
			{"a malformed document hash", "query:LookupDocument", []string{"abc"}, warrant.CodeInvalidArgument},
			{"an unknown root", "query:RootSummary", []string{"W000000000000000000000000"}, warrant.CodeNotFound},
			{"a part instead of a root", "query:RootSummary", []string{w.ID + ".001"}, warrant.CodeNotFound},
			{"an unknown enterprise", "query:GetEnterprise", []string{codeT1B}, warrant.CodeNotFound},
			{"a malformed credit code", "query:GetEnterprise", []string{"91441900131860916C"}, warrant.CodeInvalidArgument},
			{"an unknown application", "query:GetApplication", []string{"A000000000000000000000000"}, warrant.CodeNotFound},
			{"a function that does not exist", "query:ListEverything", nil, warrant.CodeNotFound},
		} {
			var out any
			require.Equal(t, c.want, code(t, l.evaluate(c.function, &out, c.args...)), c.name)
		}
		for _, unregistered := range [][]string{
			{"query:LookupInvoice", invoiceCode, hengda[5].Trade.Invoices[0].Number},
			{"query:LookupDocument", hash("nothing")},
			{"query:LookupRegistryNo", "DJ20260101-000000000000"},
		} {
			require.Equal(t, warrant.RegistryEntry{}, l.lookup(unregistered[0], unregistered[1:]...), unregistered[0])
		}
		require.Equal(t, entryOf(w), l.lookup("query:LookupInvoice", invoice.Code, invoice.Number))
		require.Equal(t, entryOf(w), l.lookup("query:LookupDocument", invoice.DocumentHash))
		require.Equal(t, entryOf(w), l.lookup("query:LookupRegistryNo", w.RegistryNo))
	})

	t.Run("Summaries, enterprises, credit lines and parameters", func(t *testing.T) {
		l := root.in(t)
		summary := l.summary(hengda[2].ID)
		require.Equal(t, warrant.RootSummary{RootID: hengda[2].ID, Debtor: codeCore, Face: 1_000, Outstanding: 1_000,
			MaturesAt: hengda[2].MaturesAt, AsOf: summary.AsOf}, summary)
		require.WithinDuration(t, time.Now(), summary.AsOf, time.Minute)
		var e warrant.Enterprise
		require.NoError(t, l.evaluate("query:GetEnterprise", &e, codeBank))
		require.Equal(t, "BankMSP", e.MSPID)
		var outstanding int64
		roots := map[string]bool{} // the debtor's list holds leaves; each names its root
		for _, w := range l.list("query:ListByDebtor", codeCore, "") {
			if !roots[w.RootID] {
				roots[w.RootID] = true
				if s := l.summary(w.RootID); !s.Cancelled {
					outstanding += s.Face
				}
			}
		}
		require.Equal(t, outstanding, l.creditLine().Used, "the line is used by the roots issued")
		var unset warrant.CreditLine
		require.NoError(t, l.evaluate("query:GetCreditLine", &unset, codeT1A))
		require.Equal(t, warrant.CreditLine{Debtor: codeT1A}, unset)
		var params warrant.Params
		require.NoError(t, l.evaluate("query:GetParams", &params))
		require.Equal(t, warrant.DefaultParams(), params)
	})
}
