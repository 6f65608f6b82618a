package warrant

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// memPrivate is a member peer's private data: the private writes of committed
// operations, by collection and key.
type memPrivate map[string]map[string][]byte

func (m memPrivate) apply(writes []PrivateWrite) {
	for _, w := range writes {
		if m[w.Collection] == nil {
			m[w.Collection] = map[string][]byte{}
		}
		m[w.Collection][w.Key] = w.Value
	}
}

func (m memPrivate) GetPrivate(collection, key string) ([]byte, error) {
	return m[collection][key], nil
}

const testSalt = "5f1c0e7a9b3d4c2e8f6a1b0c9d8e7f6a"

// documentsFor returns trade documents matching a trade: one line per invoice.
func documentsFor(t Trade) *TradeDocuments {
	d := &TradeDocuments{Salt: testSalt, Contract: TradeContract{Number: "HT-2026-0117", SignedAt: t0.AddDate(0, -1, 0),
		Amount: 0, Terms: "交货：到厂验收\n付款：票据到期"}}
	for _, inv := range t.Invoices {
		d.Contract.Amount += inv.Amount
		d.Invoices = append(d.Invoices, InvoiceDetail{Code: inv.Code, Number: inv.Number, Lines: []LineItem{
			{Description: "铜芯电缆 YJV-3x95", Quantity: "1.5", Unit: "km", UnitPrice: inv.Amount * 2 / 3, Amount: inv.Amount}}})
	}
	return d
}

func financingTerms() *FinancingTerms {
	return &FinancingTerms{Salt: testSalt + "00", LoanAmount: 800, RateBP: 385, Fees: 12, Note: "年化 3.85%"}
}

