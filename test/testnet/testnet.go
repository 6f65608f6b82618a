// Package testnet is test support for the client and its command line: it starts the
// embedded dev network with the warrant chaincode running in-process, onboards the
// project's fictional cast and builds valid requests. Only tests import it; it is the
// one place outside the chaincode's own tests that imports the contracts, to run them.
package testnet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

// Net is a running dev network with the warrant chaincode in-process.
type Net struct {
	*devnet.Network
	mu      sync.Mutex
	invoice int
}

// Start starts a network in a temporary directory, closed when the test ends, and
// onboards the cast with a credit line of 10 billion yuan for the core enterprise.
func Start(t testing.TB) *Net {
	t.Helper()
	cc, err := contracts.New()
	require.NoError(t, err)
	cfg := config.Default()
	cfg.Orderer.BatchTimeout = config.Duration(10 * time.Millisecond)
	network, err := devnet.Start(context.Background(), devnet.Options{
		Config: cfg, Dir: t.TempDir(), FreePorts: true, InProcess: map[string]shim.Chaincode{"warrant": cc},
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = network.Close() })
	n := &Net{Network: network}
	n.onboard(t)
	return n
}

// Connect returns a client acting as who ("<User>@<MSPID>"), closed when the test ends.
func (n *Net) Connect(t testing.TB, who string, opts ...client.Option) *client.Client {
	t.Helper()
	cfg, err := client.DevnetConfig(n.Dir(), who)
	require.NoError(t, err)
	c, err := client.Connect(cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func (n *Net) onboard(t testing.TB) {
	ctx := context.Background()
	admin := n.Connect(t, AsAssociation)
	for _, e := range Cast {
		_, err := admin.OnboardEnterprise(ctx, e)
		require.NoError(t, err)
	}
	for _, a := range Attestors {
		_, err := admin.AuthorizeAttestor(ctx, a)
		require.NoError(t, err)
	}
	_, err := n.Connect(t, AsBank).SetCreditLine(ctx, warrant.SetCreditLineRequest{Debtor: Core, Limit: 1_000_000_000_000})
	require.NoError(t, err)
}

// Hash is the hex SHA-256 of s, for contract, document and evidence hashes.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Trade is a trade of one fresh invoice from holder to the core enterprise covering
// amount.
func (n *Net) Trade(holder string, amount int64) warrant.Trade {
	n.mu.Lock()
	n.invoice++
	number := fmt.Sprintf("%08d", n.invoice)
	n.mu.Unlock()
	return warrant.Trade{ContractHash: Hash("contract " + number), Invoices: []warrant.Invoice{{
		Code: invoiceCode, Number: number, Amount: amount, Seller: holder, Buyer: Core, DocumentHash: Hash("invoice " + number),
	}}}
}

// IssueRequest is a valid issue of amount fen from the core enterprise to holder,
// maturing in 90 days.
func (n *Net) IssueRequest(holder string, amount int64) warrant.IssueRequest {
	return warrant.IssueRequest{Debtor: Core, Holder: holder, Amount: amount,
		MaturesAt: time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(time.Second), Trade: n.Trade(holder, amount)}
}

// Attest records the default required attestations of an ISSUED warrant (R30): the
// tax-invoice check by the independent attestor and the buyer's goods receipt.
func (n *Net) Attest(t testing.TB, w *warrant.Warrant) {
	t.Helper()
	ctx := context.Background()
	for _, a := range []struct {
		as   string
		kind warrant.AttestationKind
	}{{AsInvoiceCheck, warrant.AttestTaxInvoice}, {AsCore, warrant.AttestGoodsReceipt}} {
		_, err := n.Connect(t, a.as).Attest(ctx, warrant.AttestRequest{WarrantID: w.ID, Kind: a.kind, Passed: true,
			ConfirmedAmount: w.Amount, EvidenceHash: Hash(string(a.kind) + " " + w.ID)})
		require.NoError(t, err)
	}
}

// ActiveWarrant issues, verifies and registers a warrant of amount fen held by holder.
func (n *Net) ActiveWarrant(t testing.TB, holder string, amount int64) *warrant.Warrant {
	t.Helper()
	ctx := context.Background()
	issued, err := n.Connect(t, AsCore).Issue(ctx, n.IssueRequest(holder, amount))
	require.NoError(t, err)
	n.Attest(t, issued)
	association := n.Connect(t, AsAssociation)
	_, err = association.Verify(ctx, warrant.VerifyRequest{WarrantID: issued.ID, EvidenceHash: Hash("evidence " + issued.ID), Passed: true})
	require.NoError(t, err)
	registered, err := association.Register(ctx, warrant.RegisterRequest{WarrantID: issued.ID})
	require.NoError(t, err)
	return registered
}
