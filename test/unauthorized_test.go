package test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/testnet"
)

// guarded is a mutating contract function, a request that only the rules of
// R2/R3 stand in the way of, and the identities those rules allow.
type guarded struct {
	function string
	request  any
	allowed  []identity
	// refused lists identities that R2/R3 allow but another rule refuses here,
	// with the code that rule gives.
	refused map[identity]warrant.Code
}

// targets are the warrants and records the guarded requests act on.
type targets struct {
	active, issued, verified, pending, deposited, financed, pledged, frozen warrant.Warrant
	application                                                             warrant.Application
	suspended                                                               string
}

// prepareTargets puts every target in the state its function needs.
func (c *chain) prepareTargets() targets {
	c.t.Helper()
	var x targets
	x.active = c.active(jinggong, 1_000_000, inDays(90))
	x.issued = c.issued(jinggong, 1_000_000, inDays(90))
	x.verified = c.verified(jinggong, 1_000_000, inDays(90))
	x.pending = c.offered(jinggong, hengda)
	x.deposited = c.active(lianchuang, 1_000_000, inDays(90))
	c.mustSubmit(lianchuang, "custody:Deposit", warrant.DepositRequest{WarrantID: x.deposited.ID, Custodian: codeOf(bank)}, &x.deposited)
	x.financed = c.active(shengtong, 1_000_000, inDays(90))
	c.mustSubmit(shengtong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: x.financed.ID, Financier: codeOf(bank)}, &x.financed)
	x.pledged = c.active(yongsheng, 1_000_000, inDays(90))
	c.mustSubmit(yongsheng, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: x.pledged.ID, Financier: codeOf(bank)}, nil)
	c.mustSubmit(bank, "finance:Pledge", warrant.PledgeRequest{WarrantID: x.pledged.ID, Amount: 500_000}, &x.pledged)
	x.frozen = c.active(hengda, 1_000_000, inDays(90))
	c.mustSubmit(assoc, "regulator:Freeze", warrant.FreezeRequest{WarrantID: x.frozen.ID, Reason: "court order"}, nil)
	c.mustSubmit(jinggong, "issuance:Apply", c.applyRequest(), &x.application)
	x.suspended = withCheck("91440300MA5F00001")
	c.mustSubmit(assoc, "admin:OnboardEnterprise", enterprise(x.suspended, "深圳市停业贸易有限公司", mspAssoc, "suspended", "holder"), nil)
	c.mustSubmit(assoc, "admin:SuspendEnterprise", warrant.EnterpriseStatusRequest{CreditCode: x.suspended, Reason: "licence revoked"}, nil)
	return x
}

// applyRequest is a supplier's application to the core enterprise.
func (c *chain) applyRequest() warrant.ApplyRequest {
	issue := c.issueRequest(jinggong, 1_000_000, inDays(90))
	return warrant.ApplyRequest{Debtor: issue.Debtor, Amount: issue.Amount, MaturesAt: issue.MaturesAt, Trade: issue.Trade}
}