// TestTradeDocuments checks R17 for trade details: they arrive in the transient map,
// go to the trade documents collection only, and the warrant keeps their salted hash;
// anyone holding the documents can verify them, only the tree's parties read them.
func TestTradeDocuments(t *testing.T) {
	t.Run("Issue stores the documents privately and keeps their hash", func(t *testing.T) {
		e := newEnv(t)
		req := e.issueReq(codeT1A, 1000)
		req.Documents = documentsFor(req.Trade)
		w, eff, err := Issue(e.st, e.tx(), e.as(codeCore), req)
		require.NoError(t, err)
		require.Equal(t, HashTradeDocuments(*req.Documents), w.Trade.DocumentsHash)
		require.Len(t, eff.PrivateWrites, 1)
		write := eff.PrivateWrites[0]
		require.Equal(t, TradeDocumentsCollection, write.Collection)
		require.Equal(t, w.Trade.DocumentsHash, hashHex(write.Value), "Fabric's private data hash equals the ledger's")
		for _, kv := range e.st.Snapshot() {
			require.NotContains(t, string(kv.Value), "铜芯电缆", "line items on the public state (%s)", kv.Key)
			require.NotContains(t, string(kv.Value), testSalt, "salt on the public state (%s)", kv.Key)
		}
		require.NotContains(t, string(eff.Event.Payload), w.Trade.DocumentsHash)
	})
	t.Run("Apply and confirm carry the documents' hash to the warrant", func(t *testing.T) {
		e := newEnv(t)
		trade := e.trade(codeT1A, 700)
		docs := documentsFor(trade)
		a, eff, err := Apply(e.st, e.tx(), e.as(codeT1A), ApplyRequest{Debtor: codeCore, Amount: 700,
			MaturesAt: e.now.AddDate(0, 0, 60), Trade: trade, Documents: docs})
		require.NoError(t, err)
		require.Len(t, eff.PrivateWrites, 1)
		w, eff, err := ConfirmApplication(e.st, e.tx(), e.as(codeCore), ApplicationDecisionRequest{ApplicationID: a.ID})
		require.NoError(t, err)
		require.Empty(t, eff.PrivateWrites, "stored once, at the application")
		require.Equal(t, HashTradeDocuments(*docs), w.Trade.DocumentsHash)
		got, err := VerifyTradeDocuments(e.st, w.ID, *docs)
		require.NoError(t, err)
		require.True(t, got.Match)
	})
	bad := []struct {
		name string
		want Code
		edit func(r *IssueRequest)
	}{
		{"a documents hash sent by the client", CodeInvalidArgument, func(r *IssueRequest) { r.Trade.DocumentsHash = hashOf("claimed") }},
		{"a short salt", CodeInvalidArgument, func(r *IssueRequest) { r.Documents.Salt = "00ff" }},
		{"a salt that is not hex", CodeInvalidArgument, func(r *IssueRequest) { r.Documents.Salt = strings.Repeat("z", 32) }},
		{"lines not adding up to the invoice", CodeInvalidArgument, func(r *IssueRequest) { r.Documents.Invoices[0].Lines[0].Amount-- }},
		{"an invoice detail of another invoice", CodeInvalidArgument, func(r *IssueRequest) { r.Documents.Invoices[0].Number = "99999999" }},
		{"a missing invoice detail", CodeInvalidArgument, func(r *IssueRequest) { r.Documents.Invoices = nil }},
		{"a negative unit price", CodeInvalidArgument, func(r *IssueRequest) { r.Documents.Invoices[0].Lines[0].UnitPrice = -1 }},
		{"a quantity that is not a decimal", CodeInvalidArgument, func(r *IssueRequest) { r.Documents.Invoices[0].Lines[0].Quantity = "1e3" }},
		{"no contract number", CodeInvalidArgument, func(r *IssueRequest) { r.Documents.Contract.Number = "" }},
		{"a NUL in the terms", CodeInvalidArgument, func(r *IssueRequest) { r.Documents.Contract.Terms = "a\x00b" }},
	}
	for _, c := range bad {
		t.Run("Refuses "+c.name+" and changes nothing", func(t *testing.T) {
			e := newEnv(t)
			req := e.issueReq(codeT1A, 1000)
			req.Documents = documentsFor(req.Trade)
			c.edit(&req)
			e.rejects(c.want, func(e *env) error {
				_, eff, err := Issue(e.st, e.tx(), e.as(codeCore), req)
				require.Empty(t, eff.PrivateWrites, "no private write from a rejected call")
				return err
			})
		})
	}
	t.Run("Only the tree's parties and the association read the documents (R20)", func(t *testing.T) {
		e := newEnv(t)
		private := memPrivate{}
		req := e.issueReq(codeT1A, 1000)
		req.Documents = documentsFor(req.Trade)
		w, eff, err := Issue(e.st, e.tx(), e.as(codeCore), req)
		require.NoError(t, err)
		private.apply(eff.PrivateWrites)
		for _, reader := range []Caller{e.as(codeT1A), e.as(codeCore), regulator} {
			got, err := GetTradeDocuments(e.st, private, reader, w.ID)
			require.NoError(t, err)
			require.Equal(t, *req.Documents, *got)
		}
		_, err = GetTradeDocuments(e.st, private, e.as(codeT2A), w.ID)
		require.Equal(t, CodeForbidden, ErrorCode(err), "a supplier off the tree")
		_, err = GetTradeDocuments(e.st, memPrivate{}, e.as(codeT1A), w.ID)
		require.Equal(t, CodeNotFound, ErrorCode(err), "a peer without the collection")
		plain := e.issue(codeT1A, 500)
		_, err = GetTradeDocuments(e.st, private, e.as(codeT1A), plain.ID)
		require.Equal(t, CodeNotFound, ErrorCode(err), "a trade without documents")
	})
	t.Run("Takes the documents from the transient key trade only, strictly", func(t *testing.T) {
		e := newEnv(t)
		docs, err := json.Marshal(documentsFor(e.trade(codeT1A, 100)))
		require.NoError(t, err)
		var req IssueRequest
		require.NoError(t, req.TakeTransient(map[string][]byte{TransientTrade: docs}))
		require.NotNil(t, req.Documents)
		require.Equal(t, CodeInvalidArgument, ErrorCode(req.TakeTransient(map[string][]byte{"terms": docs})))
		require.Equal(t, CodeInvalidArgument, ErrorCode(req.TakeTransient(map[string][]byte{TransientTrade: []byte(`{"salt":"x","extra":1}`)})))
		require.NoError(t, req.TakeTransient(nil))
		require.Nil(t, req.Documents)
		_, err = DecodeRequest[IssueRequest]([]byte(`{"documents":{}}`))
		require.Equal(t, CodeInvalidArgument, ErrorCode(err), "documents never travel in the public arguments")
	})
}

