package test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// racers is how many clients race for one warrant: 8, or 64 in the long variant.
func racers() int {
	if long() {
		return 64
	}
	return 8
}

// TestDoubleSpend has many clients split, pledge, factor or settle the same
// warrant at once: every transaction is endorsed against the same state
// before any is submitted, exactly one commits, the others fail with an MVCC
// read conflict, and the warrant shows exactly the winner's effect (R9, R11, R12).
func TestDoubleSpend(t *testing.T) {
	t.Parallel()
	c, _ := newChain(t)
	n := racers()
	recipients := []identity{hengda, lianchuang, shengtong, yongsheng, bank}

	// The warrant to settle matures in a minute; its settlements are timestamped
	// at its maturity, so nothing waits for it.
	maturesAt := time.Now().UTC().Add(time.Minute).Truncate(time.Second)
	toSettle := c.active(yongsheng, 5_000_000, maturesAt)

	t.Run("Holders splitting the same warrant at once: one split commits", func(t *testing.T) {
		target := c.active(jinggong, 10_000_000, inDays(90))
		contenders := make([]contender, n)
		for i := range contenders {
			contenders[i] = contender{id: jinggong, function: "transfer:SplitTransfer", request: warrant.SplitTransferRequest{
				WarrantID: target.ID, Parts: []warrant.Part{{Recipient: codeOf(recipients[i%len(recipients)]), Amount: int64(100_000 + i)}},
			}}
		}
		winner := requireOneWinner(t, c.race(contenders))
		var split warrant.SplitResult
		require.NoError(t, json.Unmarshal(winner.result, &split))

		nodes, err := c.lineage(target.ID)
		require.NoError(t, err)
		require.Equal(t, append([]warrant.Warrant{split.Parent}, split.Children...), nodes, "the tree is the winner's split and nothing else")
		summary := c.requireConserved(t, target.ID)
		require.Equal(t, target.Amount, summary.Outstanding)
	})

	t.Run("Banks pledging the same warrant at once: one pledge is registered", func(t *testing.T) {
		target := c.active(hengda, 3_000_000, inDays(90))
		c.mustSubmit(hengda, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: target.ID, Financier: codeOf(bank)}, nil)
		contenders := make([]contender, n)
		for i := range contenders {
			contenders[i] = contender{id: bank, function: "finance:Pledge", request: warrant.PledgeRequest{WarrantID: target.ID, Amount: int64(1_000_000 + i)}}
		}
		outcomes := c.race(contenders)
		winner := requireOneWinner(t, outcomes)
		var pledged warrant.Warrant
		require.NoError(t, json.Unmarshal(winner.result, &pledged))

		var now warrant.Warrant
		c.mustEvaluate(&now, "query:GetWarrant", target.ID)
		require.Equal(t, warrant.StatusPledged, now.Status)
		require.Equal(t, pledged.Pledge, now.Pledge)
		for _, o := range outcomes {
			var loser warrant.Warrant
			if o.code == peer.TxValidationCode_VALID || json.Unmarshal(o.result, &loser) != nil {
				continue
			}
			var found warrant.RegistryEntry
			require.NoError(t, c.evaluate(&found, "query:LookupRegistryNo", loser.Pledge.RegistryNo))
			require.False(t, found.Registered, "a losing pledge left registration %s", loser.Pledge.RegistryNo)
		}
		c.requireConserved(t, target.ID)
	})

	t.Run("A split, a pledge and a factoring racing for one warrant: one of them commits", func(t *testing.T) {
		target := c.active(lianchuang, 2_000_000, inDays(90))
		c.mustSubmit(lianchuang, "finance:RequestFinancing", warrant.FinancingRequest{WarrantID: target.ID, Financier: codeOf(bank)}, nil)
		contenders := make([]contender, n)
		for i := range contenders {
			switch i % 3 {
			case 0:
				contenders[i] = contender{id: lianchuang, function: "transfer:SplitTransfer", request: warrant.SplitTransferRequest{
					WarrantID: target.ID, Parts: []warrant.Part{{Recipient: codeOf(hengda), Amount: int64(500_000 + i)}},
				}}
			case 1:
				contenders[i] = contender{id: bank, function: "finance:Pledge", request: warrant.PledgeRequest{WarrantID: target.ID, Amount: int64(500_000 + i)}}
			default:
				contenders[i] = contender{id: bank, function: "finance:Factor", request: warrant.BankWarrantRequest{WarrantID: target.ID}}
			}
		}
		winner := requireOneWinner(t, c.race(contenders))

		nodes, err := c.lineage(target.ID)
		require.NoError(t, err)
		switch winner.function {
		case "finance:Pledge":
			require.Len(t, nodes, 1, "a pledge splits nothing")
			require.Equal(t, warrant.StatusPledged, nodes[0].Status)
		default:
			var split warrant.SplitResult
			require.NoError(t, json.Unmarshal(winner.result, &split))
			require.Equal(t, append([]warrant.Warrant{split.Parent}, split.Children...), nodes, "won by %s", winner.function)
			require.Nil(t, nodes[0].Pledge)
		}
		c.requireConserved(t, target.ID)
	})

	t.Run("Issuers settling the same matured warrant at once: it is paid once", func(t *testing.T) {
		var lineBefore warrant.CreditLine
		c.mustEvaluate(&lineBefore, "query:GetCreditLine", codeOf(core))
		contenders := make([]contender, n)
		for i := range contenders {
			ref := fmt.Sprintf("PAY-%03d", i)
			contenders[i] = contender{id: core, function: "settlement:Settle", request: warrant.SettleRequest{WarrantID: toSettle.ID, PaymentRef: ref, PayingBank: codeOf(bank)}, at: maturesAt}
			if i%2 == 1 {
				contenders[i] = contender{id: core, function: "settlement:SettleRoot", request: warrant.SettleRootRequest{RootID: toSettle.ID, PaymentRef: ref, PayingBank: codeOf(bank)}, at: maturesAt}
			}
		}
		winner := requireOneWinner(t, c.race(contenders))

		var settled warrant.Warrant
		c.mustEvaluate(&settled, "query:GetWarrant", toSettle.ID)
		require.Equal(t, warrant.StatusSettling, settled.Status)
		// The paying bank confirms at the settlement's ledger time (it cannot predate it).
		confirmed := requireOneWinner(t, c.race([]contender{{id: bank, function: "settlement:ConfirmSettlement",
			request: warrant.ConfirmSettlementRequest{WarrantID: toSettle.ID, Channel: warrant.ChannelBankTransfer,
				Payments: []warrant.ConfirmedPayment{{Payee: settled.Settlement.Payee, PayeeAccount: "4000-1", Amount: toSettle.Amount,
					PaymentRef: "QH-" + settled.Settlement.PaymentRef}}}, at: maturesAt}}))
		require.NoError(t, json.Unmarshal(confirmed.result, &settled))
		require.Equal(t, warrant.StatusSettled, settled.Status)
		require.Contains(t, encode(t, winner.request), `"paymentRef":"`+settled.Settlement.PaymentRef+`"`, "the winner's payment is recorded")
		summary := c.requireConserved(t, toSettle.ID)
		require.Equal(t, toSettle.Amount, summary.Settled, "settled once, not once per racer")
		require.Equal(t, 1, summary.SettledLeaves)
		require.Zero(t, summary.Outstanding)
		var lineAfter warrant.CreditLine
		c.mustEvaluate(&lineAfter, "query:GetCreditLine", codeOf(core))
		require.Equal(t, lineBefore.Used-toSettle.Amount, lineAfter.Used, "the credit line is restored once")
	})
}