// guardedFunctions is every mutating function of the warrant chaincode, with
// the identities of the default network that R2/R3 let call it on x.
func (c *chain) guardedFunctions(x targets) []guarded {
	holders := []identity{bank, jinggong, jinggongTrading, lianchuang, hengda, shengtong, yongsheng}
	reason := "ordered by the court"
	return []guarded{
		{function: "admin:OnboardEnterprise", allowed: []identity{assoc},
			request: enterprise(withCheck("91440300MA5F00002"), "深圳市新晋科技有限公司", mspAssoc, "newcomer", "holder")},
		{function: "admin:UpdateEnterprise", allowed: []identity{assoc},
			request: warrant.UpdateEnterpriseRequest{CreditCode: codeOf(yongsheng), Controller: "jinggong-family"}},
		{function: "admin:SuspendEnterprise", allowed: []identity{assoc},
			request: warrant.EnterpriseStatusRequest{CreditCode: codeOf(yongsheng), Reason: reason}},
		{function: "admin:ReinstateEnterprise", allowed: []identity{assoc},
			request: warrant.EnterpriseStatusRequest{CreditCode: x.suspended, Reason: reason}},
		{function: "admin:InitLedger", request: warrant.InitLedgerRequest{Name: "假协会"},
			// The ledger is initialised once (R34).
			refused: map[identity]warrant.Code{assoc: warrant.CodeAlreadyExists}},
		{function: "admin:RegisterMember", allowed: []identity{assoc},
			request: warrant.RegisterMemberRequest{MSPID: "Bank9MSP", Kind: warrant.KindBank, Name: "新银行"}},
		{function: "admin:SuspendMember", allowed: []identity{assoc},
			request: warrant.MemberStatusRequest{MSPID: mspBank, Reason: reason}},
		{function: "admin:ReinstateMember", allowed: []identity{assoc},
			request: warrant.MemberStatusRequest{MSPID: mspBank, Reason: reason}},
		{function: "admin:SetParams", allowed: []identity{assoc},
			request: warrant.Params{AmountCap: 1e15, MaxTenorDays: 365, MinUnit: 1, MaxParts: 100, MaxDepth: 64, AcceptanceWindowDays: 1}},
		{function: "admin:SetCreditLine", allowed: []identity{bank},
			request: warrant.SetCreditLineRequest{Debtor: codeOf(core), Limit: 1e15}},
		{function: "issuance:Issue", allowed: []identity{core}, request: c.issueRequest(jinggong, 1_000, inDays(30))},
		{function: "issuance:Apply", allowed: holders, request: c.applyRequest()},
		{function: "issuance:ConfirmApplication", allowed: []identity{core},
			request: warrant.ApplicationDecisionRequest{ApplicationID: x.application.ID}},
		{function: "issuance:DeclineApplication", allowed: []identity{core},
			request: warrant.ApplicationDecisionRequest{ApplicationID: x.application.ID, Reason: reason}},
		{function: "issuance:Cancel", allowed: []identity{core}, request: warrant.CancelRequest{WarrantID: x.issued.ID, Reason: reason}},
		{function: "admin:AuthorizeAttestor", allowed: []identity{assoc}, request: warrant.AuthorizeAttestorRequest{
			CreditCode: codeOf(shulian), Kinds: []warrant.AttestationKind{warrant.AttestTaxInvoice, warrant.AttestLogistics}}},
		{function: "registry:Attest", allowed: []identity{shulian}, request: warrant.AttestRequest{WarrantID: x.issued.ID,
			Kind: warrant.AttestTaxInvoice, Passed: true, ConfirmedAmount: x.issued.Amount, EvidenceHash: testnet.Hash("check")}},
		{function: "issuance:ArrangeInterest", allowed: []identity{core}, request: warrant.ArrangeInterestRequest{
			WarrantID: x.issued.ID, Payer: warrant.PayerBuyer, RateBP: 350, DayCount: warrant.DayCountAct365}},
		{function: "settlement:ConfirmSettlement", request: warrant.ConfirmSettlementRequest{WarrantID: x.active.ID,
			Channel: warrant.ChannelBankTransfer, Payments: []warrant.ConfirmedPayment{{Payee: codeOf(jinggong),
				PayeeAccount: "4000-1", Amount: x.active.Amount, PaymentRef: "QH-1"}}},
			// The paying bank may confirm, but only a SETTLING leaf (R32).
			refused: map[identity]warrant.Code{bank: warrant.CodeInvalidState}},
		{function: "registry:Verify", allowed: []identity{assoc},
			request: warrant.VerifyRequest{WarrantID: x.issued.ID, EvidenceHash: testnet.Hash("evidence"), Passed: true}},
		{function: "registry:Register", allowed: []identity{assoc}, request: warrant.RegisterRequest{WarrantID: x.verified.ID}},
		{function: "transfer:SplitTransfer", allowed: []identity{jinggong}, request: warrant.SplitTransferRequest{
			WarrantID: x.active.ID, Parts: []warrant.Part{{Recipient: codeOf(hengda), Amount: 1_000}}}},
		{function: "transfer:Accept", allowed: []identity{hengda}, request: warrant.OfferRequest{WarrantID: x.pending.ID}},
		{function: "transfer:Reject", allowed: []identity{hengda}, request: warrant.OfferRequest{WarrantID: x.pending.ID}},
		{function: "transfer:Reclaim", request: warrant.OfferRequest{WarrantID: x.pending.ID},
			// The sender may reclaim, but only once the acceptance window has closed (R8).
			refused: map[identity]warrant.Code{jinggong: warrant.CodeInvalidState}},
		{function: "custody:Deposit", allowed: []identity{jinggong},
			request: warrant.DepositRequest{WarrantID: x.active.ID, Custodian: codeOf(bank)}},
		{function: "custody:Release", allowed: []identity{bank}, request: warrant.ReleaseCustodyRequest{WarrantID: x.deposited.ID}},
		{function: "finance:RequestFinancing", allowed: []identity{jinggong},
			request: warrant.FinancingRequest{WarrantID: x.active.ID, Financier: codeOf(bank)}},
		{function: "finance:Pledge", allowed: []identity{bank}, request: warrant.PledgeRequest{WarrantID: x.financed.ID, Amount: 1_000}},
		{function: "finance:ReleasePledge", allowed: []identity{bank}, request: warrant.BankWarrantRequest{WarrantID: x.pledged.ID}},
		{function: "finance:Factor", allowed: []identity{bank}, request: warrant.BankWarrantRequest{WarrantID: x.financed.ID}},
		{function: "finance:RecordFinancingTerms", allowed: []identity{bank}, request: warrant.RecordTermsRequest{}},
		{function: "settlement:Settle", allowed: []identity{core}, request: warrant.SettleRequest{WarrantID: x.active.ID, PaymentRef: "PAY-1", PayingBank: codeOf(bank)}},
		{function: "settlement:SettleRoot", allowed: []identity{core},
			request: warrant.SettleRootRequest{RootID: x.active.RootID, PaymentRef: "PAY-1", PayingBank: codeOf(bank)}},
		{function: "regulator:Freeze", allowed: []identity{assoc}, request: warrant.FreezeRequest{WarrantID: x.active.ID, Reason: reason}},
		{function: "regulator:Unfreeze", allowed: []identity{assoc}, request: warrant.FreezeRequest{WarrantID: x.frozen.ID, Reason: reason}},
	}
}

