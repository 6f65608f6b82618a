package warrant

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/test/cast"
)

// The fictional cast of the project's fixtures (package test/cast).
var (
	members    = cast.Enterprises()
	codeCore   = cast.Get(cast.Core).CreditCode
	codeT1A    = cast.Get(cast.T1A).CreditCode
	codeT1ARel = cast.Get(cast.T1ARelated).CreditCode
	codeT1B    = cast.Get(cast.T1B).CreditCode
	codeT2A    = cast.Get(cast.T2A).CreditCode
	codeT2B    = cast.Get(cast.T2B).CreditCode
	codeT3A    = cast.Get(cast.T3A).CreditCode
	codeBank   = cast.Get(cast.Bank).CreditCode
	codeAssoc  = cast.Get(cast.Association).CreditCode
	codeCheck  = cast.Get(cast.InvoiceCheck).CreditCode
	// invoiceCode is the code of the cast's invoices; tests number fresh ones.
	invoiceCode = cast.FirstTrade().Invoices[0].Code
)

// MSP IDs of the cast's orgs (test/cast), as the fixtures register them (R34).
const (
	MSPCoreEnterprise = "CoreEnterpriseMSP"
	MSPBank           = "BankMSP"
	MSPAssociation    = "AssociationMSP"
)

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// env is a ledger with the cast onboarded and a credit line for the core enterprise.
type env struct {
	t     testing.TB
	st    *MemState
	now   time.Time
	n     int
	invNo int
}

func newEnv(t testing.TB) *env {
	e := &env{t: t, st: NewMemState(), now: t0}
	e.registerMembers(cast.Members())
	for _, m := range members {
		_, _, err := OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), OnboardEnterpriseRequest{
			CreditCode: m.CreditCode, Name: m.Name, MSPID: m.Org, Roles: cast.Roles[Role](m), Controller: m.Controller})
		require.NoError(t, err)
		if len(m.Attests) > 0 {
			_, _, err := AuthorizeAttestor(e.st, e.tx(), e.as(codeAssoc), AuthorizeAttestorRequest{
				CreditCode: m.CreditCode, Kinds: cast.Attests[AttestationKind](m)})
			require.NoError(t, err)
		}
	}
	_, _, err := SetCreditLine(e.st, e.tx(), e.as(codeBank), SetCreditLineRequest{Debtor: codeCore, Limit: 1e12})
	require.NoError(t, err)
	return e
}

// registerMembers initialises the ledger with the association (the first of orgs) and
// registers the other orgs (R34).
func (e *env) registerMembers(orgs []cast.Member) {
	e.t.Helper()
	_, _, err := InitLedger(e.st, e.tx(), e.as(codeAssoc), MSPAssociation, InitLedgerRequest{Name: orgs[0].Name})
	require.NoError(e.t, err)
	for _, m := range orgs[1:] {
		_, _, err := RegisterMember(e.st, e.tx(), e.as(codeAssoc), RegisterMemberRequest{MSPID: m.MSPID, Kind: MemberKind(m.Kind), Name: m.Name})
		require.NoError(e.t, err)
	}
}

func (e *env) tx() Tx {
	e.n++
	return NewTx(fmt.Sprintf("tx-%06d", e.n), e.now)
}

// as returns the caller of a cast member, with its onboarded roles.
func (e *env) as(code string) Caller {
	if m, ok := cast.ByCreditCode(code); ok {
		return NewCaller(m.Org, m.CreditCode, strings.Join(m.Roles, ","))
	}
	e.t.Fatalf("unknown cast member %s", code)
	return Caller{}
}

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// trade returns a fresh trade of invoices from seller to the core enterprise.
func (e *env) trade(seller string, amounts ...int64) Trade {
	t := Trade{ContractHash: hashOf(fmt.Sprintf("contract-%d", e.invNo))}
	for _, a := range amounts {
		e.invNo++
		t.Invoices = append(t.Invoices, Invoice{Code: invoiceCode, Number: fmt.Sprintf("%08d", e.invNo), Amount: a,
			Seller: seller, Buyer: codeCore, DocumentHash: hashOf(fmt.Sprintf("invoice-%d", e.invNo))})
	}
	return t
}

