package contracts_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/cast"
)

// TestEvents subscribes to the chaincode's events with the gateway client and
// drives every kind of state change: each committed change emits exactly one
// event named warrant.<verb> whose payload carries no more than the public
// registry (ids, status, registry number: no parties, amounts or trade details),
// and a rejected call emits none (R15, R17).
func TestEvents(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	events, err := l.gateway(asAssoc).GetNetwork(l.network.Channel()).ChaincodeEvents(ctx, warrantName,
		client.WithStartBlock(l.network.Height()))
	require.NoError(t, err)

	type step struct{ txID, event string }
	var steps []step
	do := func(as, function string, request any, event string, out any) {
		t.Helper()
		steps = append(steps, step{l.submitTx(as, function, request, out), event})
	}
	doAt := func(as, function string, request any, at time.Time, event string) {
		t.Helper()
		l.travel(at)
		txID, err := l.submitAtTx(as, function, request, at, nil)
		require.NoError(t, err, function)
		steps = append(steps, step{txID, event})
	}

	request := issueRequest(l.nextInvoice(), 10_000)
	var w warrant.Warrant
	do(asAssoc, "admin:RegisterMember", warrant.RegisterMemberRequest{MSPID: "Bank2MSP", Kind: warrant.KindBank, Name: "南山银行"},
		warrant.EventMemberRegistered, nil)
	do(asAssoc, "admin:SuspendMember", warrant.MemberStatusRequest{MSPID: "Bank2MSP", Reason: "review"}, warrant.EventMemberSuspended, nil)
	do(asAssoc, "admin:ReinstateMember", warrant.MemberStatusRequest{MSPID: "Bank2MSP", Reason: "cleared"}, warrant.EventMemberReinstated, nil)
	do(asCore, "issuance:Issue", request, warrant.EventIssued, &w)
	do(asAssoc, "admin:AuthorizeAttestor", warrant.AuthorizeAttestorRequest{CreditCode: codeCheck,
		Kinds: []warrant.AttestationKind{warrant.AttestTaxInvoice, warrant.AttestLogistics}}, warrant.EventAttestorAuthorized, nil)
	do(asCheck, "registry:Attest", warrant.AttestRequest{WarrantID: w.ID, Kind: warrant.AttestTaxInvoice, Passed: true,
		ConfirmedAmount: w.Amount, EvidenceHash: hash("check")}, warrant.EventAttested, nil)
	do(asCore, "registry:Attest", warrant.AttestRequest{WarrantID: w.ID, Kind: warrant.AttestGoodsReceipt, Passed: true,
		ConfirmedAmount: w.Amount, EvidenceHash: hash("receipt")}, warrant.EventAttested, nil)
	do(asAssoc, "registry:Verify", warrant.VerifyRequest{WarrantID: w.ID, EvidenceHash: hash("e"), Passed: true}, warrant.EventVerified, nil)
	do(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: w.ID}, warrant.EventRegistered, nil)
	var split warrant.SplitResult
	do(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: w.ID, Parts: []warrant.Part{
		{Recipient: codeT2A, Amount: 4_000}, {Recipient: codeT2B, Amount: 1_000}}}, warrant.EventTransferred, &split)
	require.Error(t, l.submit(asHengda, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: w.ID,
		Parts: []warrant.Part{{Recipient: codeT3A, Amount: 1}}}, nil), "a rejected call")
	hengda, shengtong, remainder := split.Children[0], split.Children[1], split.Children[2]
	do(asHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: hengda.ID}, warrant.EventAccepted, nil)
	do(asShengtong, "transfer:Reject", warrant.OfferRequest{WarrantID: shengtong.ID}, warrant.EventRejected, nil)
	financing := warrant.FinancingRequest{WarrantID: hengda.ID, Financier: codeBank}
	do(asHengda, "finance:RequestFinancing", financing, warrant.EventFinanceRequested, nil)
	termsJSON, err := json.Marshal(warrant.FinancingTerms{Salt: strings.Repeat("e4", 16), LoanAmount: 3_600, RateBP: 400})
	require.NoError(t, err)
	var recorded warrant.TermsRecord
	result, commit, err := l.contract(asBank).SubmitAsync("finance:RecordFinancingTerms", client.WithArguments("{}"),
		client.WithTransient(map[string][]byte{warrant.TransientTerms: termsJSON}), client.WithEndorsingOrganizations("BankMSP"))
	require.NoError(t, err)
	status, err := commit.Status()
	require.NoError(t, err)
	require.True(t, status.Successful, "terms recorded with the bank's endorsement alone: %s", status.Code)
	l.decode(result, &recorded)
	steps = append(steps, step{commit.TransactionID(), warrant.EventTermsRecorded})
	do(asBank, "finance:Pledge", warrant.PledgeRequest{WarrantID: hengda.ID, Amount: 4_000, TermsHash: recorded.TermsHash}, warrant.EventPledged, nil)
	do(asBank, "finance:ReleasePledge", warrant.BankWarrantRequest{WarrantID: hengda.ID}, warrant.EventPledgeReleased, nil)
	do(asHengda, "finance:RequestFinancing", financing, warrant.EventFinanceRequested, nil)
	var factored warrant.SplitResult
	do(asBank, "finance:Factor", warrant.BankWarrantRequest{WarrantID: hengda.ID}, warrant.EventFactored, &factored)
	do(asJinggong, "custody:Deposit", warrant.DepositRequest{WarrantID: remainder.ID, Custodian: codeBank}, warrant.EventDeposited, nil)
	do(asBank, "custody:Release", warrant.ReleaseCustodyRequest{WarrantID: remainder.ID}, warrant.EventWithdrawn, nil)
	do(asAssoc, "regulator:Freeze", warrant.FreezeRequest{WarrantID: remainder.ID, Reason: "court order"}, warrant.EventFrozen, nil)
	do(asAssoc, "regulator:Unfreeze", warrant.FreezeRequest{WarrantID: remainder.ID, Reason: "lifted"}, warrant.EventUnfrozen, nil)
	var offer warrant.SplitResult
	do(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{WarrantID: remainder.ID, Parts: []warrant.Part{
		{Recipient: codeT3A, Amount: 1_000}}}, warrant.EventTransferred, &offer)
	expiry := offer.Children[0].Offer.ExpiresAt
	doAt(asJinggong, "transfer:Reclaim", warrant.OfferRequest{WarrantID: offer.Children[0].ID}, expiry, warrant.EventReclaimed)

	repeated := issueRequest(l.nextInvoice(), 2_000)
	repeated.RequestID = "ERP-7"
	var cancelled warrant.Warrant
	do(asCore, "issuance:Issue", repeated, warrant.EventIssued, &cancelled)
	do(asCore, "issuance:Issue", repeated, warrant.EventReplayed, nil)
	do(asCore, "issuance:ArrangeInterest", warrant.ArrangeInterestRequest{WarrantID: cancelled.ID, Payer: warrant.PayerBuyer,
		RateBP: 350, DayCount: warrant.DayCountAct365}, warrant.EventInterestArranged, nil)
	do(asCore, "issuance:Cancel", warrant.CancelRequest{WarrantID: cancelled.ID, Reason: "withdrawn"}, warrant.EventCancelled, nil)
	terms := issueRequest(l.nextInvoice(), 3_000)
	apply := warrant.ApplyRequest{Debtor: codeCore, Amount: terms.Amount, MaturesAt: terms.MaturesAt, Trade: terms.Trade}
	var application warrant.Application
	do(asJinggong, "issuance:Apply", apply, warrant.EventApplied, &application)
	do(asCore, "issuance:ConfirmApplication", warrant.ApplicationDecisionRequest{ApplicationID: application.ID}, warrant.EventConfirmed, nil)
	apply.Trade = issueRequest(l.nextInvoice(), 3_000).Trade
	do(asJinggong, "issuance:Apply", apply, warrant.EventApplied, &application)
	do(asCore, "issuance:DeclineApplication", warrant.ApplicationDecisionRequest{ApplicationID: application.ID, Reason: "no delivery"}, warrant.EventDeclined, nil)

	do(asAssoc, "admin:SetParams", warrant.DefaultParams(), warrant.EventParamsSet, nil)
	do(asBank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: codeCore, Limit: 60_000_000_000}, warrant.EventCreditLineSet, nil)
	do(asAssoc, "admin:OnboardEnterprise", onboarding(cast.T1B), warrant.EventEnterpriseOnboarded, nil)
	do(asAssoc, "admin:UpdateEnterprise", warrant.UpdateEnterpriseRequest{CreditCode: codeT1B, Name: "东莞联创电缆有限公司"}, warrant.EventEnterpriseUpdated, nil)
	do(asAssoc, "admin:SuspendEnterprise", warrant.EnterpriseStatusRequest{CreditCode: codeT1B, Reason: "KYC"}, warrant.EventEnterpriseSuspended, nil)
	do(asAssoc, "admin:ReinstateEnterprise", warrant.EnterpriseStatusRequest{CreditCode: codeT1B, Reason: "KYC done"}, warrant.EventEnterpriseReinstated, nil)

	matured := w.MaturesAt.Add(time.Minute)
	doAt(asCore, "settlement:Settle", warrant.SettleRequest{WarrantID: factored.Children[0].ID, PaymentRef: "PAY-1", PayingBank: codeBank}, matured, warrant.EventSettled)
	doAt(asBank, "settlement:ConfirmSettlement", warrant.ConfirmSettlementRequest{WarrantID: factored.Children[0].ID,
		Channel: warrant.ChannelECNY, Payments: []warrant.ConfirmedPayment{{Payee: codeBank, PayeeAccount: "QH-ECNY", Amount: 4_000,
			PaymentRef: "ECNY-1", PayerWallet: "0021000000000001", PayeeWallet: "0021000000000002"}}}, matured, warrant.EventSettlementConfirmed)
	doAt(asCore, "settlement:SettleRoot", warrant.SettleRootRequest{RootID: w.ID, PaymentRef: "PAY-2", PayingBank: codeBank}, matured, warrant.EventRootSettled)

	name := regexp.MustCompile(`^warrant\.[a-z][A-Za-z]+$`)
	seen := map[string]bool{}
	for i, want := range steps {
		var event *client.ChaincodeEvent
		select {
		case event = <-events:
		case <-time.After(10 * time.Second):
			t.Fatalf("no event for step %d (%s)", i, want.event)
		}
		require.Equal(t, want.txID, event.TransactionID, "step %d: one event per transaction, in order", i)
		require.Equal(t, want.event, event.EventName, "step %d", i)
		require.Regexp(t, name, event.EventName)
		seen[event.EventName] = true
		var payload warrant.EventPayload
		require.NoError(t, json.Unmarshal(event.Payload, &payload), event.EventName)
		require.Equal(t, want.txID, payload.TxID)
		requirePublicPayload(t, event.EventName, event.Payload)
		for _, private := range []string{request.Trade.ContractHash, request.Trade.Invoices[0].Number, request.Trade.Invoices[0].DocumentHash} {
			require.False(t, strings.Contains(string(event.Payload), private), "%s carries trade details", event.EventName)
		}
	}
	require.Len(t, seen, len(warrant.EventNames), "every event name of the chaincode")
}

// requirePublicPayload checks that an event payload carries only the public fields
// (R15, R17) and names no enterprise, except the one a register event is about.
func requirePublicPayload(t *testing.T, name string, payload []byte) {
	t.Helper()
	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(payload, &fields), name)
	public := []string{"txId", "time", "warrantId", "rootId", "status", "registryNo", "parts", "subject"}
	for field := range fields {
		require.Contains(t, public, field, "%s carries %s", name, field)
	}
	var p warrant.EventPayload
	require.NoError(t, json.Unmarshal(payload, &p), name)
	for _, e := range cast.Enterprises() {
		if e.CreditCode != p.Subject {
			require.NotContains(t, string(payload), e.CreditCode, "%s names %s", name, e.Name)
		}
	}
}
