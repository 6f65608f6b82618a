package warrant

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The fictional cast of the project's fixtures (valid GB 32100-2015 codes).
const (
	codeCore   = "9144030052601815XN" // 深圳华芯电子制造股份有限公司, core enterprise
	codeT1A    = "91440300908301663N" // 深圳精工模具有限公司, tier 1
	codeT1ARel = "91440300518190937Y" // 深圳精工贸易有限公司, related party of t1a
	codeT1B    = "91441900131860916B" // 东莞联创线缆有限公司, tier 1
	codeT2A    = "914413003909960334" // 惠州恒达五金制品有限公司, tier 2
	codeT2B    = "92440300082462814A" // 深圳市宝安区晟通包装厂, tier 2
	codeT3A    = "91442000948219939P" // 中山永盛注塑加工有限公司, tier 3
	codeBank   = "914403007865797541" // 深圳前海合作银行
	codeAssoc  = "51440300MJL4323104" // 深圳市供应链金融协会
)

type castMember struct {
	code, name, msp, controller string
	roles                       []Role
}

var cast = []castMember{
	{codeCore, "深圳华芯电子制造股份有限公司", MSPCoreEnterprise, "huaxin-group", []Role{RoleIssuer}},
	{codeT1A, "深圳精工模具有限公司", MSPAssociation, "chen-family", []Role{RoleHolder}},
	{codeT1ARel, "深圳精工贸易有限公司", MSPAssociation, "chen-family", []Role{RoleHolder}},
	{codeT1B, "东莞联创线缆有限公司", MSPAssociation, "lianchuang", []Role{RoleHolder}},
	{codeT2A, "惠州恒达五金制品有限公司", MSPAssociation, "hengda", []Role{RoleHolder}},
	{codeT2B, "深圳市宝安区晟通包装厂", MSPAssociation, "shengtong", []Role{RoleHolder}},
	{codeT3A, "中山永盛注塑加工有限公司", MSPAssociation, "yongsheng", []Role{RoleHolder}},
	{codeBank, "深圳前海合作银行", MSPBank, "qianhai-bank", []Role{RoleCustodian, RoleFinancier, RoleHolder}},
	{codeAssoc, "深圳市供应链金融协会", MSPAssociation, "association", []Role{RoleVerifier, RoleRegistrar, RoleRegulator, RoleAdmin}},
}

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
	for _, m := range cast {
		_, _, err := OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), OnboardEnterpriseRequest{
			CreditCode: m.code, Name: m.name, MSPID: m.msp, Roles: m.roles, Controller: m.controller})
		require.NoError(t, err)
	}
	_, _, err := SetCreditLine(e.st, e.tx(), e.as(codeBank), SetCreditLineRequest{Debtor: codeCore, Limit: 1e12})
	require.NoError(t, err)
	return e
}

func (e *env) tx() Tx {
	e.n++
	return NewTx(fmt.Sprintf("tx-%06d", e.n), e.now)
}

// as returns the caller of a cast member, with its onboarded roles.
func (e *env) as(code string) Caller {
	for _, m := range cast {
		if m.code == code {
			roles := make([]string, len(m.roles))
			for i, r := range m.roles {
				roles[i] = string(r)
			}
			return NewCaller(m.msp, m.code, strings.Join(roles, ","))
		}
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
		t.Invoices = append(t.Invoices, Invoice{Code: "4403261130", Number: fmt.Sprintf("%08d", e.invNo), Amount: a,
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

func (e *env) verify(id string) *Warrant {
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
	w, err := GetWarrant(e.st, id)
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
