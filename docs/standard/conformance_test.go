package standard_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/docs/standard"
	"github.com/scfledger/warrants/test/cast"
)

// compile compiles the checked-in schemas.
func compile(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range standard.Names {
		data, err := standard.Files.ReadFile("v1/" + name + ".schema.json")
		require.NoError(t, err)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		require.NoError(t, err)
		require.NoError(t, c.AddResource(schemaID(name), doc))
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range standard.Names {
		s, err := c.Compile(schemaID(name))
		require.NoError(t, err, name)
		out[name] = s
	}
	return out
}

func validate(t *testing.T, s *jsonschema.Schema, what string, data []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err, what)
	require.NoError(t, s.Validate(doc), "%s does not conform: %s", what, data)
}

// story runs every kind of operation once on an in-memory ledger and keeps each event.
type story struct {
	t      *testing.T
	st     *warrant.MemState
	now    time.Time
	n      int
	events []warrant.Event
}

func (s *story) as(key string) warrant.Caller {
	e := cast.Get(key)
	return warrant.NewCaller(e.Org, e.CreditCode, strings.Join(e.Roles, ","))
}

func (s *story) tx() warrant.Tx {
	s.n++
	return warrant.NewTx(fmt.Sprintf("tx-%04d", s.n), s.now)
}

// do runs an operation and keeps its event; it must succeed.
func do[Req, Res any](s *story, key string, op func(warrant.State, warrant.Tx, warrant.Caller, Req) (Res, warrant.Effects, error), req Req) Res {
	s.t.Helper()
	res, eff, err := op(s.st, s.tx(), s.as(key), req)
	require.NoError(s.t, err)
	s.events = append(s.events, eff.Event)
	return res
}

func digest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

func code(key string) string { return cast.Get(key).CreditCode }

// issue issues a warrant of amount to T1A with a fresh invoice.
func (s *story) issue(amount int64, number string) *warrant.Warrant {
	return do(s, cast.Core, warrant.Issue, warrant.IssueRequest{Debtor: code(cast.Core), Holder: code(cast.T1A), Amount: amount,
		MaturesAt: s.now.AddDate(0, 0, 90), Trade: warrant.Trade{ContractHash: digest("contract " + number),
			Invoices: []warrant.Invoice{{Code: cast.FirstTrade().Invoices[0].Code, Number: number, Amount: amount,
				Seller: code(cast.T1A), Buyer: code(cast.Core), DocumentHash: digest("invoice " + number)}}}})
}

func (s *story) attest(w *warrant.Warrant, key string, kind warrant.AttestationKind, passed bool, reasons ...string) *warrant.Warrant {
	req := warrant.AttestRequest{WarrantID: w.ID, Kind: kind, Passed: passed, EvidenceHash: digest(string(kind) + w.ID), Reasons: reasons}
	if passed {
		req.ConfirmedAmount = w.Amount
	}
	return do(s, key, warrant.Attest, req)
}

