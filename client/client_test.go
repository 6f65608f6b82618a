package client_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/test/testnet"
)

// TestClientOnDevnet runs the client against one dev network with the chaincode
// in-process; the subtests share it and run in order.
func TestClientOnDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a dev network")
	}
	net := testnet.Start(t)
	ctx := context.Background()
	core := net.Connect(t, testnet.AsCore)
	association := net.Connect(t, testnet.AsAssociation)
	jinggong := net.Connect(t, testnet.AsJinggong)
	hengda := net.Connect(t, testnet.AsHengda)

	t.Run("Runs a warrant's life with typed requests and results", func(t *testing.T) {
		w := net.ActiveWarrant(t, testnet.Jinggong, 100_000_000)
		require.Equal(t, warrant.StatusActive, w.Status)
		require.NotEmpty(t, w.RegistryNo)

		split, err := jinggong.SplitTransfer(ctx, warrant.SplitTransferRequest{WarrantID: w.ID,
			Parts: []warrant.Part{{Recipient: testnet.Hengda, Amount: 30_000_00}}})
		require.NoError(t, err)
		require.Equal(t, warrant.StatusSplit, split.Parent.Status)
		require.Len(t, split.Children, 2)
		part := split.Children[0]
		require.Equal(t, testnet.Hengda, part.Holder)
		require.Equal(t, warrant.StatusPendingAcceptance, part.Status)

		accepted, err := hengda.Accept(ctx, warrant.OfferRequest{WarrantID: part.ID})
		require.NoError(t, err)
		require.Equal(t, warrant.StatusActive, accepted.Status)

		// The notice of assignment: the event names the part only; the debtor reads the
		// new holder by querying, a supplier off the tree reads nothing (R15, R20).
		notice := client.Event{Name: warrant.EventAccepted, Payload: warrant.EventPayload{WarrantID: part.ID, RootID: w.ID}}
		details, err := core.Details(ctx, notice)
		require.NoError(t, err)
		require.Equal(t, testnet.Hengda, details.Holder)
		outsider, err := net.Connect(t, testnet.AsShengtong).Details(ctx, notice)
		require.NoError(t, err)
		require.Nil(t, outsider)

		lineage, err := core.FullLineage(ctx, w.ID)
		require.NoError(t, err)
		require.Len(t, lineage, 3)
		summary, err := core.RootSummary(ctx, w.ID)
		require.NoError(t, err)
		require.Equal(t, int64(100_000_000), summary.Face)
		require.Equal(t, summary.Face, summary.Outstanding)

		found, err := jinggong.LookupRegistryNo(ctx, w.RegistryNo)
		require.NoError(t, err)
		require.True(t, found.Registered)
		require.Equal(t, w.RegistryNo, found.RegistryNo)
		invoice := w.Trade.Invoices[0]
		found, err = jinggong.LookupInvoice(ctx, invoice.Code, invoice.Number)
		require.NoError(t, err)
		require.Equal(t, w.RegistryNo, found.RegistryNo)
		history, err := core.History(ctx, w.ID)
		require.NoError(t, err)
		require.Len(t, history, 6, "issued, attested twice, verified, registered, split")
		page, err := hengda.ListByHolder(ctx, warrant.ListRequest{Party: testnet.Hengda})
		require.NoError(t, err)
		require.NotEmpty(t, page.Items)
		related, err := jinggong.RelatedParties(ctx, testnet.Jinggong)
		require.NoError(t, err)
		require.Contains(t, related, testnet.JinggongTrading)
		_, err = core.RelatedParties(ctx, testnet.Jinggong)
		require.Equal(t, warrant.CodeForbidden, client.Code(err), "another enterprise's related parties (R20)")
	})

	t.Run("Applies, confirms and cancels with typed results", func(t *testing.T) {
		lianchuang := net.Connect(t, testnet.AsLianchuang)
		terms := net.IssueRequest(testnet.Lianchuang, 20_000_00)
		application, err := lianchuang.Apply(ctx, warrant.ApplyRequest{Debtor: testnet.Core, Amount: terms.Amount,
			MaturesAt: terms.MaturesAt, Trade: terms.Trade})
		require.NoError(t, err)
		issued, err := core.ConfirmApplication(ctx, warrant.ApplicationDecisionRequest{ApplicationID: application.ID})
		require.NoError(t, err)
		require.Equal(t, warrant.StatusIssued, issued.Status)
		require.Equal(t, testnet.Lianchuang, issued.Holder)
		cancelled, err := core.Cancel(ctx, warrant.CancelRequest{WarrantID: issued.ID, Reason: "issued in error"})
		require.NoError(t, err)
		require.Equal(t, warrant.StatusCancelled, cancelled.Status)
	})

	t.Run("Deposits, pledges and freezes with typed results", func(t *testing.T) {
		lianchuang := net.Connect(t, testnet.AsLianchuang)
		bank := net.Connect(t, testnet.AsBank)
		w := net.ActiveWarrant(t, testnet.Lianchuang, 50_000_00)

		deposited, err := lianchuang.Deposit(ctx, warrant.DepositRequest{WarrantID: w.ID, Custodian: testnet.Bank})
		require.NoError(t, err)
		require.Equal(t, testnet.Bank, deposited.Custodian)
		released, err := bank.ReleaseCustody(ctx, warrant.ReleaseCustodyRequest{WarrantID: w.ID})
		require.NoError(t, err)
		require.Empty(t, released.Custodian)

		_, err = lianchuang.RequestFinancing(ctx, warrant.FinancingRequest{WarrantID: w.ID, Financier: testnet.Bank})
		require.NoError(t, err)
		pledged, err := bank.Pledge(ctx, warrant.PledgeRequest{WarrantID: w.ID, Amount: 40_000_00})
		require.NoError(t, err)
		require.Equal(t, warrant.StatusPledged, pledged.Status)
		_, err = lianchuang.SplitTransfer(ctx, warrant.SplitTransferRequest{WarrantID: w.ID,
			Parts: []warrant.Part{{Recipient: testnet.Hengda, Amount: 1}}})
		require.Equal(t, warrant.CodePledged, client.Code(err))
		unpledged, err := bank.ReleasePledge(ctx, warrant.BankWarrantRequest{WarrantID: w.ID})
		require.NoError(t, err)
		require.Equal(t, warrant.StatusActive, unpledged.Status)

		frozen, err := association.Freeze(ctx, warrant.FreezeRequest{WarrantID: w.ID, Reason: "court order"})
		require.NoError(t, err)
		require.Equal(t, []string{w.ID}, frozen.Changed)
		_, err = association.Unfreeze(ctx, warrant.FreezeRequest{WarrantID: w.ID, Reason: "order lifted"})
		require.NoError(t, err)

		_, err = core.Settle(ctx, warrant.SettleRequest{WarrantID: w.ID, PaymentRef: "CNAPS-1", PayingBank: testnet.Bank})
		require.Equal(t, warrant.CodeNotMatured, client.Code(err))
	})

	t.Run("Stamps its proposals from its clock, within the endorsers' skew (R19)", func(t *testing.T) {
		at := time.Now().UTC().Add(time.Minute).Truncate(time.Millisecond)
		ahead := net.Connect(t, testnet.AsCore, client.WithClock(func() time.Time { return at }))
		issued, err := ahead.Issue(ctx, net.IssueRequest(testnet.Jinggong, 1_000_00))
		require.NoError(t, err)
		require.True(t, at.Equal(issued.IssuedAt), "issued at %s, want the client's clock %s", issued.IssuedAt, at)
		read, err := ahead.GetWarrant(ctx, issued.ID)
		require.NoError(t, err, "queries are stamped too")
		require.Equal(t, issued.ID, read.ID)

		tooFar := net.Connect(t, testnet.AsCore, client.WithClock(func() time.Time {
			return time.Now().Add(warrant.DefaultMaxClockSkew + time.Minute)
		}))
		before, err := core.GetCreditLine(ctx, testnet.Core)
		require.NoError(t, err)
		_, err = tooFar.Issue(ctx, net.IssueRequest(testnet.Jinggong, 1_000_00))
		require.Equal(t, warrant.CodeClockSkew, client.Code(err), "%v", err)
		after, err := core.GetCreditLine(ctx, testnet.Core)
		require.NoError(t, err)
		require.Equal(t, before, after, "a refused issue changes nothing")
	})

	t.Run("Decodes a FORBIDDEN rejection of an issue by a supplier", func(t *testing.T) {
		_, err := jinggong.Issue(ctx, net.IssueRequest(testnet.Hengda, 100))
		require.Error(t, err)
		require.Equal(t, warrant.CodeForbidden, client.Code(err))

		var domainErr *warrant.Error
		require.ErrorAs(t, err, &domainErr)
		require.Equal(t, warrant.CodeForbidden, domainErr.Code)
		var endorseErr *client.EndorseError
		require.ErrorAs(t, err, &endorseErr, "the gateway error stays the cause")
		var ccErr *client.ChaincodeError
		require.ErrorAs(t, err, &ccErr)
		require.Equal(t, "issuance:Issue", ccErr.Function)
		require.Equal(t, endorseErr.TransactionID, ccErr.TransactionID)
	})

	t.Run("Decodes NOT_FOUND and INVALID_ARGUMENT from queries", func(t *testing.T) {
		_, err := core.GetWarrant(ctx, "W000000000000000000000000")
		require.Equal(t, warrant.CodeNotFound, client.Code(err))
		require.Equal(t, codes.Unknown, status.Code(err), "the gRPC status stays the cause")
		var ccErr *client.ChaincodeError
		require.ErrorAs(t, err, &ccErr)
		require.Equal(t, "query:GetWarrant", ccErr.Function)

		_, err = core.GetWarrant(ctx, "not-a-warrant-id")
		require.Equal(t, warrant.CodeInvalidArgument, client.Code(err))
		_, err = core.RootSummary(ctx, "W000000000000000000000000")
		require.Equal(t, warrant.CodeNotFound, client.Code(err))
	})

	t.Run("Replays a repeated requestId with the original outcome", func(t *testing.T) {
		req := net.IssueRequest(testnet.Lianchuang, 5_000_00)
		req.RequestID = "PO-REPLAY-1"
		first, err := core.Issue(ctx, req)
		require.NoError(t, err)
		again, err := core.Issue(ctx, req)
		require.NoError(t, err)
		require.Equal(t, first.ID, again.ID)
	})

	t.Run("Concurrent issues with requestIds all commit despite read conflicts", func(t *testing.T) {
		var retries atomic.Int32
		policy := client.RetryPolicy{MaxAttempts: 10, InitialBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
			OnRetry: func(string, int, error) { retries.Add(1) }}
		issuer := net.Connect(t, testnet.AsCore, client.WithRetry(policy))
		before, err := issuer.GetCreditLine(ctx, testnet.Core)
		require.NoError(t, err)

		const n = 4
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			req := net.IssueRequest(testnet.Shengtong, 1_000_00)
			req.RequestID = fmt.Sprintf("PO-CONCURRENT-%d", i)
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = issuer.Issue(ctx, req)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		after, err := issuer.GetCreditLine(ctx, testnet.Core)
		require.NoError(t, err)
		require.Equal(t, before.Used+n*1_000_00, after.Used, "each issue consumed the line once")
		t.Logf("%d retries on read conflicts", retries.Load())
	})

	t.Run("Resumes events from a checkpoint file exactly once", func(t *testing.T) {
		checkpoint := filepath.Join(t.TempDir(), "events.checkpoint")
		start := net.Height()
		issued := map[string]bool{}
		issue := func(k int) {
			for range k {
				w, err := core.Issue(ctx, net.IssueRequest(testnet.Yongsheng, 100_00))
				require.NoError(t, err)
				issued[w.ID] = true
			}
		}
		issue(5)

		var seen []client.Event
		session := func(stopAt int) {
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			err := core.ProcessEvents(ctx, checkpoint, func(_ context.Context, e client.Event) error {
				seen = append(seen, e)
				if len(seen) == stopAt {
					cancel()
				}
				return nil
			}, client.FromBlock(start))
			require.NoError(t, err)
			require.Len(t, seen, stopAt, "the session stopped by its handler, not by its timeout")
		}
		session(3)
		issue(2)
		session(7)

		txs := map[string]bool{}
		for _, e := range seen {
			require.False(t, txs[e.TransactionID], "event of %s delivered twice", e.TransactionID)
			txs[e.TransactionID] = true
			require.Equal(t, warrant.EventIssued, e.Name)
			require.True(t, issued[e.Payload.WarrantID])
			require.Equal(t, warrant.StatusIssued, e.Payload.Status)
		}
	})

	t.Run("Connects from fabric-samples environment variables", func(t *testing.T) {
		address, err := net.PeerAddress("CoreEnterpriseMSP")
		require.NoError(t, err)
		t.Setenv(client.EnvCryptoPath, filepath.Join(net.Dir(), "organizations", "peerOrganizations", "core.example.com"))
		t.Setenv(client.EnvPeerEndpoint, address)
		cfg := client.ConfigFromEnv()
		require.Equal(t, "CoreEnterpriseMSP", cfg.MSPID)
		require.Equal(t, "peer0.core.example.com", cfg.HostAlias)
		c, err := client.Connect(cfg)
		require.NoError(t, err)
		defer c.Close()
		params, err := c.GetParams(ctx)
		require.NoError(t, err)
		require.Equal(t, warrant.DefaultParams().MaxParts, params.MaxParts)
	})

	t.Run("Connects from the peer CLI environment variables", func(t *testing.T) {
		address, err := net.PeerAddress("BankMSP")
		require.NoError(t, err)
		orgDir := filepath.Join(net.Dir(), "organizations", "peerOrganizations", "bank.example.com")
		t.Setenv(client.EnvPeerLocalMSPID, "BankMSP")
		t.Setenv(client.EnvPeerAddress, address)
		t.Setenv(client.EnvPeerTLSRootCert, filepath.Join(orgDir, "peers", "peer0.bank.example.com", "tls", "ca.crt"))
		t.Setenv(client.EnvPeerMSPConfigPath, filepath.Join(orgDir, "users", "User1@bank.example.com", "msp"))
		t.Setenv(client.EnvPeerTLSHostOverride, "peer0.bank.example.com")
		require.True(t, client.EnvConfigured())
		cfg := client.ConfigFromEnv()
		require.Equal(t, "BankMSP", cfg.MSPID)
		require.Equal(t, address, cfg.Endpoint)
		c, err := client.Connect(cfg)
		require.NoError(t, err)
		defer c.Close()
		require.Equal(t, "BankMSP", c.MSPID())
		line, err := c.GetCreditLine(ctx, testnet.Core)
		require.NoError(t, err)
		require.Equal(t, testnet.Bank, line.Financier)
	})

	t.Run("Acts as a user of a connection profile's organization", func(t *testing.T) {
		dev, err := client.DevnetConfig(net.Dir(), testnet.AsBank)
		require.NoError(t, err)
		cfg, err := client.ProfileConfig(dev.Profile, testnet.AsBank)
		require.NoError(t, err)
		require.Equal(t, dev, cfg)
		_, err = client.ProfileConfig(dev.Profile, testnet.AsCore)
		require.ErrorContains(t, err, "is for BankMSP")
		_, err = client.ProfileConfig(dev.Profile, "Nobody@BankMSP")
		require.Error(t, err)
	})

	t.Run("Connects with a profile and explicit certificate and key files", func(t *testing.T) {
		cfg, err := client.DevnetConfig(net.Dir(), testnet.AsBank)
		require.NoError(t, err)
		cfg.CertPath = filepath.Join(cfg.MSPDir, "signcerts", "cert.pem")
		cfg.KeyPath = filepath.Join(cfg.MSPDir, "keystore", "priv_sk")
		cfg.MSPDir = ""
		c, err := client.Connect(cfg)
		require.NoError(t, err)
		defer c.Close()
		require.Equal(t, "BankMSP", c.MSPID())
		line, err := c.GetCreditLine(ctx, testnet.Core)
		require.NoError(t, err)
		require.Equal(t, testnet.Bank, line.Financier)
	})

	t.Run("Refuses identities and directories it cannot resolve", func(t *testing.T) {
		_, err := client.DevnetConfig(net.Dir(), "Nobody@CoreEnterpriseMSP")
		require.Error(t, err)
		_, err = client.DevnetConfig(net.Dir(), "User1@NoSuchMSP")
		require.ErrorContains(t, err, "no connection profile for NoSuchMSP")
		_, err = client.DevnetConfig(net.Dir(), "User1")
		require.ErrorContains(t, err, "<User>@<MSPID>")
		_, err = client.DevnetConfig(t.TempDir(), testnet.AsCore)
		require.ErrorContains(t, err, "no connection profile")
		_, err = client.Connect(client.Config{Endpoint: "localhost:1", MSPID: "CoreEnterpriseMSP"})
		require.ErrorContains(t, err, "no identity")
		_, statErr := os.Stat(net.Dir())
		require.NoError(t, statErr)
	})
}
