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
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	fabric "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/devnettest"
	"github.com/scfledger/warrants/test/cast"
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
	return forTests(config.Default())
}

// ConsortiumConfig is the consortium network (config.Consortium: a second bank and
// a second core enterprise), changed as Config changes the default network.
func ConsortiumConfig() *config.Network {
	return forTests(config.Consortium())
}

// forTests sets the orderer batch timeout to BatchTimeout and reads the warrant
// chaincode's collections from CollectionsFile, wherever the test runs.
func forTests(cfg *config.Network) *config.Network {
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
	// NewChaincode(). A test gives the chaincode options through it, for instance an
	// injected clock.
	Chaincode func() (shim.Chaincode, error)
	// Bare leaves the ledger empty instead of onboarding the cast.
	Bare bool
}

// Net is a running dev network with the warrant chaincode in-process.
type Net struct {
	*devnet.Network
	config   *config.Network
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
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	n, err := start(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = n.Stop() })
	if !opts.Bare {
		OnboardMembers(t, opts.Dir, MembersOf(n.Config()))
	}
	return n
}

// start starts a network in opts.Dir as opts say, without onboarding anyone. The
// network's orgs and users have the keys and certificates that every network of
// the same orgs and users has (devnettest.ShareCrypto): no test needs keys that
// no other network has, and generating them for each network costs more than
// the rest of its start.
func start(opts Options) (*Net, error) {
	newChaincode := opts.Chaincode
	if newChaincode == nil {
		newChaincode = func() (shim.Chaincode, error) { return NewChaincode() }
	}
	cc, err := newChaincode()
	if err != nil {
		return nil, fmt.Errorf("testnet: chaincode: %w", err)
	}
	cfg := opts.Config
	if cfg == nil {
		cfg = Config()
	}
	if err := devnettest.ShareCrypto(opts.Dir, cfg); err != nil {
		return nil, fmt.Errorf("testnet: %w", err)
	}
	network, err := devnet.Start(context.Background(), devnet.Options{
		Config: cfg, Dir: opts.Dir, FreePorts: true, InProcess: map[string]shim.Chaincode{ChaincodeName: cc},
	})
	if err != nil {
		return nil, fmt.Errorf("testnet: start: %w", err)
	}
	return &Net{Network: network, config: cfg}, nil
}

// Config is the network's configuration.
func (n *Net) Config() *config.Network { return n.config }

// Shared is one network that several tests of a package share, for tests that
// need no ledger of their own: they only read, or write only warrants and
// requests of their own. The first test to ask (Get) starts it; the package's
// TestMain closes it after its tests (Close).
type Shared struct {
	opts    Options
	once    sync.Once
	dir     string
	started *Net
	ready   *Net
	err     error
}

// NewShared describes a shared network started as opts say, in a temporary
// directory of its own (opts.Dir is ignored).
func NewShared(opts Options) *Shared { return &Shared{opts: opts} }

// Get returns the shared network, starting it (and onboarding the cast, unless
// Bare) on first use, as part of the test t.
func (s *Shared) Get(t testing.TB) *Net {
	t.Helper()
	s.once.Do(func() {
		if s.dir, s.err = os.MkdirTemp("", "testnet-"); s.err != nil {
			return
		}
		opts := s.opts
		opts.Dir = s.dir
		if s.started, s.err = start(opts); s.err != nil {
			return
		}
		if !opts.Bare {
			OnboardMembers(t, s.dir, MembersOf(s.started.Config()))
		}
		s.ready = s.started
	})
	require.NoError(t, s.err, "shared network")
	require.NotNil(t, s.ready, "the shared network did not start or onboard (see the test that started it)")
	return s.ready
}

// Close stops the shared network, if it was started, and removes its directory.
func (s *Shared) Close() error {
	var err error
	if s.started != nil {
		err = s.started.Stop()
	}
	if s.dir != "" {
		if removeErr := os.RemoveAll(s.dir); err == nil {
			err = removeErr
		}
	}
	return err
}