// mutatingFunctions lists "contract:Function" for every transaction of the
// chaincode's metadata, except the query contract and the system contract.
func (c *chain) mutatingFunctions(t *testing.T) []string {
	t.Helper()
	var metadata struct {
		Contracts map[string]struct {
			Transactions []struct {
				Name string `json:"name"`
			} `json:"transactions"`
		} `json:"contracts"`
	}
	c.mustEvaluate(&metadata, "org.hyperledger.fabric:GetMetadata")
	var functions []string
	for name, contract := range metadata.Contracts {
		if name == warrant.QueryContract || name == "org.hyperledger.fabric" {
			continue
		}
		for _, tx := range contract.Transactions {
			functions = append(functions, name+":"+tx.Name)
		}
	}
	slices.Sort(functions)
	return functions
}

// TestUnauthorizedCallers calls every mutating function as every identity of
// the default network that R2/R3 do not allow to call it, Admin users (no scf
// attributes) included: each call is refused with FORBIDDEN, or the code of
// the rule that refuses it, and not one block is cut for the whole batch.
func TestUnauthorizedCallers(t *testing.T) {
	t.Parallel()
	c, _ := newChain(t)
	x := c.prepareTargets()
	functions := c.guardedFunctions(x)

	t.Run("The matrix covers every mutating function of the chaincode", func(t *testing.T) {
		var covered []string
		for _, f := range functions {
			covered = append(covered, f.function)
		}
		slices.Sort(covered)
		require.Equal(t, c.mutatingFunctions(t), covered)
	})

	ids := []string{x.active.ID, x.issued.ID, x.verified.ID, x.pending.ID, x.deposited.ID, x.financed.ID, x.pledged.ID, x.frozen.ID}
	lookups := append(warrantLookups(ids...), enterpriseLookups(x.suspended)...)
	lookups = append(lookups, lookup{"query:GetApplication", []string{x.application.ID}})
	before := c.fingerprint(t, lookups)
	var calls []refusedCall
	for _, f := range functions {
		for _, id := range everyone {
			want, refused := f.refused[id]
			if !refused {
				if slices.Contains(f.allowed, id) {
					continue
				}
				want = warrant.CodeForbidden
			}
			calls = append(calls, refusedCall{
				name: fmt.Sprintf("%s calling %s is refused with %s", id, f.function, want),
				as:   id, function: f.function, args: []string{encode(t, f.request)}, want: want,
			})
		}
	}
	c.requireRefused(t, calls)
	t.Logf("%d refused calls over %d functions and %d identities", len(calls), len(functions), len(everyone))

	t.Run("Nothing was written by the refused calls", func(t *testing.T) {
		c.requireUnchanged(t, before, lookups)
	})

	t.Run("The allowed callers are not refused by the rules the matrix tests", func(t *testing.T) {
		// One allowed call per target shows the requests themselves are sound,
		// so that the refusals above come from the caller alone.
		var split warrant.SplitResult
		c.mustSubmit(jinggong, "transfer:SplitTransfer", functions[indexOfFunction(functions, "transfer:SplitTransfer")].request, &split)
		require.Equal(t, warrant.StatusSplit, split.Parent.Status)
		var accepted warrant.Warrant
		c.mustSubmit(hengda, "transfer:Accept", warrant.OfferRequest{WarrantID: x.pending.ID}, &accepted)
		require.Equal(t, warrant.StatusActive, accepted.Status)
		var factored warrant.SplitResult
		c.mustSubmit(bank, "finance:Factor", warrant.BankWarrantRequest{WarrantID: x.financed.ID}, &factored)
		require.Equal(t, codeOf(bank), factored.Children[0].Holder)
		var confirmed warrant.Warrant
		c.mustSubmit(core, "issuance:ConfirmApplication", warrant.ApplicationDecisionRequest{ApplicationID: x.application.ID}, &confirmed)
		require.Equal(t, codeOf(jinggong), confirmed.Holder)
	})
}

func indexOfFunction(functions []guarded, name string) int {
	for i, f := range functions {
		if f.function == name {
			return i
		}
	}
	return -1
}
