package test

import (
	"context"
	"encoding/json"
	"io"
	"strconv"
	"testing"
	"time"

	fabric "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/test/testnet"
)

// TestNeedToKnowEveryPath checks R15, R17 and R20 together on the dev network: a
// supplier identity gets nothing of another enterprise's business through the
// chaincode's queries, its events or the ledger's blocks (the channel's
// BlockReaders ACLs on full-block Deliver and qscc), while the parties, the banks
// involved and the association get what they need, and the debtor receives its
// notice of assignment (event, then query).
func TestNeedToKnowEveryPath(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a dev network")
	}
	net := testnet.Start(t)
	ctx := context.Background()
	start := net.Height()
	core, bank, assoc := net.Connect(t, testnet.AsCore), net.Connect(t, testnet.AsBank), net.Connect(t, testnet.AsAssociation)
	jinggong, hengda := net.Connect(t, testnet.AsJinggong), net.Connect(t, testnet.AsHengda)
	supplier := net.Connect(t, testnet.AsYongsheng) // enrolled and onboarded, but on no tree below

	// Jinggong's warrant on Huaxin, issued with its trade documents as private data:
	// split to Hengda, who asks the bank, which pledges on terms kept in its collection.
	issue := net.IssueRequest(testnet.Jinggong, 90_000_00)
	inv := issue.Trade.Invoices[0]
	issue.Documents = &warrant.TradeDocuments{Salt: testnet.Hash("salt")[:32],
		Contract: warrant.TradeContract{Number: "HX-2026-118", SignedAt: testnet.InDays(-30), Amount: inv.Amount, Terms: "货到验收后付款"},
		Invoices: []warrant.InvoiceDetail{{Code: inv.Code, Number: inv.Number, Lines: []warrant.LineItem{
			{Description: "铝合金型材", Quantity: "12.5", Unit: "t", UnitPrice: 720_000, Amount: inv.Amount}}}}}
	issued, err := core.Issue(ctx, issue)
	require.NoError(t, err)
	net.Attest(t, issued)
	_, err = assoc.Verify(ctx, warrant.VerifyRequest{WarrantID: issued.ID, EvidenceHash: testnet.Hash("evidence"), Passed: true})
	require.NoError(t, err)
	root, err := assoc.Register(ctx, warrant.RegisterRequest{WarrantID: issued.ID})
	require.NoError(t, err)
	split, err := jinggong.SplitTransfer(ctx, warrant.SplitTransferRequest{WarrantID: root.ID,
		Parts: []warrant.Part{{Recipient: testnet.Hengda, Amount: 30_000_00}}})
	require.NoError(t, err)
	part := split.Children[0]
	_, err = hengda.Accept(ctx, warrant.OfferRequest{WarrantID: part.ID})
	require.NoError(t, err)
	_, err = hengda.RequestFinancing(ctx, warrant.FinancingRequest{WarrantID: part.ID, Financier: testnet.Bank})
	require.NoError(t, err)
	terms, err := bank.RecordFinancingTerms(ctx, warrant.FinancingTerms{Salt: testnet.Hash("terms")[:32], LoanAmount: 24_000_00, RateBP: 420, Fees: 300_00})
	require.NoError(t, err)
	_, err = bank.Pledge(ctx, warrant.PledgeRequest{WarrantID: part.ID, Amount: 25_000_00, TermsHash: terms.TermsHash})
	require.NoError(t, err)
	application, err := jinggong.Apply(ctx, warrant.ApplyRequest{Debtor: testnet.Core, Amount: 7_000_00,
		MaturesAt: testnet.InDays(60), Trade: net.Trade(testnet.Jinggong, 7_000_00)})
	require.NoError(t, err)
	end := net.Height()
	// One more transaction, so that the event stream shows where the story ends.
	_, err = bank.SetCreditLine(ctx, warrant.SetCreditLineRequest{Debtor: testnet.Core, Limit: testnet.CreditLimit})
	require.NoError(t, err)

	type read struct {
		name    string
		call    func(c *client.Client) error
		readers []*client.Client // who needs to know
	}
	ignore := func(_ any, err error) error { return err }
	reads := []read{
		{"GetWarrant", func(c *client.Client) error { return ignore(c.GetWarrant(ctx, part.ID)) }, []*client.Client{core, jinggong, hengda, bank, assoc}},
		{"History", func(c *client.Client) error { return ignore(c.History(ctx, root.ID)) }, []*client.Client{core, jinggong, hengda, assoc}},
		{"Lineage", func(c *client.Client) error { return ignore(c.FullLineage(ctx, root.ID)) }, []*client.Client{core, jinggong, hengda, bank, assoc}},
		{"RootSummary", func(c *client.Client) error { return ignore(c.RootSummary(ctx, root.ID)) }, []*client.Client{core, jinggong, assoc}},
		{"PendingSettlements", func(c *client.Client) error {
			return ignore(c.PendingSettlements(ctx, warrant.PendingSettlementsRequest{RootID: root.ID, AsOf: time.Now().UTC()}))
		}, []*client.Client{core, assoc}},
		{"Export", func(c *client.Client) error { return ignore(c.Export(ctx, root.ID)) }, []*client.Client{core, assoc}},
		{"ListByHolder", func(c *client.Client) error {
			return ignore(c.ListByHolder(ctx, warrant.ListRequest{Party: testnet.Jinggong}))
		}, []*client.Client{jinggong, assoc}},
		{"ListByDebtor", func(c *client.Client) error {
			return ignore(c.ListByDebtor(ctx, warrant.ListRequest{Party: testnet.Core}))
		}, []*client.Client{core, assoc}},
		{"GetCreditLine", func(c *client.Client) error { return ignore(c.GetCreditLine(ctx, testnet.Core)) }, []*client.Client{core, bank, assoc}},
		{"GetApplication", func(c *client.Client) error { return ignore(c.GetApplication(ctx, application.ID)) }, []*client.Client{core, jinggong, assoc}},
		{"RelatedParties", func(c *client.Client) error { return ignore(c.RelatedParties(ctx, testnet.Jinggong)) }, []*client.Client{jinggong, assoc}},
		{"GetTradeDocuments", func(c *client.Client) error { return ignore(c.GetTradeDocuments(ctx, part.ID)) }, []*client.Client{core, jinggong, hengda, bank, assoc}},
		{"GetFinancingTerms", func(c *client.Client) error { return ignore(c.GetFinancingTerms(ctx, part.ID)) }, []*client.Client{bank}},
	}
	t.Run("Queries answer those who need to know, and refuse the supplier", func(t *testing.T) {
		for _, r := range reads {
			for i, reader := range r.readers {
				require.NoError(t, r.call(reader), "%s: reader %d", r.name, i)
			}
			require.Equal(t, warrant.CodeForbidden, client.Code(r.call(supplier)), "%s answers a supplier off the tree", r.name)
		}
		entry, err := supplier.GetEnterprise(ctx, testnet.Jinggong)
		require.NoError(t, err)
		require.Empty(t, entry.Controller, "the register entry, not the controller")
		public, err := supplier.LookupRegistryNo(ctx, root.RegistryNo)
		require.NoError(t, err)
		require.Equal(t, warrant.RegistryEntry{Registered: true, RegistryNo: root.RegistryNo, Status: warrant.StatusSplit,
			Amount: root.Amount, MaturesAt: root.MaturesAt}, *public, "the public registry entry only")
		verdict, err := supplier.VerifyTradeDocuments(ctx, root.ID, *issue.Documents)
		require.NoError(t, err)
		require.True(t, verdict.Match, "holding the documents, anyone checks them by hash (验真)")
		for _, other := range []*client.Client{hengda, core, assoc} {
			require.Equal(t, warrant.CodeForbidden, client.Code(ignore(other.GetFinancingTerms(ctx, part.ID))), "the bank's terms are the bank's")
		}
	})

	t.Run("Events tell the supplier no party, amount or term; the debtor gets its notice by query", func(t *testing.T) {
		events := supplierEvents(t, supplier, start, end)
		require.NotEmpty(t, events)
		others := []string{testnet.Core, testnet.Jinggong, testnet.Hengda, testnet.Bank}
		var notice *client.Event
		for i, e := range events {
			var fields map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(e.Raw, &fields), e.Name)
			for field := range fields {
				require.Contains(t, []string{"txId", "time", "warrantId", "rootId", "status", "registryNo", "parts", "subject"}, field, e.Name)
			}
			for _, code := range others {
				require.NotContains(t, string(e.Raw), code, "%s names an enterprise", e.Name)
			}
			details, err := supplier.Details(ctx, e)
			require.NoError(t, err)
			require.Nil(t, details, "%s: the supplier reads no details", e.Name)
			if e.Name == warrant.EventAccepted && e.Payload.WarrantID == part.ID {
				notice = &events[i]
			}
		}
		require.NotNil(t, notice, "the acceptance of the part is announced")
		details, err := core.Details(ctx, *notice)
		require.NoError(t, err)
		require.Equal(t, testnet.Hengda, details.Holder, "the debtor's notice of assignment names the new holder")
	})

	t.Run("Full blocks and qscc's blocks go to the identities each org designates, never to a supplier", func(t *testing.T) {
		// The story's last block: Jinggong's application to Huaxin, with its
		// parties and amount in the write set.
		requireBlockReaders(t, devnetAccess(t, net), net.Channel(), end-1)
	})

	t.Run("A supplier still follows the chain: filtered blocks and its height", func(t *testing.T) {
		gw, err := net.Network.Connect("AssociationMSP", "Yongsheng")
		require.NoError(t, err)
		defer gw.Close()
		channel := gw.GetNetwork(net.Channel())
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		blocks, err := channel.FilteredBlockEvents(ctx, fabric.WithStartBlock(start))
		require.NoError(t, err)
		block, ok := <-blocks
		require.True(t, ok)
		require.Equal(t, start, block.GetNumber())
		for _, tx := range block.GetFilteredTransactions() {
			for _, action := range tx.GetTransactionActions().GetChaincodeActions() {
				require.Empty(t, action.GetChaincodeEvent().GetPayload(), "filtered blocks carry no event payload")
			}
		}
		_, err = channel.GetContract("qscc").EvaluateTransaction("GetChainInfo", net.Channel())
		require.NoError(t, err)
	})
}

