package test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/chaincode/warrant"
	scfclient "github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/test/testnet"
)

// TestRealFabricPrivateData runs R17 on the native real Fabric network, whose
// deploy passes chaincode/collections_config.json to `peer lifecycle chaincode
// approveformyorg/commit --collections-config`: the core enterprise issues a
// warrant with its trade documents in the transient map; the parties read them
// back from the tradeDocuments collection while a supplier off the warrant's tree
// is refused; anyone holding the documents checks them by hash, and altered ones
// fail the check; the block carries the documents' hash and none of their text,
// and full blocks go only to the identities each org designates (configtx.yaml's
// BlockReaders ACLs on real Fabric).
// The bank's financing terms go to its implicit collection, which only the bank
// reads.
func TestRealFabricPrivateData(t *testing.T) {
	requireFabricBin(t)
	native := startNative(t)
	testnet.Onboard(t, native.dir)
	ctx := context.Background()
	as := func(who string) *scfclient.Client { return testnet.ConnectIn(t, native.dir, who) }
	core, bank, assoc := as(testnet.AsCore), as(testnet.AsBank), as(testnet.AsAssociation)
	jinggong, supplier := as(testnet.AsJinggong), as(testnet.AsYongsheng)

	const amount = 120_000_00
	documents := warrant.TradeDocuments{Salt: testnet.Hash("real fabric salt")[:32],
		Contract: warrant.TradeContract{Number: "HX-RF-0001", SignedAt: testnet.InDays(-20), Amount: amount, Terms: "Payment after acceptance of the goods"},
		Invoices: []warrant.InvoiceDetail{{Code: "4403261130", Number: "97000001", Lines: []warrant.LineItem{
			{Description: "Aluminium profiles", Quantity: "10", Unit: "t", UnitPrice: 1_200_000, Amount: amount}}}}}
	issue := warrant.IssueRequest{Debtor: testnet.Core, Holder: testnet.Jinggong, Amount: amount, MaturesAt: testnet.InDays(90),
		Trade: testnet.TradeOf("97000001", testnet.Jinggong, amount), Documents: &documents}
	issued, err := core.Issue(ctx, issue)
	require.NoError(t, err)
	for _, a := range []struct {
		who  string
		kind warrant.AttestationKind
	}{{testnet.AsInvoiceCheck, warrant.AttestTaxInvoice}, {testnet.AsCore, warrant.AttestGoodsReceipt}} {
		_, err := eventuallyOK(t, func() (*warrant.Warrant, error) {
			return as(a.who).Attest(ctx, warrant.AttestRequest{WarrantID: issued.ID, Kind: a.kind, Passed: true,
				ConfirmedAmount: amount, EvidenceHash: testnet.Hash(string(a.kind))})
		})
		require.NoError(t, err)
	}
	_, err = eventuallyOK(t, func() (*warrant.Warrant, error) {
		return assoc.Verify(ctx, warrant.VerifyRequest{WarrantID: issued.ID, EvidenceHash: testnet.Hash("evidence"), Passed: true})
	})
	require.NoError(t, err)
	root, err := assoc.Register(ctx, warrant.RegisterRequest{WarrantID: issued.ID})
	require.NoError(t, err)

	t.Run("The parties read the trade documents from the collection", func(t *testing.T) {
		for _, reader := range []*scfclient.Client{core, jinggong, assoc} {
			read, err := eventuallyOK(t, func() (*warrant.TradeDocuments, error) { return reader.GetTradeDocuments(ctx, root.ID) })
			require.NoError(t, err)
			require.Equal(t, documents, *read)
		}
	})
	t.Run("A supplier off the warrant's tree is refused the documents", func(t *testing.T) {
		_, err := supplier.GetTradeDocuments(ctx, root.ID)
		require.Equal(t, warrant.CodeForbidden, scfclient.Code(err), "%v", err)
	})
	t.Run("Anyone holding the documents checks them by hash; altered ones fail", func(t *testing.T) {
		verdict, err := supplier.VerifyTradeDocuments(ctx, root.ID, documents)
		require.NoError(t, err)
		require.True(t, verdict.Match)
		altered := documents
		altered.Contract.Amount++
		verdict, err = supplier.VerifyTradeDocuments(ctx, root.ID, altered)
		require.NoError(t, err)
		require.False(t, verdict.Match)
	})
	t.Run("The block holds the documents' hash, not their text", func(t *testing.T) {
		block, err := proto.Marshal(issueBlock(t, native, issued))
		require.NoError(t, err)
		require.NotContains(t, string(block), documents.Contract.Terms)
		require.NotContains(t, string(block), documents.Invoices[0].Lines[0].Description)
		require.Contains(t, string(block), issued.Trade.DocumentsHash, "the warrant keeps the documents' hash")
	})

	t.Run("Full blocks and qscc's blocks go to the identities each org designates, never to a supplier", func(t *testing.T) {
		requireBlockReaders(t, native.access(t), "warrants", issueBlock(t, native, issued).GetHeader().GetNumber())
	})

	t.Run("The bank's financing terms go to its implicit collection, read by the bank only", func(t *testing.T) {
		_, err := eventuallyOK(t, func() (*warrant.Warrant, error) {
			return jinggong.RequestFinancing(ctx, warrant.FinancingRequest{WarrantID: root.ID, Financier: testnet.Bank})
		})
		require.NoError(t, err)
		terms := warrant.FinancingTerms{Salt: testnet.Hash("real fabric terms")[:32], LoanAmount: 90_000_00, RateBP: 385, Fees: 200_00}
		record, err := bank.RecordFinancingTerms(ctx, terms)
		require.NoError(t, err)
		_, err = eventuallyOK(t, func() (*warrant.Warrant, error) {
			return bank.Pledge(ctx, warrant.PledgeRequest{WarrantID: root.ID, Amount: 100_000_00, TermsHash: record.TermsHash})
		})
		require.NoError(t, err)
		read, err := eventuallyOK(t, func() (*warrant.FinancingTerms, error) { return bank.GetFinancingTerms(ctx, root.ID) })
		require.NoError(t, err)
		require.Equal(t, terms, *read)
		for _, other := range []*scfclient.Client{core, jinggong, assoc} {
			_, err := other.GetFinancingTerms(ctx, root.ID)
			require.Equal(t, warrant.CodeForbidden, scfclient.Code(err), "%v", err)
		}
	})
}

