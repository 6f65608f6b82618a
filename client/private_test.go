package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/test/testnet"
)

// TestPrivateDataOnTheDevNetwork runs R17 end to end on the dev network with the
// chaincode's collections: the core enterprise issues with trade documents in the
// transient map, the parties read them, a supplier off the tree cannot and any member
// holding them verifies them by hash; the bank records its financing terms endorsed by
// its own org alone, pledges naming their hash, reads them back, and nobody else can.
func TestPrivateDataOnTheDevNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a dev network")
	}
	net := testnet.Start(t)
	ctx := context.Background()
	core, bank := net.Connect(t, testnet.AsCore), net.Connect(t, testnet.AsBank)
	jinggong, shengtong := net.Connect(t, testnet.AsJinggong), net.Connect(t, testnet.AsShengtong)

	request := net.IssueRequest(testnet.Jinggong, 80_000_00)
	inv := request.Trade.Invoices[0]
	documents := warrant.TradeDocuments{Salt: strings.Repeat("c1", 16),
		Contract: warrant.TradeContract{Number: "HX-HT-2026-77", SignedAt: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
			Amount: inv.Amount, Terms: "到厂验收后 60 天付款"},
		Invoices: []warrant.InvoiceDetail{{Code: inv.Code, Number: inv.Number, Lines: []warrant.LineItem{
			{Description: "交联聚乙烯电缆 YJV22", Quantity: "4", Unit: "km", UnitPrice: inv.Amount / 4, Amount: inv.Amount}}}}}
	request.Documents = &documents
	issued, err := core.Issue(ctx, request)
	require.NoError(t, err)
	require.Equal(t, warrant.HashTradeDocuments(documents), issued.Trade.DocumentsHash)

	t.Run("The parties read the trade documents, a supplier off the tree does not", func(t *testing.T) {
		for _, party := range []*client.Client{core, jinggong, net.Connect(t, testnet.AsAssociation)} {
			got, err := party.GetTradeDocuments(ctx, issued.ID)
			require.NoError(t, err)
			require.Equal(t, documents, *got)
		}
		_, err := shengtong.GetTradeDocuments(ctx, issued.ID)
		require.Equal(t, warrant.CodeForbidden, client.Code(err))
	})
	t.Run("Anyone holding the documents verifies them by hash", func(t *testing.T) {
		verdict, err := shengtong.VerifyTradeDocuments(ctx, issued.ID, documents)
		require.NoError(t, err)
		require.True(t, verdict.Match)
		forged := documents
		forged.Salt = strings.Repeat("00", 16)
		verdict, err = shengtong.VerifyTradeDocuments(ctx, issued.ID, forged)
		require.NoError(t, err)
		require.False(t, verdict.Match)
	})

	t.Run("The bank records its terms alone and pledges naming their hash", func(t *testing.T) {
		w := net.ActiveWarrant(t, testnet.Jinggong, 50_000_00)
		_, err := jinggong.RequestFinancing(ctx, warrant.FinancingRequest{WarrantID: w.ID, Financier: testnet.Bank})
		require.NoError(t, err)
		terms := warrant.FinancingTerms{Salt: strings.Repeat("b7", 16), LoanAmount: 45_000_00, RateBP: 365, Fees: 500_00}
		record, err := bank.RecordFinancingTerms(ctx, terms)
		require.NoError(t, err)
		pledged, err := bank.Pledge(ctx, warrant.PledgeRequest{WarrantID: w.ID, Amount: 45_000_00, TermsHash: record.TermsHash})
		require.NoError(t, err)
		require.Equal(t, record.TermsHash, pledged.Pledge.TermsHash)

		got, err := bank.GetFinancingTerms(ctx, w.ID)
		require.NoError(t, err)
		require.Equal(t, terms, *got)
		for _, other := range []*client.Client{jinggong, core, shengtong} {
			_, err := other.GetFinancingTerms(ctx, w.ID)
			require.Equal(t, warrant.CodeForbidden, client.Code(err))
		}
		verdict, err := jinggong.VerifyFinancingTerms(ctx, w.ID, terms)
		require.NoError(t, err)
		require.True(t, verdict.Match, "the borrower holding the term sheet verifies it")

		_, err = bank.Pledge(ctx, warrant.PledgeRequest{WarrantID: net.ActiveWarrant(t, testnet.Jinggong, 1_000).ID,
			Amount: 1_000, TermsHash: testnet.Hash("never recorded")})
		require.Error(t, err, "terms never recorded")
	})
}
