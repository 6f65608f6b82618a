package contracts

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/cast"
)

// castIdentity is the fake client identity of a cast member.
func castIdentity(key string) fakeIdentity {
	e := cast.Get(key)
	return fakeIdentity{mspID: e.Org, attrs: map[string]string{warrant.AttrEntity: e.CreditCode, warrant.AttrRole: strings.Join(e.Roles, ",")}}
}

// onboardedStub is a fake stub with the cast onboarded and the core enterprise's credit line.
func onboardedStub(t *testing.T, at time.Time) *fakeStub {
	stub := newFakeStub()
	stub.timestamp = at
	st := stubState{stub}
	assoc := warrant.NewCaller(mspAssoc, cast.Get(cast.Association).CreditCode, "admin")
	_, _, err := warrant.InitLedger(st, warrant.NewTx("init", at), assoc, mspAssoc, warrant.InitLedgerRequest{Name: "association"})
	require.NoError(t, err)
	for _, m := range []warrant.RegisterMemberRequest{{MSPID: mspCore, Kind: warrant.KindCoreEnterprise, Name: "core"},
		{MSPID: mspBank, Kind: warrant.KindBank, Name: "bank"}} {
		_, _, err := warrant.RegisterMember(st, warrant.NewTx("member-"+m.MSPID, at), assoc, m)
		require.NoError(t, err)
	}
	for i, e := range cast.Enterprises() {
		_, _, err := warrant.OnboardEnterprise(st, warrant.NewTx("onboard-"+e.CreditCode, at), assoc, warrant.OnboardEnterpriseRequest{
			CreditCode: e.CreditCode, Name: e.Name, MSPID: e.Org, Roles: cast.Roles[warrant.Role](e), Controller: e.Controller})
		require.NoError(t, err, i)
	}
	bank := cast.Get(cast.Bank)
	_, _, err = warrant.SetCreditLine(st, warrant.NewTx("line", at), warrant.NewCaller(bank.Org, bank.CreditCode, "financier"),
		warrant.SetCreditLineRequest{Debtor: cast.Get(cast.Core).CreditCode, Limit: 1e12})
	require.NoError(t, err)
	return stub
}

