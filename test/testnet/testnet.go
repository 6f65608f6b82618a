// Package testnet is the test harness of every test that needs a network: it starts
// the embedded dev network with the warrant chaincode served in-process, onboards the
// project's fictional cast, connects as its users (through the client library or the
// plain fabric-gateway client), builds valid requests, and submits transactions with a
// proposal timestamp of the test's choosing, so that no test waits for a maturity or
// a window to pass.
//
// It imports the contracts (to serve them), the dev network and the client library.
// Only tests import it: no package outside test/ may, so that it never carries the
// contracts or the dev network into the client (test/boundary_test.go checks this).
package testnet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	fabric "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

// ChaincodeName is the name the warrant chaincode runs under.
const ChaincodeName = client.DefaultChaincode

// BatchTimeout is the orderer batch timeout of Config: short, so that sequential
// transactions do not wait for blocks to fill.
const BatchTimeout = 10 * time.Millisecond

// CreditLimit is the core enterprise's credit line after onboarding, in fen.
const CreditLimit = int64(1e14)

// Config is the project's network (config.Default) with the orderer batch timeout
// set to BatchTimeout and the warrant chaincode's private data collections read from
// the file the real network deploys, chaincode/collections_config.json (R17).
func Config() *config.Network {
	cfg := config.Default()
	cfg.Orderer.BatchTimeout = config.Duration(BatchTimeout)
	for i := range cfg.Chaincodes {
		if cfg.Chaincodes[i].Name == ChaincodeName {
			cfg.Chaincodes[i].Collections = config.Collections{Path: CollectionsFile, Config: mustLoadCollections(CollectionsFile)}
		}
	}
	return cfg
}

// CollectionsFile is the warrant chaincode's collections_config.json.
var CollectionsFile = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "chaincode", "collections_config.json")
}()

func mustLoadCollections(path string) []config.Collection {
	collections, err := config.LoadCollections(path)
	if err != nil {
		panic(fmt.Sprintf("testnet: %v", err))
	}
	return collections
}

// Options change the network StartWith starts. The zero value is what Start uses.
type Options struct {
	// Dir keeps the network's files; empty means a temporary directory of the test.
	Dir string
	// Config describes the network; nil means Config().
	Config *config.Network
	// Chaincode makes the warrant chaincode served in-process; nil means
	// contracts.New. A test gives the chaincode options through it, for instance an
	// injected clock.
	Chaincode func() (shim.Chaincode, error)
	// Bare leaves the ledger empty instead of onboarding the cast.
	Bare bool
}

// Net is a running dev network with the warrant chaincode in-process.
type Net struct {
	*devnet.Network
	stopOnce sync.Once
	mu       sync.Mutex
	invoice  int
}

// Start starts a network in a temporary directory, closed when the test ends, and
// onboards the cast with a credit line of CreditLimit for the core enterprise.
func Start(t testing.TB) *Net {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWith starts a network as opts say, closed when the test ends (or by Stop).
func StartWith(t testing.TB, opts Options) *Net {
	t.Helper()
	newChaincode := opts.Chaincode
	if newChaincode == nil {
		newChaincode = func() (shim.Chaincode, error) { return contracts.New() }
	}
	cc, err := newChaincode()
	require.NoError(t, err)
	cfg := opts.Config
	if cfg == nil {
		cfg = Config()
	}
	dir := opts.Dir
	if dir == "" {
		dir = t.TempDir()
	}
	network, err := devnet.Start(context.Background(), devnet.Options{
		Config: cfg, Dir: dir, FreePorts: true, InProcess: map[string]shim.Chaincode{ChaincodeName: cc},
	})
	require.NoError(t, err)
	n := &Net{Network: network}
	t.Cleanup(func() { _ = n.Stop() })
	if !opts.Bare {
		Onboard(t, dir)
	}
	return n
}

// Stop closes the network, so that a test can read its stopped ledgers. Only the
// first call closes it and returns the error of closing; later calls return nil.
func (n *Net) Stop() error {
	var err error
	n.stopOnce.Do(func() { err = n.Close() })
	return err
}

// Connect returns a client acting as who ("<User>@<MSPID>"), closed when the test ends.
func (n *Net) Connect(t testing.TB, who string, opts ...client.Option) *client.Client {
	t.Helper()
	return ConnectIn(t, n.Dir(), who, opts...)
}

// ConnectIn returns a client acting as who on the network kept in dir (one started
// by StartWith, or the devnet command in another process), closed when the test
// ends.
func ConnectIn(t testing.TB, dir, who string, opts ...client.Option) *client.Client {
	t.Helper()
	cfg, err := client.DevnetConfig(dir, who)
	require.NoError(t, err)
	c, err := client.Connect(cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Onboard onboards the cast on the network kept in dir, as the association's
// admin, and has the bank give the core enterprise a credit line of CreditLimit.
func Onboard(t testing.TB, dir string) {
	t.Helper()
	ctx := context.Background()
	admin := ConnectIn(t, dir, AsAssociation)
	for _, e := range Cast {
		_, err := admin.OnboardEnterprise(ctx, e)
		require.NoError(t, err, "onboard %s", e.CreditCode)
	}
	for _, a := range Attestors {
		_, err := admin.AuthorizeAttestor(ctx, a)
		require.NoError(t, err, "authorise attestor %s", a.CreditCode)
	}
	_, err := ConnectIn(t, dir, AsBank).SetCreditLine(ctx, warrant.SetCreditLineRequest{Debtor: Core, Limit: CreditLimit})
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
	return TradeOf(number, holder, amount)
}

// TradeOf is a trade of one invoice numbered number (eight digits, not used
// before on the ledger) from holder to the core enterprise covering amount.
func TradeOf(number, holder string, amount int64) warrant.Trade {
	return warrant.Trade{ContractHash: Hash("contract " + number), Invoices: []warrant.Invoice{{
		Code: invoiceCode, Number: number, Amount: amount, Seller: holder, Buyer: Core, DocumentHash: Hash("invoice " + number),
	}}}
}

// IssueRequest is a valid issue of amount fen from the core enterprise to holder,
// maturing in 90 days.
func (n *Net) IssueRequest(holder string, amount int64) warrant.IssueRequest {
	return warrant.IssueRequest{Debtor: Core, Holder: holder, Amount: amount,
		MaturesAt: InDays(90), Trade: n.Trade(holder, amount)}
}

// InDays is a time n days from now, to the second.
func InDays(n int) time.Time {
	return time.Now().UTC().Add(time.Duration(n) * 24 * time.Hour).Truncate(time.Second)
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

// Gateway returns a plain fabric-gateway connection acting as who
// ("<User>@<MSPID>"), closed when the test ends, and the warrant chaincode through
// it: for tests that build, sign or time transactions themselves.
func (n *Net) Gateway(t testing.TB, who string) (*fabric.Gateway, *fabric.Contract) {
	t.Helper()
	user, mspID, ok := strings.Cut(who, "@")
	require.True(t, ok, "identity %q: want <User>@<MSPID>", who)
	gw, err := n.Network.Connect(mspID, user)
	require.NoError(t, err)
	t.Cleanup(func() { _ = gw.Close() })
	return gw.Gateway, gw.GetNetwork(n.Channel()).GetContract(ChaincodeName)
}