// blockReader is an identity that asks for full blocks, and whether it may.
type blockReader struct {
	who     string
	id      identity
	allowed bool
}

// blockReaders are the identities requireBlockReaders tries: suppliers and the
// association's operator (clients of the association, whose BlockReaders policy
// names admins and peers only), and the identities each org designates to read
// blocks.
var blockReaders = []blockReader{
	{"a supplier off the tree", yongsheng, false},
	{"a supplier on the tree", hengda, false},
	{"the association's operator (a client)", assoc, false},
	{"the association's ERP (admin-type)", assocERP, true},
	{"the association's admin", assocAdmin, true},
	{"the bank's client (its ERP)", bank, true},
	{"the core enterprise's client (its ERP)", core, true},
}

// peerAccess connects as an identity: its gateway, a gRPC connection to its
// org's peer, and what closes both.
type peerAccess func(id identity) (*fabric.Gateway, grpc.ClientConnInterface, io.Closer)

// devnetAccess is peerAccess on a dev network.
func devnetAccess(t *testing.T, net *testnet.Net) peerAccess {
	return func(id identity) (*fabric.Gateway, grpc.ClientConnInterface, io.Closer) {
		gw, err := net.Network.Connect(id.mspID, id.user)
		require.NoError(t, err)
		conn, err := net.Network.Dial(id.mspID)
		require.NoError(t, err)
		return gw.Gateway, conn, closers{gw, conn}
	}
}