// TestPrivateDataAdapter drives R17 through the adapters on a fake stub with private
// data and a transient map: Issue takes the trade documents from the transient map
// and writes them with PutPrivateData only, the warrant and the event keep no trade
// data, the public arguments cannot carry them, other functions refuse transient
// data, and the queries verify and read them.
func TestPrivateDataAdapter(t *testing.T) {
	at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	stub := onboardedStub(t, at)
	core, t1a, t2a := cast.Get(cast.Core).CreditCode, cast.Get(cast.T1A).CreditCode, cast.Get(cast.T2A).CreditCode
	sum := sha256.Sum256([]byte("contract"))
	invoice := warrant.Invoice{Code: cast.FirstTrade().Invoices[0].Code, Number: "30000001", Amount: 5_000_00,
		Seller: t1a, Buyer: core, DocumentHash: hex.EncodeToString(sum[:])}
	request := warrant.IssueRequest{Debtor: core, Holder: t1a, Amount: invoice.Amount, MaturesAt: at.AddDate(0, 0, 90),
		Trade: warrant.Trade{ContractHash: invoice.DocumentHash, Invoices: []warrant.Invoice{invoice}}}
	documents := warrant.TradeDocuments{Salt: strings.Repeat("a7", 16),
		Contract: warrant.TradeContract{Number: "HT-88", SignedAt: at.AddDate(0, -1, 0), Amount: invoice.Amount, Terms: "月结60天"},
		Invoices: []warrant.InvoiceDetail{{Code: invoice.Code, Number: invoice.Number, Lines: []warrant.LineItem{
			{Description: "高压电缆 10kV", Quantity: "2", Unit: "km", UnitPrice: 2_500_00, Amount: invoice.Amount}}}}}
	documentsJSON, err := json.Marshal(documents)
	require.NoError(t, err)
	args, err := json.Marshal(request)
	require.NoError(t, err)

	stub.private.transient = map[string][]byte{warrant.TransientTrade: documentsJSON}
	result, err := (&Issuance{}).Issue(fakeContext(stub, castIdentity(cast.Core)), string(args))
	require.NoError(t, err)
	var w warrant.Warrant
	require.NoError(t, json.Unmarshal([]byte(result), &w))
	require.Equal(t, warrant.HashTradeDocuments(documents), w.Trade.DocumentsHash)
	stored := stub.private.collections[warrant.TradeDocumentsCollection]
	require.Len(t, stored, 1, "one write to the trade documents collection")
	for key := range stored {
		hash, err := stub.GetPrivateDataHash(warrant.TradeDocumentsCollection, key)
		require.NoError(t, err)
		require.Equal(t, w.Trade.DocumentsHash, hex.EncodeToString(hash), "the block's private data hash is the ledger's hash")
	}
	for key, value := range stub.state {
		require.NotContains(t, string(value), "高压电缆", "line items in the public state (%q)", key)
	}
	require.NotContains(t, string(stub.payloads[len(stub.payloads)-1]), "高压电缆")

	t.Run("Other functions refuse transient data", func(t *testing.T) {
		stub.private.transient = map[string][]byte{warrant.TransientTrade: documentsJSON}
		defer func() { stub.private.transient = nil }()
		before := len(stub.state)
		_, err := (&Issuance{}).Cancel(fakeContext(stub, castIdentity(cast.Core)), `{"warrantId":"`+w.ID+`","reason":"x"}`)
		require.Equal(t, warrant.CodeInvalidArgument, decodedCode(t, err))
		require.Len(t, stub.state, before)
	})
	t.Run("The public arguments cannot carry documents", func(t *testing.T) {
		_, err := (&Issuance{}).Issue(fakeContext(stub, castIdentity(cast.Core)),
			strings.Replace(string(args), `"trade":`, `"documents":`+string(documentsJSON)+`,"trade":`, 1))
		require.Equal(t, warrant.CodeInvalidArgument, decodedCode(t, err))
	})
	t.Run("Anyone verifies the documents by hash, and learns only match or not", func(t *testing.T) {
		got, err := (&Query{}).VerifyTradeDocuments(fakeContext(stub, castIdentity(cast.T2A)), w.ID, string(documentsJSON))
		require.NoError(t, err)
		require.JSONEq(t, `{"match":true}`, got)
		tampered := strings.Replace(string(documentsJSON), `"unitPrice":250000`, `"unitPrice":250001`, 1)
		got, err = (&Query{}).VerifyTradeDocuments(fakeContext(stub, castIdentity(cast.T2A)), w.ID, tampered)
		require.NoError(t, err)
		require.JSONEq(t, `{"match":false}`, got)
	})
	t.Run("The parties read the documents, a supplier off the tree does not", func(t *testing.T) {
		got, err := (&Query{}).GetTradeDocuments(fakeContext(stub, castIdentity(cast.T1A)), w.ID)
		require.NoError(t, err)
		require.JSONEq(t, string(documentsJSON), got)
		_, err = (&Query{}).GetTradeDocuments(fakeContext(stub, castIdentity(cast.T2A)), w.ID)
		require.Equal(t, warrant.CodeForbidden, decodedCode(t, err), "%s is not a party", t2a)
	})
	t.Run("A peer outside the collection answers with an error, never the documents", func(t *testing.T) {
		stub.private.readable = []string{}
		defer func() { stub.private.readable = nil }()
		_, err := (&Query{}).GetTradeDocuments(fakeContext(stub, castIdentity(cast.T1A)), w.ID)
		require.Equal(t, warrant.CodeInternal, decodedCode(t, err))
	})
	t.Run("A bank records its terms in its implicit collection and nothing public", func(t *testing.T) {
		terms, err := json.Marshal(warrant.FinancingTerms{Salt: strings.Repeat("3c", 16), LoanAmount: 4_000_00, RateBP: 385, Fees: 1_000})
		require.NoError(t, err)
		stub.private.transient = map[string][]byte{warrant.TransientTerms: terms}
		defer func() { stub.private.transient = nil }()
		before := len(stub.state)
		result, err := (&Finance{}).RecordFinancingTerms(fakeContext(stub, castIdentity(cast.Bank)), `{}`)
		require.NoError(t, err)
		var record warrant.TermsRecord
		require.NoError(t, json.Unmarshal([]byte(result), &record))
		require.Len(t, stub.state, before, "no public write")
		collection := warrant.ImplicitCollection(cast.Get(cast.Bank).Org)
		require.Len(t, stub.private.collections[collection], 1)
		for key := range stub.private.collections[collection] {
			hash, err := stubState{stub}.GetPrivateHash(collection, key)
			require.NoError(t, err)
			require.Equal(t, record.TermsHash, hex.EncodeToString(hash))
		}
		require.Equal(t, warrant.EventTermsRecorded, stub.events[len(stub.events)-1])
		_, err = (&Finance{}).RecordFinancingTerms(fakeContext(stub, castIdentity(cast.T1A)), `{}`)
		require.Equal(t, warrant.CodeForbidden, decodedCode(t, err), "a supplier records no bank terms")
	})
}
