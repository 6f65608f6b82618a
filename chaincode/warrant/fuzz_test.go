package warrant

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzSplitTransfer throws arbitrary parts at a split (R7): a rejected split leaves the
// state unchanged (R18), an accepted one conserves the root's amount (R9).
func FuzzSplitTransfer(f *testing.F) {
	f.Add(int64(1000), int64(300), int64(200), uint8(3), uint8(4))
	f.Add(int64(1000), int64(1000), int64(0), uint8(3), uint8(3))
	f.Add(int64(1), int64(1), int64(1), uint8(1), uint8(2))
	f.Add(int64(1e11), int64(1<<62), int64(1<<62), uint8(5), uint8(6))
	f.Add(int64(500), int64(-1), int64(600), uint8(0), uint8(8))
	f.Fuzz(func(t *testing.T, amount, a1, a2 int64, r1, r2 uint8) {
		if amount < 1 || amount > 1e11 {
			amount = 1 + (amount&0x7fffffff)%1e9
		}
		e := newEnv(t)
		w := e.active(codeT1A, amount)
		parts := []Part{{members[int(r1)%len(members)].CreditCode, a1}}
		if r2 != 0 {
			parts = append(parts, Part{members[int(r2)%len(members)].CreditCode, a2})
		}
		before := e.st.Snapshot()
		res, _, err := SplitTransfer(e.st, e.tx(), e.as(codeT1A), SplitTransferRequest{WarrantID: w.ID, Parts: parts})
		if err != nil {
			require.NotEqual(t, CodeInternal, ErrorCode(err))
			requireSameState(t, before, e.st.Snapshot())
			return
		}
		var sum int64
		for _, ch := range res.Children {
			require.Positive(t, ch.Amount)
			sum += ch.Amount
		}
		require.Equal(t, amount, sum)
		require.NoError(t, CheckConservation(e.st, w.ID))
	})
}

// decoders decode JSON into every request type and re-encode it.
var decoders = []func([]byte) ([]byte, error){
	decodeAs[OnboardEnterpriseRequest], decodeAs[UpdateEnterpriseRequest], decodeAs[EnterpriseStatusRequest],
	decodeAs[Params], decodeAs[SetCreditLineRequest], decodeAs[IssueRequest], decodeAs[ApplyRequest],
	decodeAs[ApplicationDecisionRequest], decodeAs[CancelRequest], decodeAs[VerifyRequest], decodeAs[RegisterRequest],
	decodeAs[SplitTransferRequest], decodeAs[OfferRequest], decodeAs[DepositRequest], decodeAs[ReleaseCustodyRequest],
	decodeAs[FinancingRequest], decodeAs[PledgeRequest], decodeAs[BankWarrantRequest], decodeAs[SettleRequest],
	decodeAs[SettleRootRequest], decodeAs[FreezeRequest], decodeAs[ListRequest], decodeAs[LineageRequest],
	decodeAs[AuthorizeAttestorRequest], decodeAs[AttestRequest], decodeAs[ArrangeInterestRequest],
	decodeAs[ConfirmSettlementRequest], decodeAs[PendingSettlementsRequest],
}

func decodeAs[T any](data []byte) ([]byte, error) {
	v, err := DecodeRequest[T](data)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// FuzzDecodeRequests decodes arbitrary bytes as each request type: no panic, only
// INVALID_ARGUMENT errors, and whatever decodes re-encodes to a stable form.
func FuzzDecodeRequests(f *testing.F) {
	seeds := []string{
		`{"warrantId":"W0123456789ABCDEF01234567","parts":[{"recipient":"914413003909960334","amount":5}]}`,
		`{"debtor":"9144030052601815XN","holder":"91440300908301663N","amount":100,"maturesAt":"2026-06-01T00:00:00+08:00","trade":{"contractHash":"ab","invoices":[]}}`,
		`{"warrantId":"W1","bogus":true}`, `{"a":1} {}`, `null`, `[]`, `{"amount":1e400}`, `{"amount":-9223372036854775808}`,
		`{"amountCap":100000000000,"maxTenorDays":183,"minUnit":1,"maxParts":100,"maxDepth":20,"acceptanceWindowDays":7}`,
		`{"warrantId":"W0123456789ABCDEF01234567","channel":"ECNY","payments":[{"payee":"914403007865797541","payeeAccount":"a","amount":1,"paymentRef":"r","payerWallet":"0021000000000001","payeeWallet":"0021000000000002"}]}`,
		`{"warrantId":"W0123456789ABCDEF01234567","kind":"TAX_INVOICE","passed":true,"confirmedAmount":5,"evidenceHash":"ab"}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		dec := decoders[int(kind)%len(decoders)]
		out, err := dec(data)
		if err != nil {
			require.Equal(t, CodeInvalidArgument, ErrorCode(err))
			return
		}
		again, err := dec(out)
		require.NoError(t, err)
		require.Equal(t, string(out), string(again))
	})
}