func (e *env) issueReq(holder string, amount int64) IssueRequest {
	return IssueRequest{Debtor: codeCore, Holder: holder, Amount: amount, MaturesAt: e.now.AddDate(0, 0, 90),
		Trade: e.trade(holder, amount)}
}

func (e *env) issue(holder string, amount int64) *Warrant {
	w, _, err := Issue(e.st, e.tx(), e.as(codeCore), e.issueReq(holder, amount))
	require.NoError(e.t, err)
	return w
}

// attest records the default required attestations of a warrant: the tax-invoice
// check by the independent attestor and the goods receipt by the buyer (R30).
func (e *env) attest(id string) {
	w := e.get(id)
	for _, a := range []struct {
		by   string
		kind AttestationKind
	}{{codeCheck, AttestTaxInvoice}, {w.Debtor, AttestGoodsReceipt}} {
		_, _, err := Attest(e.st, e.tx(), e.as(a.by), AttestRequest{WarrantID: id, Kind: a.kind, Passed: true,
			ConfirmedAmount: w.Amount, EvidenceHash: hashOf("attestation " + string(a.kind))})
		require.NoError(e.t, err)
	}
}

// verify attests and verifies a warrant.
func (e *env) verify(id string) *Warrant {
	e.attest(id)
	w, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: id, EvidenceHash: hashOf("evidence"), Passed: true})
	require.NoError(e.t, err)
	return w
}

// active issues, verifies and registers a warrant.
func (e *env) active(holder string, amount int64) *Warrant {
	w := e.issue(holder, amount)
	require.Equal(e.t, StatusVerified, e.verify(w.ID).Status)
	w, _, err := Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: w.ID})
	require.NoError(e.t, err)
	return w
}

func (e *env) split(holder, id string, parts ...Part) *SplitResult {
	res, _, err := SplitTransfer(e.st, e.tx(), e.as(holder), SplitTransferRequest{WarrantID: id, Parts: parts})
	require.NoError(e.t, err)
	return res
}

func (e *env) get(id string) *Warrant {
	w, err := GetWarrant(e.st, regulator, id)
	require.NoError(e.t, err)
	return w
}

// rejects runs op and requires an error with the given code and an unchanged state (R18).
func (e *env) rejects(want Code, op func(e *env) error) {
	e.t.Helper()
	before := e.st.Snapshot()
	err := op(e)
	require.Error(e.t, err)
	require.Equal(e.t, want, ErrorCode(err), "error: %v", err)
	var typed *Error
	require.ErrorAs(e.t, err, &typed)
	requireSameState(e.t, before, e.st.Snapshot())
}

// confirm has the paying bank confirm a SETTLING leaf by bank transfer, one payment per
// payee share (R32).
func (e *env) confirm(id string) *Warrant {
	e.t.Helper()
	w := e.get(id)
	var pays []ConfirmedPayment
	for i, sh := range w.Settlement.Payees {
		pays = append(pays, ConfirmedPayment{Payee: sh.Payee, PayeeAccount: "4000-0000-" + sh.Payee[10:],
			Amount: sh.Amount, PaymentRef: fmt.Sprintf("QH-%s-%d", id, i)})
	}
	w, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), ConfirmSettlementRequest{WarrantID: id,
		Channel: ChannelBankTransfer, Payments: pays})
	require.NoError(e.t, err)
	return w
}

// summary reads a root's summary at the env's time.
func (e *env) summary(rootID string) *RootSummary {
	e.t.Helper()
	s, err := GetRootSummary(e.st, e.as(codeAssoc), rootID, e.now)
	require.NoError(e.t, err)
	return s
}

// conserved checks R9 for a root.
func (e *env) conserved(rootID string) {
	e.t.Helper()
	require.NoError(e.t, CheckConservation(e.st, rootID))
}

func eventPayload(t testing.TB, ev Event) EventPayload {
	var p EventPayload
	require.NoError(t, jsonUnmarshal(ev.Payload, &p))
	return p
}

// regulator reads as the association (R20).
var regulator = NewCaller(MSPAssociation, "", string(RoleRegulator))