// TestVerifyTradeDocuments checks the 验真 query of R17: match only for the exact
// documents, salt included, of the warrant's root; nothing else is told.
func TestVerifyTradeDocuments(t *testing.T) {
	e := newEnv(t)
	req := e.issueReq(codeT1A, 1000)
	req.Documents = documentsFor(req.Trade)
	root, _, err := Issue(e.st, e.tx(), e.as(codeCore), req)
	require.NoError(t, err)
	e.verify(root.ID)
	_, _, err = Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: root.ID})
	require.NoError(t, err)
	split := e.split(codeT1A, root.ID, Part{Recipient: codeT2A, Amount: 400})
	docs := *req.Documents
	changed := func(edit func(d *TradeDocuments)) TradeDocuments {
		d := docs
		d.Invoices = append([]InvoiceDetail(nil), docs.Invoices...)
		d.Invoices[0].Lines = append([]LineItem(nil), docs.Invoices[0].Lines...)
		edit(&d)
		return d
	}
	cases := []struct {
		name      string
		warrantID string
		documents TradeDocuments
		match     bool
	}{
		{"the documents of the root", root.ID, docs, true},
		{"the documents, asked of a split part", split.Children[0].ID, docs, true},
		{"another salt", root.ID, changed(func(d *TradeDocuments) { d.Salt = strings.Repeat("0", 32) }), false},
		{"another price", root.ID, changed(func(d *TradeDocuments) { d.Invoices[0].Lines[0].UnitPrice++ }), false},
		{"other terms", root.ID, changed(func(d *TradeDocuments) { d.Contract.Terms += " " }), false},
		{"an unknown warrant", "W" + strings.Repeat("0", 24), docs, false},
		{"a warrant without documents", e.issue(codeT1A, 300).ID, docs, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := VerifyTradeDocuments(e.st, c.warrantID, c.documents)
			require.NoError(t, err)
			require.Equal(t, VerifyResult{Match: c.match}, *got)
		})
	}
	_, err = VerifyTradeDocuments(e.st, "not an id", docs)
	require.Equal(t, CodeInvalidArgument, ErrorCode(err))
}

