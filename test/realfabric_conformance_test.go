package test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/chaincode/warrant"
	warrantclient "github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/test/cast"
	"github.com/scfledger/warrants/test/testnet"
)

// stepOutcome is what one step of the conformance script produced, normalised so that
// two networks' runs compare equal when they behave the same.
type stepOutcome struct {
	Step string
	// Endorsement is the chaincode's error code when endorsement failed ("" when it
	// succeeded), or "rpc:<gRPC code>" for a failure with no chaincode code.
	Endorsement string
	// Validation is the transaction's validation code, when it was submitted.
	Validation string
	// Result is the chaincode's response, normalised.
	Result string
}

// ledgerView is what the network's blocks say of the script's transactions: the
// chaincode events of the valid ones in order, and the warrant chaincode's world
// state (values and key metadata such as key-level endorsement policies).
type ledgerView struct {
	Events []string
	State  map[string]string
}

// normaliser replaces what legitimately differs between two networks running the
// same script (transaction ids, ids and numbers derived from them, transaction
// timestamps) by placeholders numbered in order of first appearance.
type normaliser struct {
	inputs map[string]bool // timestamps the script passes in, kept as they are
	names  map[string]string
	counts map[string]int
}

var (
	txIDPattern      = regexp.MustCompile(`[0-9a-f]{64}`)
	warrantIDPattern = regexp.MustCompile(`W[0-9A-F]{24}`)
	appIDPattern     = regexp.MustCompile(`A[0-9A-F]{24}`)
	registryPattern  = regexp.MustCompile(`(DJ|ZY)[0-9]{8}-[0-9A-F]{12}`)
	timePattern      = regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})`)
)

func newNormaliser(inputs ...string) *normaliser {
	n := &normaliser{inputs: map[string]bool{}, names: map[string]string{}, counts: map[string]int{}}
	for _, in := range inputs {
		n.inputs[in] = true
	}
	return n
}

// name gives raw its placeholder of the kind, the same one every time.
func (n *normaliser) name(kind, raw string) string {
	if name, ok := n.names[raw]; ok {
		return name
	}
	n.counts[kind]++
	name := fmt.Sprintf("<%s%d>", kind, n.counts[kind])
	n.names[raw] = name
	return name
}

// text normalises a string.
func (n *normaliser) text(s string) string {
	s = warrantIDPattern.ReplaceAllStringFunc(s, func(id string) string { return n.name("W", id) })
	s = appIDPattern.ReplaceAllStringFunc(s, func(id string) string { return n.name("A", id) })
	s = registryPattern.ReplaceAllStringFunc(s, func(no string) string { return n.name(no[:2], no) })
	s = txIDPattern.ReplaceAllStringFunc(s, func(id string) string {
		if name, ok := n.names[id]; ok {
			return name
		}
		return id // a hash the script passed in
	})
	return timePattern.ReplaceAllStringFunc(s, func(ts string) string {
		if n.inputs[ts] {
			return ts
		}
		return "<time>"
	})
}

// conformanceRun drives one network through the script.
type conformanceRun struct {
	t        *testing.T
	dial     func(identity) (*client.Gateway, io.Closer, error)
	gateways map[identity]*client.Gateway
	norm     *normaliser
	outcomes []stepOutcome
	// everyPeer, when set, waits after each commit until every org's peer has
	// the block: on real Fabric a commit status speaks for the gateway's own
	// peer only, and the next step may be endorsed by another.
	everyPeer bool
}

// waitForBlock polls, within a bounded deadline, until the peer of every org has
// committed the block (qscc GetChainInfo).
func (r *conformanceRun) waitForBlock(block uint64) {
	deadline := time.Now().Add(30 * time.Second)
	for _, id := range []identity{core, bank, assoc} {
		qscc := r.gateway(id).GetNetwork("warrants").GetContract("qscc")
		for {
			result, err := qscc.EvaluateTransaction("GetChainInfo", "warrants")
			require.NoError(r.t, err, "GetChainInfo on the peer of %s", id.mspID)
			var info common.BlockchainInfo
			require.NoError(r.t, proto.Unmarshal(result, &info))
			if info.GetHeight() > block {
				break
			}
			require.True(r.t, time.Now().Before(deadline), "the peer of %s did not reach block %d", id.mspID, block)
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func (r *conformanceRun) gateway(id identity) *client.Gateway {
	gw, ok := r.gateways[id]
	if !ok {
		var closer io.Closer
		var err error
		gw, closer, err = r.dial(id)
		require.NoError(r.t, err, "connect %s", id)
		r.t.Cleanup(func() { _ = closer.Close() })
		r.gateways[id] = gw
	}
	return gw
}

func (r *conformanceRun) contract(id identity) *client.Contract {
	return r.gateway(id).GetNetwork("warrants").GetContract(testnet.ChaincodeName)
}

// endorse endorses a call; on failure it records the step and returns nil.
func (r *conformanceRun) endorse(step string, id identity, function string, request any, orgs ...string) *client.Transaction {
	options := []client.ProposalOption{client.WithArguments(encode(r.t, request))}
	if len(orgs) > 0 {
		options = append(options, client.WithEndorsingOrganizations(orgs...))
	}
	proposal, err := r.contract(id).NewProposal(function, options...)
	require.NoError(r.t, err)
	r.norm.name("TX", proposal.TransactionID())
	txn, err := endorseOnceDiscovered(proposal)
	if err != nil {
		code := warrantclient.Code(err)
		endorsement := string(code)
		if code == "" {
			endorsement = "rpc:" + status.Code(err).String()
			r.t.Logf("%s: endorsement failed without a chaincode code: %v", step, errorDetails(err))
		}
		r.outcomes = append(r.outcomes, stepOutcome{Step: step, Endorsement: endorsement})
		return nil
	}
	return txn
}

// endorseOnceDiscovered endorses the proposal, and endorses it again, for at most
// 30 s, while the gateway cannot plan the endorsement
// (warrantclient.IsEndorsementUnplanned): a real Fabric gateway learns its
// channel's peers by gossip, which can lag. Any other outcome is returned at once.
func endorseOnceDiscovered(proposal *client.Proposal) (*client.Transaction, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		txn, err := proposal.Endorse()
		if err == nil || !warrantclient.IsEndorsementUnplanned(err) || time.Now().After(deadline) {
			return txn, err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// errorDetails is a gateway error with the messages of its endorsers.
func errorDetails(err error) string {
	text := err.Error()
	if s, ok := status.FromError(err); ok {
		for _, detail := range s.Details() {
			if d, ok := detail.(*gateway.ErrorDetail); ok {
				text += fmt.Sprintf("; %s (%s): %s", d.GetAddress(), d.GetMspId(), d.GetMessage())
			}
		}
	}
	return text
}

// submit submits an endorsed transaction, waits for its commit and records the step.
func (r *conformanceRun) submit(step string, txn *client.Transaction) []byte {
	if txn == nil {
		return nil
	}
	commit, err := txn.Submit()
	require.NoError(r.t, err, "%s: submit", step)
	st, err := commit.Status()
	require.NoError(r.t, err, "%s: commit status", step)
	if r.everyPeer {
		r.waitForBlock(st.BlockNumber)
	}
	r.outcomes = append(r.outcomes, stepOutcome{Step: step, Validation: st.Code.String(), Result: r.norm.text(string(txn.Result()))})
	return txn.Result()
}

// call endorses and submits in one go.
func (r *conformanceRun) call(step string, id identity, function string, request any, orgs ...string) []byte {
	return r.submit(step, r.endorse(step, id, function, request, orgs...))
}

// warrantID reads the "id" of a result.
func warrantIDOf(t *testing.T, result []byte) string {
	var w struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal(result, &w), "%s", result)
	require.NotEmpty(t, w.ID, "%s", result)
	return w.ID
}

// childOf reads the id of the child of a split result held by holder.
func childOf(t *testing.T, result []byte, holder string) string {
	var split warrant.SplitResult
	require.NoError(t, json.Unmarshal(result, &split), "%s", result)
	for _, child := range split.Children {
		if child.Holder == holder {
			return child.ID
		}
	}
	t.Fatalf("no child held by %s in %s", holder, result)
	return ""
}

// registerMembers initialises the ledger and registers the default network's member
// orgs (R34).
func registerMembers(r *conformanceRun) {
	r.call("initialise the ledger", assoc, "admin:InitLedger", warrant.InitLedgerRequest{Name: cast.Members()[0].Name})
	for _, m := range cast.Members()[1:] {
		r.call("register member "+m.MSPID, assoc, "admin:RegisterMember", testnet.RegisterMemberRequest(m))
	}
}

// runConformanceScript runs the script: the warrant's life from onboarding to a
// pledge, an MVCC read conflict, an endorsement-policy failure, custody's
// key-level endorsement, and bad input.
func runConformanceScript(r *conformanceRun, maturity time.Time) {
	t := r.t
	coreMSP, bankMSP, assocMSP := mspCore, mspBank, mspAssoc
	registerMembers(r)
	r.call("initialise the ledger again", assoc, "admin:InitLedger", warrant.InitLedgerRequest{Name: "again"})
	for _, m := range members {
		r.call("onboard "+m.id.user+"@"+m.id.mspID, assoc, "admin:OnboardEnterprise", m.enterprise)
	}
	r.call("credit line", bank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: coreCode(), Limit: 500_000_000})
	authorizeAttestors(r)

	issue := func(number string, amount int64) warrant.IssueRequest {
		return warrant.IssueRequest{Debtor: coreCode(), Holder: jinggongCode(), Amount: amount, MaturesAt: maturity,
			Trade: warrant.Trade{ContractHash: hashOf("contract " + number), Invoices: []warrant.Invoice{{
				Code: "4403261130", Number: number, Amount: amount, Seller: jinggongCode(), Buyer: coreCode(), DocumentHash: hashOf("invoice " + number)}}}}
	}
	root := warrantIDOf(t, r.call("issue", core, "issuance:Issue", issue("00900001", 100_000_000)))
	r.call("verify before the attestations", assoc, "registry:Verify", warrant.VerifyRequest{WarrantID: root, EvidenceHash: hashOf("evidence"), Passed: true})
	attest(r, root, 100_000_000)
	r.call("verify", assoc, "registry:Verify", warrant.VerifyRequest{WarrantID: root, EvidenceHash: hashOf("evidence"), Passed: true})
	r.call("register", assoc, "registry:Register", warrant.RegisterRequest{WarrantID: root})
	r.call("register again", assoc, "registry:Register", warrant.RegisterRequest{WarrantID: root})

	// An MVCC read conflict: two splits of the same warrant endorsed on the same
	// state; the second one committed reads a version the first changed.
	first := r.endorse("split A (endorsed first)", jinggong, "transfer:SplitTransfer",
		warrant.SplitTransferRequest{WarrantID: root, Parts: []warrant.Part{{Recipient: hengdaCode(), Amount: 30_000_000}}})
	second := r.endorse("split B (endorsed on the same state)", jinggong, "transfer:SplitTransfer",
		warrant.SplitTransferRequest{WarrantID: root, Parts: []warrant.Part{{Recipient: shengtongCode(), Amount: 20_000_000}}})
	split := r.submit("split A (endorsed first)", first)
	r.submit("split B (endorsed on the same state)", second)
	toHengda, kept := childOf(t, split, hengdaCode()), childOf(t, split, jinggongCode())
	r.call("accept", hengda, "transfer:Accept", warrant.OfferRequest{WarrantID: toHengda})

	// An endorsement-policy failure: MAJORITY needs two orgs' peers.
	r.call("split endorsed by one org only", jinggong, "transfer:SplitTransfer",
		warrant.SplitTransferRequest{WarrantID: kept, Parts: []warrant.Part{{Recipient: shengtongCode(), Amount: 1_000_000}}}, assocMSP)

	// Custody: a deposited warrant's key carries the custodian bank's key-level
	// endorsement policy; a change without the bank's endorsement fails validation.
	r.call("deposit", jinggong, "custody:Deposit", warrant.DepositRequest{WarrantID: kept, Custodian: bankCode()}, assocMSP, bankMSP)
	r.call("split in custody without the bank", jinggong, "transfer:SplitTransfer",
		warrant.SplitTransferRequest{WarrantID: kept, Parts: []warrant.Part{{Recipient: shengtongCode(), Amount: 2_000_000}}}, coreMSP, assocMSP)
	r.call("split in custody with the bank", jinggong, "transfer:SplitTransfer",
		warrant.SplitTransferRequest{WarrantID: kept, Parts: []warrant.Part{{Recipient: shengtongCode(), Amount: 2_000_000}}}, bankMSP, assocMSP)

	r.call("request financing", hengda, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: toHengda, Financier: bankCode()})
	r.call("pledge", bank, "finance:Pledge", warrant.PledgeRequest{WarrantID: toHengda, Amount: 20_000_000})
	r.call("pledge again", bank, "finance:Pledge", warrant.PledgeRequest{WarrantID: toHengda, Amount: 1_000_000})

	// Bad input and unauthorised calls: refused at endorsement, nothing written.
	r.call("malformed JSON", core, "issuance:Issue", `{"debtor":`)
	r.call("unknown field", core, "issuance:Issue", `{"debtor":"`+coreCode()+`","bogus":1}`)
	r.call("negative amount", core, "issuance:Issue", issue("00900002", -1))
	r.call("issue by a supplier", jinggong, "issuance:Issue", issue("00900003", 1_000_000))
	r.call("unknown function", core, "issuance:Nope", "{}")
}

// authorizeAttestors has the admin authorise the cast's attestors (R30).
func authorizeAttestors(r *conformanceRun) {
	for _, a := range testnet.Attestors {
		r.call("authorise attestor "+a.CreditCode, assoc, "admin:AuthorizeAttestor", a)
	}
}

// attest records the default required attestations of an issued warrant (R30): the
// independent tax-invoice check and the buyer's goods receipt.
func attest(r *conformanceRun, warrantID string, amount int64) {
	for _, a := range []struct {
		by   identity
		kind warrant.AttestationKind
	}{{shulian, warrant.AttestTaxInvoice}, {core, warrant.AttestGoodsReceipt}} {
		r.call("attest "+string(a.kind), a.by, "registry:Attest", warrant.AttestRequest{WarrantID: warrantID, Kind: a.kind,
			Passed: true, ConfirmedAmount: amount, EvidenceHash: hashOf(string(a.kind) + " evidence")})
	}
}

// Credit codes of the script's enterprises.
func coreCode() string      { return identityCode(core) }
func jinggongCode() string  { return identityCode(jinggong) }
func hengdaCode() string    { return identityCode(hengda) }
func shengtongCode() string { return identityCode(shengtong) }
func bankCode() string      { return identityCode(bank) }

// identityCode is the credit code of the member an identity acts for.
func identityCode(id identity) string {
	for _, m := range members {
		if m.id == id {
			return m.enterprise.CreditCode
		}
	}
	panic("no member " + id.String())
}

// hashOf is the hex SHA-256 of s, a fixed digest input.
func hashOf(s string) string { return testnet.Hash(s) }

// readLedger reads every block of the channel as the association's ERP, the
// identity it designates to read full blocks, and returns the chaincode events
// and world state of the warrant chaincode.
func readLedger(t *testing.T, dial func(identity) (*client.Gateway, io.Closer, error), height uint64, norm *normaliser) ledgerView {
	t.Helper()
	gw, closer, err := dial(assocERP)
	require.NoError(t, err)
	defer closer.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	blocks, err := gw.GetNetwork("warrants").BlockEvents(ctx, client.WithStartBlock(0))
	require.NoError(t, err)
	view := ledgerView{State: map[string]string{}}
	values, metadata := map[string][]byte{}, map[string]string{}
	for number := uint64(0); number < height; number++ {
		block, ok := <-blocks
		require.True(t, ok, "block %d", number)
		filter := block.GetMetadata().GetMetadata()[common.BlockMetadataIndex_TRANSACTIONS_FILTER]
		for i, data := range block.GetData().GetData() {
			if peer.TxValidationCode(filter[i]) != peer.TxValidationCode_VALID {
				continue
			}
			applyTransaction(t, data, values, metadata, &view, norm)
		}
	}
	for key, value := range values {
		view.State[norm.text(key)] = norm.text(string(value))
	}
	for key, meta := range metadata {
		view.State["metadata "+norm.text(key)] = meta
	}
	return view
}

// applyTransaction applies a valid endorser transaction's writes to the warrant
// chaincode's namespace and collects its chaincode event.
func applyTransaction(t *testing.T, data []byte, values map[string][]byte, metadata map[string]string, view *ledgerView, norm *normaliser) {
	var env common.Envelope
	require.NoError(t, proto.Unmarshal(data, &env))
	var payload common.Payload
	require.NoError(t, proto.Unmarshal(env.GetPayload(), &payload))
	var header common.ChannelHeader
	require.NoError(t, proto.Unmarshal(payload.GetHeader().GetChannelHeader(), &header))
	if common.HeaderType(header.GetType()) != common.HeaderType_ENDORSER_TRANSACTION {
		return
	}
	var tx peer.Transaction
	require.NoError(t, proto.Unmarshal(payload.GetData(), &tx))
	for _, action := range tx.GetActions() {
		var ccPayload peer.ChaincodeActionPayload
		require.NoError(t, proto.Unmarshal(action.GetPayload(), &ccPayload))
		var prp peer.ProposalResponsePayload
		require.NoError(t, proto.Unmarshal(ccPayload.GetAction().GetProposalResponsePayload(), &prp))
		var ccAction peer.ChaincodeAction
		require.NoError(t, proto.Unmarshal(prp.GetExtension(), &ccAction))
		if ccAction.GetChaincodeId().GetName() != testnet.ChaincodeName {
			continue
		}
		var rws rwset.TxReadWriteSet
		require.NoError(t, proto.Unmarshal(ccAction.GetResults(), &rws))
		for _, ns := range rws.GetNsRwset() {
			if ns.GetNamespace() != testnet.ChaincodeName {
				continue
			}
			var kv kvrwset.KVRWSet
			require.NoError(t, proto.Unmarshal(ns.GetRwset(), &kv))
			for _, write := range kv.GetWrites() {
				if write.GetIsDelete() {
					delete(values, write.GetKey())
				} else {
					values[write.GetKey()] = write.GetValue()
				}
			}
			for _, write := range kv.GetMetadataWrites() {
				var entries []string
				for _, entry := range write.GetEntries() {
					entries = append(entries, fmt.Sprintf("%s=%x", entry.GetName(), entry.GetValue()))
				}
				sort.Strings(entries)
				metadata[write.GetKey()] = strings.Join(entries, ",")
			}
		}
		if len(ccAction.GetEvents()) > 0 {
			var event peer.ChaincodeEvent
			require.NoError(t, proto.Unmarshal(ccAction.GetEvents(), &event))
			view.Events = append(view.Events, norm.text(event.GetEventName()+" "+string(event.GetPayload())))
		}
	}
}

// conformanceResult is one network's whole run.
type conformanceResult struct {
	Outcomes []stepOutcome
	Ledger   ledgerView
}

// runConformance runs the script on a network and reads its ledger.
// height gives the channel's height once every peer has committed the script.
// everyPeer waits after each commit for every peer to have it (real Fabric only:
// the dev network serves no qscc).
func runConformance(t *testing.T, dial func(identity) (*client.Gateway, io.Closer, error), height func() uint64, everyPeer bool, maturity time.Time) conformanceResult {
	norm := newNormaliser(maturity.Format(time.RFC3339), maturity.Format(time.RFC3339Nano))
	r := &conformanceRun{t: t, dial: dial, gateways: map[identity]*client.Gateway{}, norm: norm, everyPeer: everyPeer}
	runConformanceScript(r, maturity)
	return conformanceResult{Outcomes: r.outcomes, Ledger: readLedger(t, dial, height(), norm)}
}

// TestRealFabricConformance runs one transaction script on the dev network and on
// real Fabric and compares, step by step, the endorsement stepOutcome (chaincode
// error codes), the validation code and the chaincode's response, then the
// chaincode events of the valid transactions in order and the final world state
// with its key-level endorsement policies. Differences that are not fixed are
// listed in network/README.md ("Known differences").
func TestRealFabricConformance(t *testing.T) {
	requireFabricBin(t)
	maturity := time.Now().UTC().Add(60 * 24 * time.Hour).Truncate(24 * time.Hour)

	dev := testnet.StartWith(t, testnet.Options{Bare: true})
	devDial := func(id identity) (*client.Gateway, io.Closer, error) {
		gw, err := dev.Network.Connect(id.mspID, id.user)
		if err != nil {
			return nil, nil, err
		}
		return gw.Gateway, gw, nil
	}
	onDev := runConformance(t, devDial, dev.Height, false, maturity)

	native := startNative(t)
	onFabric := runConformance(t, native.dial, func() uint64 { return requireSameChain(t, native.dial, "warrants").Height }, true, maturity)

	for i := range onFabric.Outcomes {
		t.Logf("%-40s endorsement=%-20q validation=%s", onFabric.Outcomes[i].Step, onFabric.Outcomes[i].Endorsement, onFabric.Outcomes[i].Validation)
	}
	require.Equal(t, onFabric.Outcomes, onDev.Outcomes, "per-transaction outcomes: real Fabric (expected) vs dev network (actual)")
	require.Equal(t, onFabric.Ledger.Events, onDev.Ledger.Events, "chaincode events")
	require.Equal(t, onFabric.Ledger.State, onDev.Ledger.State, "world state")

	// The script exercises what it claims to.
	codes := map[string]string{}
	for _, o := range onFabric.Outcomes {
		codes[o.Step] = o.Endorsement + o.Validation
	}
	require.Equal(t, "MVCC_READ_CONFLICT", codes["split B (endorsed on the same state)"])
	require.Equal(t, "ENDORSEMENT_POLICY_FAILURE", codes["split endorsed by one org only"])
	require.Equal(t, "ENDORSEMENT_POLICY_FAILURE", codes["split in custody without the bank"])
	require.Equal(t, "VALID", codes["split in custody with the bank"])
	require.Equal(t, string(warrant.CodeInvalidArgument), codes["malformed JSON"])
}
