package contracts_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/chaincode/warrant"
	wclient "github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/devnettest"
	"github.com/scfledger/warrants/test/cast"
)

// The project's cast (package test/cast).
var (
	codeCore     = cast.Get(cast.Core).CreditCode
	codeT1A      = cast.Get(cast.T1A).CreditCode
	codeT1ARel   = cast.Get(cast.T1ARelated).CreditCode
	codeT1B      = cast.Get(cast.T1B).CreditCode // Lianchuang: enrolled but never onboarded
	codeT2A      = cast.Get(cast.T2A).CreditCode
	codeT2B      = cast.Get(cast.T2B).CreditCode
	codeT3A      = cast.Get(cast.T3A).CreditCode
	codeBank     = cast.Get(cast.Bank).CreditCode
	codeAssoc    = cast.Get(cast.Association).CreditCode
	codeCheck    = cast.Get(cast.InvoiceCheck).CreditCode
	asCheck      = cast.Get(cast.InvoiceCheck).Identity()
	asCore       = cast.Get(cast.Core).Identity()
	asBank       = cast.Get(cast.Bank).Identity()
	asAssoc      = cast.Get(cast.Association).Identity()
	asJinggong   = cast.Get(cast.T1A).Identity()
	asLianchuang = cast.Get(cast.T1B).Identity()
	asHengda     = cast.Get(cast.T2A).Identity()
	asShengtong  = cast.Get(cast.T2B).Identity()
	asYongsheng  = cast.Get(cast.T3A).Identity()
	invoiceCode  = cast.FirstTrade().Invoices[0].Code
)

const warrantName = "warrant"

// MSP IDs of the cast's orgs.
var (
	mspCore  = cast.Get(cast.Core).Org
	mspBank  = cast.Get(cast.Bank).Org
	mspAssoc = cast.Get(cast.Association).Org
)

// Identities the tests add to the cast: roles claimed from the wrong org (R2) and an
// identity without scf attributes (R1; every org has an attribute-less Admin).
const (
	asNoAttributes = "Admin@AssociationMSP"
	asBankIssuer   = "Impostor@BankMSP"        // issuer of the core enterprise, from the bank's org
	asCoreClerk    = "Clerk@CoreEnterpriseMSP" // the core enterprise's issuer, also claiming association and bank roles
	asAssocTeller  = "Teller@AssociationMSP"   // the bank's financier and custodian, from the association's org
	asBankHengda   = "Mimic@BankMSP"           // Hengda's holder role, from the bank's org
)

// userOf is the identity acting for an enterprise of the cast.
var userOf = func() map[string]string {
	users := map[string]string{}
	for _, e := range cast.Enterprises() {
		users[e.CreditCode] = e.Identity()
	}
	return users
}()

// ledger drives the warrant chaincode on a dev network as the cast's users. One
// network serves a whole test function; subtests rebind it with in(t).
type ledger struct {
	t *testing.T
	*world
}

type world struct {
	network  *devnet.Network
	gateways map[string]*devnet.Gateway
	invoices int
	clock    *clock
}

// clock is the endorsing peers' clock the chaincode checks timestamps against (R19):
// the wall clock moved by an offset, so a test travels to a maturity without waiting.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// newLedger starts a network of the test's own and runs the test in parallel with
// the package's other network tests: they share nothing.
func newLedger(t *testing.T) *ledger {
	t.Parallel()
	endorsers := &clock{}
	chaincode, err := contracts.New(contracts.WithClock(endorsers.now), contracts.WithAssociationMSP(mspAssoc))
	require.NoError(t, err)
	cfg := config.Default()
	cfg.Orderer.BatchTimeout = config.Duration(10 * time.Millisecond)
	collections, err := config.LoadCollections("../collections_config.json")
	require.NoError(t, err)
	for i := range cfg.Chaincodes {
		if cfg.Chaincodes[i].Name == warrantName {
			cfg.Chaincodes[i].Collections = config.Collections{Config: collections}
		}
	}
	addUser(t, cfg, asBankIssuer, map[string]string{warrant.AttrEntity: codeCore, warrant.AttrRole: "issuer"})
	addUser(t, cfg, asCoreClerk, map[string]string{warrant.AttrEntity: codeCore,
		warrant.AttrRole: "issuer,admin,verifier,registrar,regulator,custodian,financier"})
	addUser(t, cfg, asAssocTeller, map[string]string{warrant.AttrEntity: codeBank, warrant.AttrRole: "financier,custodian"})
	addUser(t, cfg, asBankHengda, map[string]string{warrant.AttrEntity: codeT2A, warrant.AttrRole: "holder"})
	// The networks share their orgs' and users' keys and certificates: no test
	// needs keys of its own.
	dir := t.TempDir()
	require.NoError(t, devnettest.ShareCrypto(dir, cfg))
	network, err := devnet.Start(context.Background(), devnet.Options{
		Config: cfg, Dir: dir, FreePorts: true, InProcess: map[string]shim.Chaincode{warrantName: chaincode},
	})
	require.NoError(t, err)
	l := &ledger{t: t, world: &world{network: network, gateways: map[string]*devnet.Gateway{}, clock: endorsers}}
	t.Cleanup(func() {
		for _, gw := range l.gateways {
			_ = gw.Close()
		}
		require.NoError(t, network.Close())
	})
	return l
}

