package contracts_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// The seven attacks of a dishonest member: a valid certificate, its own client, its
// own choice of what goes in the proposal, including the proposal timestamp (submitAt).
// Each must fail with its error code and leave the ledger unchanged: no block is added
// and the warrants involved read back as before (R18).

// refused asserts that err carries want, that no block was committed since height,
// and that the warrants of the snapshots read back unchanged.
func (l *ledger) refused(err error, want warrant.Code, height uint64, snapshots ...snapshot) {
	l.t.Helper()
	l.rejected(err, want, snapshots...)
	require.Equal(l.t, height, l.network.Height(), "a refused proposal reached the ledger")
}

// TestAttackReclaimInsideTheAcceptanceWindow: the sender dates its Reclaim eight days
// ahead, past the acceptance window (R8, R19).
func TestAttackReclaimInsideTheAcceptanceWindow(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	offered, _ := l.offer(l.active(10_000), codeT2A, 4_000)
	height, before := l.network.Height(), l.snapshot(offered.ID)
	reclaim := warrant.OfferRequest{WarrantID: offered.ID}
	l.refused(l.submitAt(asJinggong, "transfer:Reclaim", reclaim, time.Now().AddDate(0, 0, 8), nil), warrant.CodeClockSkew, height, before)
	var accepted warrant.Warrant
	l.mustSubmit(asHengda, "transfer:Accept", reclaim, &accepted)
	require.Equal(t, warrant.StatusActive, accepted.Status)
}

// TestAttackEarlySettlement: the debtor dates Settle at maturity, 90 days early, to
// mark a leaf paid and free its credit line (R4a, R12, R19).
func TestAttackEarlySettlement(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	w := l.active(10_000)
	height, before, line := l.network.Height(), l.snapshot(w.ID), l.creditLine()
	settle := warrant.SettleRequest{WarrantID: w.ID, PaymentRef: "MADE-UP-REF"}
	l.refused(l.submitAt(asCore, "settlement:Settle", settle, w.MaturesAt, nil), warrant.CodeClockSkew, height, before)
	require.Equal(t, line, l.creditLine())
	l.refused(l.submitAt(asCore, "settlement:SettleRoot", warrant.SettleRootRequest{RootID: w.ID, PaymentRef: "MADE-UP-REF"}, w.MaturesAt, nil),
		warrant.CodeClockSkew, height, before)
}

// TestAttackTransferAfterMaturity: once a warrant has matured, its holder backdates a
// SplitTransfer to before maturity, after the warrant's last change (R7, R19).
func TestAttackTransferAfterMaturity(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	request := issueRequest(l.nextInvoice(), 10_000)
	request.MaturesAt = time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	w := l.register(l.verify(l.issueWith(request)))
	l.travel(w.MaturesAt.Add(time.Hour))
	height, before := l.network.Height(), l.snapshot(w.ID)
	split := warrant.SplitTransferRequest{WarrantID: w.ID, Parts: []warrant.Part{{Recipient: codeT2A, Amount: 1_000}}}
	l.refused(l.submitAt(asJinggong, "transfer:SplitTransfer", split, w.MaturesAt.Add(-time.Minute), nil), warrant.CodeClockSkew, height, before)
	l.refused(l.submit(asJinggong, "transfer:SplitTransfer", split, nil), warrant.CodeMatured, height, before)
}

// TestAttackFreezeBlocked: the holder dates a change just before maturity, so that the
// regulator's Freeze at the real time would come "before the warrant's last change"
// (R13, R19).
func TestAttackFreezeBlocked(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	w := l.active(10_000)
	height, before := l.network.Height(), l.snapshot(w.ID)
	ask := warrant.FinancingRequest{WarrantID: w.ID, Financier: codeBank}
	l.refused(l.submitAt(asJinggong, "finance:RequestFinancing", ask, w.MaturesAt.Add(-time.Second), nil), warrant.CodeClockSkew, height, before)
	var frozen warrant.FreezeResult
	l.mustSubmit(asAssoc, "regulator:Freeze", warrant.FreezeRequest{WarrantID: w.ID, Reason: "court order"}, &frozen)
	require.Equal(t, []string{w.ID}, frozen.Changed)
}