// run is the story: onboarding, attestations, buyer-paid interest, a transfer, a
// pledge, a factoring, custody, a freeze, a confirmed e-CNY settlement, a rejection
// by an attestor and a cancellation.
func (s *story) run() (root *warrant.Warrant, registryNo string) {
	members := cast.Members()
	do(s, cast.Association, func(st warrant.State, tx warrant.Tx, c warrant.Caller, req warrant.InitLedgerRequest) (*warrant.Member, warrant.Effects, error) {
		return warrant.InitLedger(st, tx, c, members[0].MSPID, req)
	}, warrant.InitLedgerRequest{Name: members[0].Name})
	for _, m := range members[1:] {
		do(s, cast.Association, warrant.RegisterMember, warrant.RegisterMemberRequest{MSPID: m.MSPID, Kind: warrant.MemberKind(m.Kind), Name: m.Name})
	}
	for _, e := range cast.Enterprises() {
		do(s, cast.Association, warrant.OnboardEnterprise, warrant.OnboardEnterpriseRequest{CreditCode: e.CreditCode, Name: e.Name,
			MSPID: e.Org, Roles: cast.Roles[warrant.Role](e), Controller: e.Controller})
		if len(e.Attests) > 0 {
			do(s, cast.Association, warrant.AuthorizeAttestor, warrant.AuthorizeAttestorRequest{CreditCode: e.CreditCode,
				Kinds: cast.Attests[warrant.AttestationKind](e)})
		}
	}
	do(s, cast.Bank, warrant.SetCreditLine, warrant.SetCreditLineRequest{Debtor: code(cast.Core), Limit: 1e12})
	do(s, cast.Association, warrant.SetParams, warrant.DefaultParams())

	root = s.issue(10_000_000, "90000001")
	do(s, cast.Core, warrant.ArrangeInterest, warrant.ArrangeInterestRequest{WarrantID: root.ID, Payer: warrant.PayerBuyer,
		RateBP: 365, DayCount: warrant.DayCountAct365})
	s.attest(root, cast.InvoiceCheck, warrant.AttestTaxInvoice, true)
	s.attest(root, cast.Core, warrant.AttestGoodsReceipt, true)
	do(s, cast.Association, warrant.Verify, warrant.VerifyRequest{WarrantID: root.ID, EvidenceHash: digest("v"), Passed: true})
	root = do(s, cast.Association, warrant.Register, warrant.RegisterRequest{WarrantID: root.ID})
	split := do(s, cast.T1A, warrant.SplitTransfer, warrant.SplitTransferRequest{WarrantID: root.ID, Parts: []warrant.Part{
		{Recipient: code(cast.T2A), Amount: 4_000_000}, {Recipient: code(cast.T2B), Amount: 1_000_000}}})
	hengda, shengtong, rest := split.Children[0], split.Children[1], split.Children[2]
	do(s, cast.T2A, warrant.Accept, warrant.OfferRequest{WarrantID: hengda.ID})
	do(s, cast.T2B, warrant.Reject, warrant.OfferRequest{WarrantID: shengtong.ID})
	do(s, cast.T2A, warrant.RequestFinancing, warrant.FinancingRequest{WarrantID: hengda.ID, Financier: code(cast.Bank)})
	do(s, cast.Bank, warrant.TakePledge, warrant.PledgeRequest{WarrantID: hengda.ID, Amount: 3_000_000})
	do(s, cast.T1A, warrant.RequestFinancing, warrant.FinancingRequest{WarrantID: rest.ID, Financier: code(cast.Bank)})
	factored := do(s, cast.Bank, warrant.Factor, warrant.BankWarrantRequest{WarrantID: rest.ID})
	require.NotNil(s.t, factored.Children[0].Discount, "buyer-paid interest on the discount")
	do(s, cast.Association, warrant.Freeze, warrant.FreezeRequest{WarrantID: hengda.ID, Reason: "court order"})
	do(s, cast.Association, warrant.Unfreeze, warrant.FreezeRequest{WarrantID: hengda.ID, Reason: "lifted"})

	s.now = root.MaturesAt
	settling := do(s, cast.Core, warrant.Settle, warrant.SettleRequest{WarrantID: hengda.ID, PaymentRef: "HX-1", PayingBank: code(cast.Bank)})
	var pays []warrant.ConfirmedPayment
	for i, share := range settling.Settlement.Payees {
		pays = append(pays, warrant.ConfirmedPayment{Payee: share.Payee, PayeeAccount: "ECNY-" + share.Payee, Amount: share.Amount,
			PaymentRef: fmt.Sprintf("ECNY-%d", i), PayerWallet: "0021000000000001", PayeeWallet: fmt.Sprintf("00210000000000%02d", 10+i)})
	}
	do(s, cast.Bank, warrant.ConfirmSettlement, warrant.ConfirmSettlementRequest{WarrantID: hengda.ID, Channel: warrant.ChannelECNY, Payments: pays})
	do(s, cast.Core, warrant.SettleRoot, warrant.SettleRootRequest{RootID: root.ID, PaymentRef: "HX-2", PayingBank: code(cast.Bank)})

	s.now = s.now.Add(time.Hour)
	rejected := s.issue(5_000, "90000002")
	s.attest(rejected, cast.InvoiceCheck, warrant.AttestTaxInvoice, false, "invoice voided")
	cancelled := s.issue(5_000, "90000003")
	do(s, cast.Core, warrant.Cancel, warrant.CancelRequest{WarrantID: cancelled.ID, Reason: "withdrawn"})
	return root, root.RegistryNo
}