// RunShared is a TestMain that runs the package's tests, then closes the shared
// networks.
func RunShared(m *testing.M, shared ...*Shared) int {
	code := m.Run()
	for _, s := range shared {
		if err := s.Close(); err != nil && code == 0 {
			fmt.Fprintln(os.Stderr, "testnet: close the shared network:", err)
			code = 1
		}
	}
	return code
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

// NewChaincode is the warrant chaincode as the networks of the tests run it: its
// association MSP is the cast's association's org (R34), then options apply.
func NewChaincode(options ...contracts.Option) (*contractapi.ContractChaincode, error) {
	return contracts.New(append([]contracts.Option{contracts.WithAssociationMSP(AssociationMSP)}, options...)...)
}

// Onboard onboards the cast of the default network on the network kept in dir (see
// OnboardMembers).
func Onboard(t testing.TB, dir string) {
	t.Helper()
	OnboardMembers(t, dir, cast.Members())
}

// OnboardMembers initialises the ledger of the network kept in dir and, as the
// association's admin, registers the member orgs (R34; the association first),
// onboards the cast's enterprises of those orgs and authorises its attestors; then
// the banks give the core enterprises, in turn, a credit line of CreditLimit each (a
// debtor has one line, R4a).
func OnboardMembers(t testing.TB, dir string, members []cast.Member) {
	t.Helper()
	ctx := context.Background()
	admin := ConnectIn(t, dir, AsAssociation)
	_, err := admin.InitLedger(ctx, warrant.InitLedgerRequest{Name: members[0].Name})
	require.NoError(t, err, "initialise the ledger")
	for _, m := range members[1:] {
		_, err := admin.RegisterMember(ctx, RegisterMemberRequest(m))
		require.NoError(t, err, "register member %s", m.MSPID)
	}
	orgs := map[string]string{}
	for _, m := range members {
		orgs[m.MSPID] = m.Kind
	}
	var banks, cores []cast.Enterprise
	for _, e := range cast.ConsortiumEnterprises() {
		if orgs[e.Org] == "" {
			continue
		}
		_, err := admin.OnboardEnterprise(ctx, OnboardRequest(e))
		require.NoError(t, err, "onboard %s", e.CreditCode)
		if len(e.Attests) > 0 {
			_, err := admin.AuthorizeAttestor(ctx, warrant.AuthorizeAttestorRequest{CreditCode: e.CreditCode,
				Kinds: cast.Attests[warrant.AttestationKind](e)})
			require.NoError(t, err, "authorise attestor %s", e.CreditCode)
		}
		switch {
		case orgs[e.Org] == string(warrant.KindBank) && slices.Contains(e.Roles, string(warrant.RoleFinancier)):
			banks = append(banks, e)
		case slices.Contains(e.Roles, string(warrant.RoleIssuer)):
			cores = append(cores, e)
		}
	}
	for i, core := range cores {
		bank := banks[i%len(banks)]
		_, err := ConnectIn(t, dir, bank.Identity()).SetCreditLine(ctx, warrant.SetCreditLineRequest{Debtor: core.CreditCode, Limit: CreditLimit})
		require.NoError(t, err, "credit line of %s at %s", core.CreditCode, bank.CreditCode)
	}
}

// MembersOf is the cast's member orgs that cfg's network has, the association first.
func MembersOf(cfg *config.Network) []cast.Member {
	var out []cast.Member
	for _, m := range cast.ConsortiumMembers() {
		if _, err := cfg.Org(m.MSPID); err == nil {
			out = append(out, m)
		}
	}
	return out
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

// ActiveWarrantOf issues as the issuer identity issuer ("<User>@<MSPID>" of a core
// enterprise of the cast) a warrant of amount fen to holder, maturing at maturesAt,
// has the invoice check and that core enterprise attest it (R30), and the
// association verify and register it.
func (n *Net) ActiveWarrantOf(t testing.TB, issuer, holder string, amount int64, maturesAt time.Time) *warrant.Warrant {
	t.Helper()
	ctx := context.Background()
	debtor := entityOf(t, issuer)
	trade := n.Trade(holder, amount)
	trade.Invoices[0].Buyer = debtor
	issued, err := n.Connect(t, issuer).Issue(ctx, warrant.IssueRequest{Debtor: debtor, Holder: holder, Amount: amount,
		MaturesAt: maturesAt, Trade: trade})
	require.NoError(t, err)
	n.attestAs(t, issued, issuer)
	return n.verifyAndRegister(t, issued)
}

// entityOf is the credit code of the cast's enterprise the identity acts for.
func entityOf(t testing.TB, identity string) string {
	t.Helper()
	for _, e := range cast.ConsortiumEnterprises() {
		if e.Identity() == identity {
			return e.CreditCode
		}
	}
	t.Fatalf("no enterprise of the cast acts as %s", identity)
	return ""
}

// InDays is a time n days from now, to the second.
func InDays(n int) time.Time {
	return time.Now().UTC().Add(time.Duration(n) * 24 * time.Hour).Truncate(time.Second)
}

// Attest records the default required attestations of an ISSUED warrant (R30): the
// tax-invoice check by the independent attestor and the buyer's goods receipt.
func (n *Net) Attest(t testing.TB, w *warrant.Warrant) {
	t.Helper()
	n.attestAs(t, w, AsCore)
}

// attestAs records the tax-invoice check by the independent attestor and the goods
// receipt by buyer, the identity of the warrant's debtor (R30).
func (n *Net) attestAs(t testing.TB, w *warrant.Warrant, buyer string) {
	t.Helper()
	ctx := context.Background()
	for _, a := range []struct {
		as   string
		kind warrant.AttestationKind
	}{{AsInvoiceCheck, warrant.AttestTaxInvoice}, {buyer, warrant.AttestGoodsReceipt}} {
		_, err := n.Connect(t, a.as).Attest(ctx, warrant.AttestRequest{WarrantID: w.ID, Kind: a.kind, Passed: true,
			ConfirmedAmount: w.Amount, EvidenceHash: Hash(string(a.kind) + " " + w.ID)})
		require.NoError(t, err)
	}
}

// verifyAndRegister has the association verify and register an attested warrant.
func (n *Net) verifyAndRegister(t testing.TB, issued *warrant.Warrant) *warrant.Warrant {
	t.Helper()
	ctx := context.Background()
	association := n.Connect(t, AsAssociation)
	_, err := association.Verify(ctx, warrant.VerifyRequest{WarrantID: issued.ID, EvidenceHash: Hash("evidence " + issued.ID), Passed: true})
	require.NoError(t, err)
	registered, err := association.Register(ctx, warrant.RegisterRequest{WarrantID: issued.ID})
	require.NoError(t, err)
	return registered
}

// ActiveWarrant issues, verifies and registers a warrant of amount fen held by holder.
func (n *Net) ActiveWarrant(t testing.TB, holder string, amount int64) *warrant.Warrant {
	t.Helper()
	ctx := context.Background()
	issued, err := n.Connect(t, AsCore).Issue(ctx, n.IssueRequest(holder, amount))
	require.NoError(t, err)
	n.Attest(t, issued)
	return n.verifyAndRegister(t, issued)
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