// TestAttackOneDigitalInvoiceFinancedTwice: a 数电发票 (20-digit number, no code) is
// presented with made-up codes, or twice without, to back two warrants (R5, R6).
func TestAttackOneDigitalInvoiceFinancedTwice(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	const number = "26442000000000812345"
	digital := func(code string) warrant.IssueRequest {
		request := issueRequest(number, 10_000)
		request.Trade.Invoices[0].Code = code
		return request
	}
	t.Run("with made-up codes", func(t *testing.T) {
		l := l.in(t)
		for _, code := range []string{"4403261130", "144032611300"} {
			height := l.network.Height()
			l.refused(l.submit(asCore, "issuance:Issue", digital(code), nil), warrant.CodeInvalidArgument, height)
		}
	})
	t.Run("twice by its number", func(t *testing.T) {
		l := l.in(t)
		first, second := l.verify(l.issueWith(digital(""))), l.verify(l.issueWith(digital("")))
		registered := l.register(first)
		height, before := l.network.Height(), l.snapshot(second.ID)
		l.refused(l.submit(asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: second.ID}, nil), warrant.CodeAlreadyRegistered, height, before)
		require.Equal(t, registered.RegistryNo, l.lookup("query:LookupInvoice", "", number).RegistryNo)
	})
}

// TestAttackTransferToASisterOfAnEarlierHolder: Jinggong transfers a part to Hengda,
// who passes it on to Jinggong's sister company (A→B→A′, R8a).
func TestAttackTransferToASisterOfAnEarlierHolder(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	received, _ := l.transfer(l.active(10_000), codeT2A, 4_000)
	height, before := l.network.Height(), l.snapshot(received.ID)
	split := warrant.SplitTransferRequest{WarrantID: received.ID, Parts: []warrant.Part{{Recipient: codeT1ARel, Amount: 1_000}}}
	l.refused(l.submit(asHengda, "transfer:SplitTransfer", split, nil), warrant.CodeRelatedParty, height, before)
}

// TestAttackRelationLearnedAfterVerification: after Verify, the holder's controller
// becomes the debtor's group; Register, RequestFinancing, Pledge and Factor check the
// relation as it is then (R8a).
func TestAttackRelationLearnedAfterVerification(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	setController := func(l *ledger, controller string) {
		l.mustSubmit(asAssoc, "admin:UpdateEnterprise", warrant.UpdateEnterpriseRequest{CreditCode: codeT1A, Controller: controller}, nil)
	}
	jinggong := onboarding("t1a").Controller
	debtorGroup := " Huaxin-GROUP " // the core enterprise's controller, written differently
	verified := l.verify(l.issue(10_000))
	registered := l.active(10_000)
	asked := l.active(10_000)
	l.mustSubmit(asJinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: asked.ID, Financier: codeBank}, nil)
	for _, c := range []struct {
		name    string
		as      string
		fn      string
		request any
		subject string
	}{
		{"Register", asAssoc, "registry:Register", warrant.RegisterRequest{WarrantID: verified.ID}, verified.ID},
		{"RequestFinancing", asJinggong, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: registered.ID, Financier: codeBank}, registered.ID},
		{"Pledge", asBank, "finance:Pledge", warrant.PledgeRequest{WarrantID: asked.ID, Amount: 5_000}, asked.ID},
		{"Factor", asBank, "finance:Factor", warrant.BankWarrantRequest{WarrantID: asked.ID}, asked.ID},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := l.in(t)
			setController(l, debtorGroup)
			defer setController(l, jinggong)
			height, before := l.network.Height(), l.snapshot(c.subject)
			l.refused(l.submit(c.as, c.fn, c.request, nil), warrant.CodeRelatedParty, height, before)
		})
	}
}