// requireBlockReaders checks the channel's BlockReaders ACLs on block number:
// each of blockReaders gets the full block from its peer's Deliver service and
// from qscc's GetBlockByNumber if it may, and otherwise FORBIDDEN and a refusal
// naming the BlockReaders policy.
func requireBlockReaders(t *testing.T, access peerAccess, channel string, number uint64) {
	t.Helper()
	for _, r := range blockReaders {
		gw, conn, closer := access(r.id)
		code, block := deliverFullBlock(t, gw, conn, channel, number)
		_, qsccErr := gw.GetNetwork(channel).GetContract("qscc").EvaluateTransaction("GetBlockByNumber", channel, strconv.FormatUint(number, 10))
		require.NoError(t, closer.Close())
		if r.allowed {
			require.Equal(t, common.Status_SUCCESS, code, "%s reads full blocks", r.who)
			require.Equal(t, number, block.GetHeader().GetNumber())
			require.NoError(t, qsccErr, "%s reads blocks from qscc", r.who)
			continue
		}
		require.Equal(t, common.Status_FORBIDDEN, code, "%s gets no full block", r.who)
		require.ErrorContains(t, qsccErr, "/Channel/Application/BlockReaders", "%s gets no block from qscc", r.who)
	}
}

// deliverFullBlock asks for full block number over Fabric's Deliver service, as
// gw's identity on conn's peer, and returns the status the peer answers with and
// the block, if it sent one.
func deliverFullBlock(t *testing.T, gw *fabric.Gateway, conn grpc.ClientConnInterface, channel string, number uint64) (common.Status, *common.Block) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	request, err := gw.GetNetwork(channel).NewBlockEventsRequest(fabric.WithStartBlock(number))
	require.NoError(t, err)
	// Events signs the request, and hides a refusal behind a closed channel: the
	// signed request is sent again below, to read the peer's status.
	opened, cancelOpened := context.WithCancel(ctx)
	_, err = request.Events(opened)
	cancelOpened()
	require.NoError(t, err)
	signed, err := request.Bytes()
	require.NoError(t, err)
	envelope := &common.Envelope{}
	require.NoError(t, proto.Unmarshal(signed, envelope))

	stream, err := peer.NewDeliverClient(conn).Deliver(ctx)
	require.NoError(t, err)
	require.NoError(t, stream.Send(envelope))
	response, err := stream.Recv()
	require.NoError(t, err)
	if block := response.GetBlock(); block != nil {
		return common.Status_SUCCESS, block
	}
	return response.GetStatus(), nil
}

// supplierEvents reads, as the given client, the chaincode events of blocks [from, to).
func supplierEvents(t *testing.T, c *client.Client, from, to uint64) []client.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var events []client.Event
	err := c.ProcessEvents(ctx, "", func(_ context.Context, e client.Event) error {
		if e.BlockNumber >= to {
			cancel()
			return nil
		}
		events = append(events, e)
		return nil
	}, client.FromBlock(from))
	require.NoError(t, err)
	return events
}