// TestWarrantStandardValidatesEveryWarrantAndEvent runs the story and validates every
// warrant stored on the ledger, every event emitted, the registry record and the export
// against the checked-in schemas (R33).
func TestWarrantStandardValidatesEveryWarrantAndEvent(t *testing.T) {
	schemas := compile(t)
	s := &story{t: t, st: warrant.NewMemState(), now: time.Date(2028, 2, 1, 2, 0, 0, 0, time.UTC)}
	root, registryNo := s.run()

	prefix, err := warrant.WarrantKey("")
	require.NoError(t, err)
	prefix = strings.TrimSuffix(prefix, "\x00")
	stored := 0
	statuses := map[warrant.Status]bool{}
	for _, kv := range s.st.Snapshot() {
		if !strings.HasPrefix(kv.Key, prefix) {
			continue
		}
		stored++
		validate(t, schemas[standard.WarrantSchema], "stored warrant "+kv.Key, kv.Value)
		var w warrant.Warrant
		require.NoError(t, json.Unmarshal(kv.Value, &w))
		require.Equal(t, warrant.StandardVersion, w.Standard, "every warrant records the standard it conforms to")
		statuses[w.Status] = true
	}
	require.GreaterOrEqual(t, stored, 8)
	for _, want := range []warrant.Status{warrant.StatusSplit, warrant.StatusSettled, warrant.StatusSettling, warrant.StatusReturned,
		warrant.StatusRejected, warrant.StatusCancelled} {
		require.True(t, statuses[want], "the story leaves a %s warrant", want)
	}

	names := map[string]bool{}
	for i, ev := range s.events {
		data, err := json.Marshal(map[string]json.RawMessage{"name": json.RawMessage(`"` + ev.Name + `"`), "payload": ev.Payload})
		require.NoError(t, err)
		validate(t, schemas[standard.EventSchema], fmt.Sprintf("event %d (%s)", i, ev.Name), data)
		names[ev.Name] = true
	}
	require.GreaterOrEqual(t, len(names), 20, "the story emits most kinds of event")

	record, err := lookupRegistryRecord(s.st, registryNo)
	require.NoError(t, err)
	data, err := json.Marshal(record)
	require.NoError(t, err)
	validate(t, schemas[standard.RegistryRecordSchema], "registry record", data)

	lineage, err := warrant.Lineage(s.st, s.as(cast.Association), warrant.LineageRequest{RootID: root.ID, PageSize: warrant.MaxPageSize})
	require.NoError(t, err)
	summary, err := warrant.GetRootSummary(s.st, s.as(cast.Association), root.ID, s.now)
	require.NoError(t, err)
	export := warrant.Export{Standard: warrant.StandardVersion, Root: lineage.Items[0], Lineage: lineage.Items, Summary: summary}
	data, err = json.Marshal(export)
	require.NoError(t, err)
	validate(t, schemas[standard.ExportSchema], "export", data)
	require.Positive(t, summary.InterestDue, "the root summary shows the buyer-paid interest")

	t.Run("A warrant that breaks the standard is refused", func(t *testing.T) {
		var w map[string]any
		require.NoError(t, json.Unmarshal(data, &w))
		for _, broken := range []func(m map[string]any){
			func(m map[string]any) { m["root"].(map[string]any)["standard"] = "scf-warrant/0.9" },
			func(m map[string]any) { m["root"].(map[string]any)["status"] = "PAID" },
			func(m map[string]any) { m["root"].(map[string]any)["amount"] = "1000" },
			func(m map[string]any) { m["root"].(map[string]any)["rumour"] = true },
			func(m map[string]any) { delete(m["root"].(map[string]any), "debtor") },
		} {
			var m map[string]any
			require.NoError(t, json.Unmarshal(data, &m))
			broken(m)
			b, err := json.Marshal(m)
			require.NoError(t, err)
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			require.NoError(t, err)
			require.Error(t, schemas[standard.ExportSchema].Validate(doc))
		}
	})
}