func addUser(t *testing.T, cfg *config.Network, as string, attrs map[string]string) {
	name, mspID, _ := strings.Cut(as, "@")
	org, err := cfg.Org(mspID)
	require.NoError(t, err)
	org.Users = append(org.Users, config.User{Name: name, Attrs: attrs})
}

// in binds the ledger to a subtest, so that failed assertions stop that subtest.
func (l *ledger) in(t *testing.T) *ledger { return &ledger{t: t, world: l.world} }

func (l *ledger) gateway(as string) *devnet.Gateway {
	if gw, ok := l.gateways[as]; ok {
		return gw
	}
	user, mspID, _ := strings.Cut(as, "@")
	gw, err := l.network.Connect(mspID, user)
	require.NoError(l.t, err)
	l.gateways[as] = gw
	return gw
}

func (l *ledger) contract(as string) *client.Contract {
	return l.gateway(as).GetNetwork(l.network.Channel()).GetContract(warrantName)
}

// travel sets the endorsers' clock to read to (and run on from there); every later
// submit and evaluate of the test's honest clients carries that time as well.
func (l *ledger) travel(to time.Time) { l.clock.offset.Store(int64(time.Until(to))) }

// now is the time on the endorsers' clock.
func (l *ledger) now() time.Time { return l.clock.now() }

// travelled reports whether the endorsers' clock was moved.
func (l *ledger) travelled() bool { return l.clock.offset.Load() != 0 }

// submit runs a mutating function with a JSON request and decodes the result into out.
func (l *ledger) submit(as, function string, request, out any) error {
	if l.travelled() {
		return l.submitAt(as, function, request, l.now(), out)
	}
	result, err := l.contract(as).SubmitTransaction(function, l.body(request))
	if err != nil {
		return err
	}
	l.decode(result, out)
	return nil
}

func (l *ledger) mustSubmit(as, function string, request, out any) {
	l.t.Helper()
	require.NoError(l.t, l.submit(as, function, request, out), function)
}

// submitEndorsedBy submits with endorsements from the named orgs only.
func (l *ledger) submitEndorsedBy(as, function string, request any, mspIDs ...string) error {
	_, err := l.contract(as).Submit(function, client.WithArguments(l.body(request)), client.WithEndorsingOrganizations(mspIDs...))
	return err
}

// submitAt submits with the proposal timestamp set to at, as a client that chooses its
// timestamp does. The ledger time of a transaction is that timestamp; the endorsers
// refuse it when it is further than the allowed skew from their clock (R19), so an
// honest test travels first and a test of an attack does not.
func (l *ledger) submitAt(as, function string, request any, at time.Time, out any) error {
	_, err := l.submitAtTx(as, function, request, at, out)
	return err
}

// submitAtTx is submitAt returning the transaction id.
func (l *ledger) submitAtTx(as, function string, request any, at time.Time, out any) (string, error) {
	proposal, err := l.contract(as).NewProposal(function, client.WithArguments(l.body(request)))
	require.NoError(l.t, err)
	data, err := proposal.Bytes()
	require.NoError(l.t, err)
	retimed, err := l.gateway(as).NewProposal(retime(l.t, data, at))
	require.NoError(l.t, err)
	transaction, err := retimed.Endorse()
	if err != nil {
		return "", err
	}
	commit, err := transaction.Submit()
	require.NoError(l.t, err)
	state, err := commit.Status()
	require.NoError(l.t, err)
	if !state.Successful {
		return "", fmt.Errorf("transaction %s failed to commit: %s", state.TransactionID, state.Code)
	}
	l.decode(transaction.Result(), out)
	return transaction.TransactionID(), nil
}

// submitTx submits like mustSubmit and returns the transaction id.
func (l *ledger) submitTx(as, function string, request, out any) string {
	l.t.Helper()
	if l.travelled() {
		txID, err := l.submitAtTx(as, function, request, l.now(), out)
		require.NoError(l.t, err, function)
		return txID
	}
	result, commit, err := l.contract(as).SubmitAsync(function, client.WithArguments(l.body(request)))
	require.NoError(l.t, err, function)
	state, err := commit.Status()
	require.NoError(l.t, err, function)
	require.True(l.t, state.Successful, "%s: %s", function, state.Code)
	l.decode(result, out)
	return commit.TransactionID()
}