// TestFinancingTerms checks R17 for a bank's terms: the bank records them in its
// implicit collection in a transaction of their own (no public write, so its org alone
// endorses); the pledge or factored part names their hash, which the chaincode checks
// against the collection's hash; only that bank reads them and anyone holding them can
// verify them.
func TestFinancingTerms(t *testing.T) {
	financed := func(t *testing.T) (*env, *Warrant, string, *FinancingTerms) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
		require.NoError(t, err)
		terms := financingTerms()
		before := e.st.Snapshot()
		rec, eff, err := RecordFinancingTerms(e.st, e.tx(), e.as(codeBank), RecordTermsRequest{Terms: terms})
		require.NoError(t, err)
		requireSameState(t, before, e.st.Snapshot())
		require.Equal(t, HashFinancingTerms(*terms), rec.TermsHash)
		require.Len(t, eff.PrivateWrites, 1)
		require.Equal(t, "_implicit_org_"+MSPBank, eff.PrivateWrites[0].Collection)
		require.Equal(t, EventPayload{TxID: eventPayload(t, eff.Event).TxID, Time: e.now}, eventPayload(t, eff.Event))
		e.st.PutPrivate(eff.PrivateWrites[0])
		return e, w, rec.TermsHash, terms
	}
	t.Run("A pledge names the recorded terms; only the bank reads them, anyone holding them verifies", func(t *testing.T) {
		e, w, hash, terms := financed(t)
		pledged, _, err := TakePledge(e.st, e.tx(), e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 900, TermsHash: hash})
		require.NoError(t, err)
		require.Equal(t, hash, pledged.Pledge.TermsHash)
		got, err := GetFinancingTerms(e.st, e.st, e.as(codeBank), w.ID)
		require.NoError(t, err)
		require.Equal(t, *terms, *got)
		for _, other := range []Caller{e.as(codeT1A), e.as(codeCore), regulator, e.as(codeT2A)} {
			_, err := GetFinancingTerms(e.st, e.st, other, w.ID)
			require.Equal(t, CodeForbidden, ErrorCode(err), "%s reads the bank's terms", other.Entity)
		}
		match, err := VerifyFinancingTerms(e.st, w.ID, *terms)
		require.NoError(t, err)
		require.True(t, match.Match, "the borrower holding the term sheet verifies it")
		other := *terms
		other.RateBP++
		match, err = VerifyFinancingTerms(e.st, w.ID, other)
		require.NoError(t, err)
		require.False(t, match.Match)
		for _, kv := range e.st.Snapshot() {
			require.NotContains(t, string(kv.Value), terms.Salt, "terms on the public state (%s)", kv.Key)
		}
	})
	t.Run("Factoring keeps the terms' hash on the bank's part", func(t *testing.T) {
		e, w, hash, terms := financed(t)
		res, _, err := Factor(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: w.ID, TermsHash: hash})
		require.NoError(t, err)
		part := res.Children[0]
		require.Equal(t, hash, part.TermsHash)
		got, err := GetFinancingTerms(e.st, e.st, e.as(codeBank), part.ID)
		require.NoError(t, err)
		require.Equal(t, *terms, *got)
	})
	t.Run("Refuses a pledge naming terms the bank never recorded, and changes nothing", func(t *testing.T) {
		e, w, _, _ := financed(t)
		for _, hash := range []string{hashOf("never recorded"), "not a hash"} {
			want := CodeNotFound
			if hash == "not a hash" {
				want = CodeInvalidArgument
			}
			e.rejects(want, func(e *env) error {
				_, _, err := TakePledge(e.st, e.tx(), e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 900, TermsHash: hash})
				return err
			})
		}
	})
	t.Run("Terms recorded in another org's collection do not count", func(t *testing.T) {
		e, w, _, _ := financed(t)
		elsewhere := financingTerms()
		elsewhere.Fees = 99
		rec, eff, err := RecordFinancingTerms(e.st, e.tx(), e.as(codeBank), RecordTermsRequest{Terms: elsewhere})
		require.NoError(t, err)
		write := eff.PrivateWrites[0]
		write.Collection = ImplicitCollection(MSPCoreEnterprise)
		e.st.PutPrivate(write)
		e.rejects(CodeNotFound, func(e *env) error {
			_, _, err := Factor(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: w.ID, TermsHash: rec.TermsHash})
			return err
		})
	})
	bad := []struct {
		name string
		edit func(t *FinancingTerms)
	}{
		{"a short salt", func(t *FinancingTerms) { t.Salt = "abcd" }},
		{"no loan", func(t *FinancingTerms) { t.LoanAmount = 0 }},
		{"a rate over 100%", func(t *FinancingTerms) { t.RateBP = 10_001 }},
		{"negative fees", func(t *FinancingTerms) { t.Fees = -1 }},
	}
	for _, c := range bad {
		t.Run("Refuses terms with "+c.name, func(t *testing.T) {
			e := newEnv(t)
			terms := financingTerms()
			c.edit(terms)
			e.rejects(CodeInvalidArgument, func(e *env) error {
				_, eff, err := RecordFinancingTerms(e.st, e.tx(), e.as(codeBank), RecordTermsRequest{Terms: terms})
				require.Empty(t, eff.PrivateWrites)
				return err
			})
		})
	}
	t.Run("Only a financier records terms, and only with terms", func(t *testing.T) {
		e := newEnv(t)
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := RecordFinancingTerms(e.st, e.tx(), e.as(codeT1A), RecordTermsRequest{Terms: financingTerms()})
			return err
		})
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := RecordFinancingTerms(e.st, e.tx(), e.as(codeBank), RecordTermsRequest{})
			return err
		})
	})
	t.Run("Releasing a pledge takes no terms", func(t *testing.T) {
		e, w, hash, _ := financed(t)
		_, _, err := TakePledge(e.st, e.tx(), e.as(codeBank), PledgeRequest{WarrantID: w.ID, Amount: 900})
		require.NoError(t, err)
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := ReleasePledge(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: w.ID, TermsHash: hash})
			return err
		})
	})
}