// eventuallyOK retries call, for at most 30 seconds, while it fails: a client's
// peer may not have committed the block of the previous step yet.
func eventuallyOK[T any](t *testing.T, call func() (T, error)) (T, error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		result, err := call()
		if err == nil || time.Now().After(deadline) {
			return result, err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// issueBlock reads, as the association's ERP (a designated block reader), the
// full block that holds the issue of w.
func issueBlock(t *testing.T, native *nativeNetwork, w *warrant.Warrant) *common.Block {
	t.Helper()
	gw, closer, err := native.dial(assocERP)
	require.NoError(t, err)
	defer func(c io.Closer) { _ = c.Close() }(closer)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	blocks, err := gw.GetNetwork("warrants").BlockEvents(ctx, client.WithStartBlock(0))
	require.NoError(t, err)
	for block := range blocks {
		data, err := proto.Marshal(block)
		require.NoError(t, err)
		if bytes.Contains(data, []byte(w.ID)) {
			return block
		}
	}
	t.Fatalf("no block holds warrant %s", w.ID)
	return nil
}

// access is peerAccess on the native network: the gateway of dial and its
// connection to the org's peer.
func (n *nativeNetwork) access(t *testing.T) peerAccess {
	return func(id identity) (*client.Gateway, grpc.ClientConnInterface, io.Closer) {
		gw, closer, err := n.dial(id)
		require.NoError(t, err)
		parts, ok := closer.(closers)
		require.True(t, ok && len(parts) == 2, "dialProfile closes the gateway and its connection")
		conn, ok := parts[1].(*grpc.ClientConn)
		require.True(t, ok)
		return gw, conn, closer
	}
}