// retime rewrites the channel header timestamp of a serialized proposed transaction.
func retime(t *testing.T, data []byte, at time.Time) []byte {
	var proposed gateway.ProposedTransaction
	require.NoError(t, proto.Unmarshal(data, &proposed))
	var prop peer.Proposal
	require.NoError(t, proto.Unmarshal(proposed.GetProposal().GetProposalBytes(), &prop))
	var header common.Header
	require.NoError(t, proto.Unmarshal(prop.GetHeader(), &header))
	var channelHeader common.ChannelHeader
	require.NoError(t, proto.Unmarshal(header.GetChannelHeader(), &channelHeader))
	channelHeader.Timestamp = timestamppb.New(at)
	var err error
	header.ChannelHeader, err = proto.Marshal(&channelHeader)
	require.NoError(t, err)
	prop.Header, err = proto.Marshal(&header)
	require.NoError(t, err)
	proposed.Proposal.ProposalBytes, err = proto.Marshal(&prop)
	require.NoError(t, err)
	out, err := proto.Marshal(&proposed)
	require.NoError(t, err)
	return out
}

// evaluate runs a query as the association, at the endorsers' time.
func (l *ledger) evaluate(function string, out any, args ...string) error {
	return l.evaluateAs(asAssoc, function, out, args...)
}

// evaluateAs runs a query as the given user, at the endorsers' time.
func (l *ledger) evaluateAs(as, function string, out any, args ...string) error {
	proposal, err := l.contract(as).NewProposal(function, client.WithArguments(args...))
	require.NoError(l.t, err)
	if l.travelled() {
		data, err := proposal.Bytes()
		require.NoError(l.t, err)
		if proposal, err = l.gateway(as).NewProposal(retime(l.t, data, l.now())); err != nil {
			return err
		}
	}
	result, err := proposal.Evaluate()
	if err != nil {
		return err
	}
	return json.Unmarshal(result, out)
}

// query evaluates a function that takes one JSON request.
func (l *ledger) query(function string, request, out any) error {
	return l.evaluate(function, out, l.body(request))
}

func (l *ledger) body(request any) string {
	if text, ok := request.(string); ok {
		return text
	}
	data, err := json.Marshal(request)
	require.NoError(l.t, err)
	return string(data)
}

func (l *ledger) decode(result []byte, out any) {
	if out != nil {
		require.NoError(l.t, json.Unmarshal(result, out))
	}
}

// code extracts the structured error code the chaincode returned, with the client
// library's parser.
func code(t *testing.T, err error) warrant.Code {
	t.Helper()
	require.Error(t, err)
	c := wclient.Code(wclient.DecodeError("", err))
	if c == "" {
		t.Fatalf("no structured chaincode error in %v", err)
	}
	return c
}

// commitCode is the validation code of a submit that failed to commit.
func commitCode(t *testing.T, err error) peer.TxValidationCode {
	t.Helper()
	var commitErr *client.CommitError
	require.ErrorAs(t, err, &commitErr)
	return commitErr.Code
}

func hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// onboard registers the member orgs (R34) and the cast (all but Lianchuang), and gives
// the core enterprise a credit line.
func (l *ledger) onboard() {
	l.registerMembers()
	for _, key := range []string{cast.Association, cast.Core, cast.Bank, cast.T1A, cast.T1ARelated, cast.T2A, cast.T2B, cast.T3A, cast.InvoiceCheck} {
		l.mustSubmit(asAssoc, "admin:OnboardEnterprise", onboarding(key), nil)
		if e := cast.Get(key); len(e.Attests) > 0 {
			l.mustSubmit(asAssoc, "admin:AuthorizeAttestor", warrant.AuthorizeAttestorRequest{CreditCode: e.CreditCode,
				Kinds: cast.Attests[warrant.AttestationKind](e)}, nil)
		}
	}
	l.mustSubmit(asBank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: codeCore, Limit: 50_000_000_000}, nil)
}

// registerMembers initialises the ledger with the association and registers the other
// orgs of the default network (R34).
func (l *ledger) registerMembers() {
	orgs := cast.Members()
	l.mustSubmit(asAssoc, "admin:InitLedger", warrant.InitLedgerRequest{Name: orgs[0].Name}, nil)
	for _, m := range orgs[1:] {
		l.mustSubmit(asAssoc, "admin:RegisterMember", warrant.RegisterMemberRequest{MSPID: m.MSPID,
			Kind: warrant.MemberKind(m.Kind), Name: m.Name}, nil)
	}
}

// onboarding is the request that onboards the enterprise of the cast with the given key.
func onboarding(key string) warrant.OnboardEnterpriseRequest {
	e := cast.Get(key)
	return warrant.OnboardEnterpriseRequest{CreditCode: e.CreditCode, Name: e.Name, MSPID: e.Org,
		Roles: cast.Roles[warrant.Role](e), Controller: e.Controller}
}

func issueRequest(invoice string, amount int64) warrant.IssueRequest {
	return warrant.IssueRequest{
		Debtor: codeCore, Holder: codeT1A, Amount: amount,
		MaturesAt: time.Now().UTC().Add(90 * 24 * time.Hour).Truncate(time.Second),
		Trade: warrant.Trade{ContractHash: hash(cast.FirstTrade().ContractNo), Invoices: []warrant.Invoice{
			{Code: invoiceCode, Number: invoice, Amount: amount, Seller: codeT1A, Buyer: codeCore, DocumentHash: hash(invoice)},
		}},
	}
}
