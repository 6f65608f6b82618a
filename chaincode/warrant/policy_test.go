package warrant

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// attestBy records one attestation and returns the warrant.
func (e *env) attestBy(c Caller, id string, kind AttestationKind, passed bool, amount int64, reasons ...string) *Warrant {
	e.t.Helper()
	w, _, err := Attest(e.st, e.tx(), c, AttestRequest{WarrantID: id, Kind: kind, Passed: passed,
		ConfirmedAmount: amount, EvidenceHash: hashOf(string(kind) + c.Entity), Reasons: reasons})
	require.NoError(e.t, err)
	return w
}

func (e *env) passVerify(id string) (*Warrant, error) {
	w, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: id, EvidenceHash: hashOf("v"), Passed: true})
	return w, err
}

// setRequired sets the required attestation kinds (admin).
func (e *env) setRequired(kinds ...AttestationKind) {
	p := DefaultParams()
	p.RequiredAttestations = kinds
	_, _, err := SetParams(e.st, e.tx(), e.as(codeAssoc), p)
	require.NoError(e.t, err)
}

func TestCrossVerification(t *testing.T) {
	t.Run("Passes only on the required set from two independent sources (R30)", func(t *testing.T) {
		e := newEnv(t)
		w := e.issue(codeT1A, 1000)
		e.rejects(CodeIncompleteAttestation, func(e *env) error { _, err := e.passVerify(w.ID); return err })
		got := e.attestBy(e.as(codeCheck), w.ID, AttestTaxInvoice, true, 1000)
		require.Equal(t, StatusIssued, got.Status)
		require.Len(t, got.Attestations, 1)
		require.Equal(t, Attestation{Kind: AttestTaxInvoice, Attestor: codeCheck, Result: VerificationPassed,
			ConfirmedAmount: 1000, EvidenceHash: hashOf(string(AttestTaxInvoice) + codeCheck),
			TxID: got.Attestations[0].TxID, At: e.now}, got.Attestations[0])
		e.rejects(CodeIncompleteAttestation, func(e *env) error {
			_, err := e.passVerify(w.ID)
			require.Equal(t, "GOODS_RECEIPT", AsError(err).Details["missing"])
			return err
		})
		e.attestBy(e.as(codeCore), w.ID, AttestGoodsReceipt, true, 1200)
		v, err := e.passVerify(w.ID)
		require.NoError(t, err)
		require.Equal(t, StatusVerified, v.Status)
	})
	t.Run("The verifier may reject without attestations", func(t *testing.T) {
		e := newEnv(t)
		w := e.issue(codeT1A, 1000)
		v, _, err := Verify(e.st, e.tx(), e.as(codeAssoc), VerifyRequest{WarrantID: w.ID, EvidenceHash: hashOf("v"), Reasons: []string{"no delivery"}})
		require.NoError(t, err)
		require.Equal(t, StatusRejected, v.Status)
	})
	findings := []struct {
		name   string
		run    func(e *env, id string) *Warrant
		reason string
	}{
		{"A negative attestation rejects the warrant with its reasons", func(e *env, id string) *Warrant {
			return e.attestBy(e.as(codeCheck), id, AttestTaxInvoice, false, 0, "invoice voided (红冲)")
		}, "TAX_INVOICE attestation by " + codeCheck + ": invoice voided (红冲)"},
		{"An attestation confirming less than the face value conflicts with the warrant", func(e *env, id string) *Warrant {
			return e.attestBy(e.as(codeCore), id, AttestGoodsReceipt, true, 999)
		}, "confirms 999 fen, less than the amount 1000 fen"},
		{"Two sources of one kind confirming different amounts conflict", func(e *env, id string) *Warrant {
			other := e.onboard(withCheck("91440300MA5H0001X"), MSPAssociation, "other-checker", RoleAttestor)
			_, _, err := AuthorizeAttestor(e.st, e.tx(), e.as(codeAssoc), AuthorizeAttestorRequest{CreditCode: other.Entity, Kinds: []AttestationKind{AttestTaxInvoice}})
			require.NoError(e.t, err)
			e.attestBy(e.as(codeCheck), id, AttestTaxInvoice, true, 1000)
			return e.attestBy(other, id, AttestTaxInvoice, true, 1500)
		}, "conflicts with " + codeCheck + ", which confirmed 1000 fen"},
	}
	for _, tc := range findings {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.issue(codeT1A, 1000)
			got := tc.run(e, w.ID)
			require.Equal(t, StatusRejected, got.Status)
			require.Equal(t, VerificationFailed, got.Verification.Result)
			require.Contains(t, got.Verification.Reasons[0], tc.reason)
			e.rejects(CodeInvalidState, func(e *env) error { _, err := e.passVerify(w.ID); return err })
		})
	}
	t.Run("The contract kind needs both parties, and one controller is not two sources", func(t *testing.T) {
		e := newEnv(t)
		e.setRequired(AttestGoodsReceipt, AttestContract)
		w := e.issue(codeT1A, 1000)
		_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: codeT1A, Roles: []Role{RoleHolder, RoleAttestor}})
		require.NoError(t, err)
		_, _, err = AuthorizeAttestor(e.st, e.tx(), e.as(codeAssoc), AuthorizeAttestorRequest{CreditCode: codeT1A, Kinds: []AttestationKind{AttestContract}})
		require.NoError(t, err)
		e.attestBy(e.as(codeCore), w.ID, AttestGoodsReceipt, true, 1000)
		e.attestBy(e.as(codeCore), w.ID, AttestContract, true, 1000)
		e.rejects(CodeIncompleteAttestation, func(e *env) error { _, err := e.passVerify(w.ID); return err })
		e.attestBy(NewCaller(MSPAssociation, codeT1A, "holder,attestor"), w.ID, AttestContract, true, 1000)
		v, err := e.passVerify(w.ID)
		require.NoError(t, err)
		require.Equal(t, StatusVerified, v.Status)

		e.setRequired(AttestTaxInvoice, AttestLogistics)
		w2 := e.issue(codeT1A, 1000)
		e.attestBy(e.as(codeCheck), w2.ID, AttestTaxInvoice, true, 1000)
		e.attestBy(e.as(codeCheck), w2.ID, AttestLogistics, true, 1000)
		e.rejects(CodeIncompleteAttestation, func(e *env) error {
			_, err := e.passVerify(w2.ID)
			require.Equal(t, "independent sources", AsError(err).Details["missing"])
			return err
		})
	})
	rejections := []struct {
		name string
		want Code
		call func(e *env, id string) func(e *env) error
	}{
		{"Rejects a caller without the attestor role", CodeForbidden, func(e *env, id string) func(e *env) error {
			return func(e *env) error {
				_, _, err := Attest(e.st, e.tx(), e.as(codeBank), AttestRequest{WarrantID: id, Kind: AttestTaxInvoice, Passed: true, ConfirmedAmount: 1000, EvidenceHash: hashOf("x")})
				return err
			}
		}},
		{"Rejects a kind the attestor is not authorised for", CodeForbidden, func(e *env, id string) func(e *env) error {
			return func(e *env) error {
				_, _, err := Attest(e.st, e.tx(), e.as(codeCheck), AttestRequest{WarrantID: id, Kind: AttestGoodsReceipt, Passed: true, ConfirmedAmount: 1000, EvidenceHash: hashOf("x")})
				return err
			}
		}},
		{"Rejects a goods receipt not from the buyer", CodeForbidden, func(e *env, id string) func(e *env) error {
			_, _, err := AuthorizeAttestor(e.st, e.tx(), e.as(codeAssoc), AuthorizeAttestorRequest{CreditCode: codeCheck, Kinds: []AttestationKind{AttestGoodsReceipt}})
			require.NoError(e.t, err)
			return func(e *env) error {
				_, _, err := Attest(e.st, e.tx(), e.as(codeCheck), AttestRequest{WarrantID: id, Kind: AttestGoodsReceipt, Passed: true, ConfirmedAmount: 1000, EvidenceHash: hashOf("x")})
				return err
			}
		}},
		{"Rejects a third-party source related to the holder", CodeRelatedParty, func(e *env, id string) func(e *env) error {
			_, _, err := UpdateEnterprise(e.st, e.tx(), e.as(codeAssoc), UpdateEnterpriseRequest{CreditCode: codeCheck, Controller: "chen-family"})
			require.NoError(e.t, err)
			return func(e *env) error {
				_, _, err := Attest(e.st, e.tx(), e.as(codeCheck), AttestRequest{WarrantID: id, Kind: AttestTaxInvoice, Passed: true, ConfirmedAmount: 1000, EvidenceHash: hashOf("x")})
				return err
			}
		}},
		{"Rejects the same source attesting a kind twice", CodeAlreadyExists, func(e *env, id string) func(e *env) error {
			e.attestBy(e.as(codeCheck), id, AttestTaxInvoice, true, 1000)
			return func(e *env) error {
				_, _, err := Attest(e.st, e.tx(), e.as(codeCheck), AttestRequest{WarrantID: id, Kind: AttestTaxInvoice, Passed: true, ConfirmedAmount: 1000, EvidenceHash: hashOf("y")})
				return err
			}
		}},
		{"Rejects a passing attestation without an amount", CodeInvalidArgument, func(e *env, id string) func(e *env) error {
			return func(e *env) error {
				_, _, err := Attest(e.st, e.tx(), e.as(codeCheck), AttestRequest{WarrantID: id, Kind: AttestTaxInvoice, Passed: true, EvidenceHash: hashOf("x")})
				return err
			}
		}},
		{"Rejects a failing attestation without a reason", CodeInvalidArgument, func(e *env, id string) func(e *env) error {
			return func(e *env) error {
				_, _, err := Attest(e.st, e.tx(), e.as(codeCheck), AttestRequest{WarrantID: id, Kind: AttestTaxInvoice, EvidenceHash: hashOf("x")})
				return err
			}
		}},
		{"Rejects an unknown kind", CodeInvalidArgument, func(e *env, id string) func(e *env) error {
			return func(e *env) error {
				_, _, err := Attest(e.st, e.tx(), e.as(codeCheck), AttestRequest{WarrantID: id, Kind: "RUMOUR", Passed: true, ConfirmedAmount: 1000, EvidenceHash: hashOf("x")})
				return err
			}
		}},
		{"Rejects attesting a warrant that is no longer ISSUED", CodeInvalidState, func(e *env, id string) func(e *env) error {
			e.verify(id)
			return func(e *env) error {
				_, _, err := Attest(e.st, e.tx(), e.as(codeCheck), AttestRequest{WarrantID: id, Kind: AttestLogistics, Passed: true, ConfirmedAmount: 1000, EvidenceHash: hashOf("x")})
				return err
			}
		}},
		{"Rejects authorising a non-attestor", CodeForbidden, func(e *env, id string) func(e *env) error {
			return func(e *env) error {
				_, _, err := AuthorizeAttestor(e.st, e.tx(), e.as(codeAssoc), AuthorizeAttestorRequest{CreditCode: codeT1B, Kinds: []AttestationKind{AttestLogistics}})
				return err
			}
		}},
		{"Rejects authorising by a non-admin", CodeForbidden, func(e *env, id string) func(e *env) error {
			return func(e *env) error {
				_, _, err := AuthorizeAttestor(e.st, e.tx(), e.as(codeBank), AuthorizeAttestorRequest{CreditCode: codeCheck, Kinds: []AttestationKind{AttestLogistics}})
				return err
			}
		}},
		{"Rejects a parameter needing a single source", CodeInvalidArgument, func(e *env, id string) func(e *env) error {
			p := DefaultParams()
			p.RequiredAttestations = []AttestationKind{AttestTaxInvoice}
			return func(e *env) error { _, _, err := SetParams(e.st, e.tx(), e.as(codeAssoc), p); return err }
		}},
	}
	for _, tc := range rejections {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.issue(codeT1A, 1000)
			e.rejects(tc.want, tc.call(e, w.ID))
		})
	}
}

func TestBuyerPaidInterest(t *testing.T) {
	t.Run("Interest to the fen, half up, on day-count edges (R31)", func(t *testing.T) {
		cases := []struct {
			name   string
			amount int64
			rateBP int
			dc     DayCount
			days   int
			want   int64
		}{
			{"one day ACT/365", 100_000_000, 365, DayCountAct365, 1, 10_000},
			{"one day ACT/360", 100_000_000, 365, DayCountAct360, 1, 10_139}, // 10138.89
			{"a leap year counts 366 actual days over 365", 100_000_000, 365, DayCountAct365, 366, 3_660_000},
			{"a leap year over 360", 100_000_000, 360, DayCountAct360, 366, 3_660_000},
			{"exactly half a fen rounds up", 3650, 100, DayCountAct365, 5, 1},
			{"just under half a fen rounds down", 3649, 100, DayCountAct365, 5, 0},
			{"the largest amount at the highest rate fits", MaxAmountCap, MaxRateBasisPoints, DayCountAct360, 366, 244_000_000_000_000},
			{"zero days is zero", 1000, 500, DayCountAct365, 0, 0},
		}
		for _, tc := range cases {
			got, err := ComputeInterest(tc.amount, tc.rateBP, tc.dc, tc.days)
			require.NoError(t, err, tc.name)
			require.Equal(t, tc.want, got, tc.name)
		}
		_, err := ComputeInterest(1<<62, 2400, DayCountAct360, 366)
		require.Equal(t, CodeInvalidArgument, ErrorCode(err), "overflow is refused")
		_, err = ComputeInterest(1000, 100, "30/360", 1)
		require.Equal(t, CodeInvalidArgument, ErrorCode(err))
	})
	t.Run("Days are calendar days in China Standard Time, at least one", func(t *testing.T) {
		cst := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
		require.Equal(t, 29, InterestDays(cst("2028-02-01T10:00:00+08:00"), cst("2028-03-01T10:00:00+08:00")), "leap February")
		require.Equal(t, 28, InterestDays(cst("2027-02-01T10:00:00+08:00"), cst("2027-03-01T10:00:00+08:00")))
		require.Equal(t, 1, InterestDays(cst("2026-03-02T15:59:00Z"), cst("2026-03-02T16:01:00Z")), "across midnight in Beijing")
		require.Equal(t, 1, InterestDays(cst("2026-03-02T01:00:00Z"), cst("2026-03-02T09:00:00Z")), "same day: one day")
	})
	const face = 100_000_000 // 1,000,000.00 yuan
	discounted := func(t *testing.T, payer InterestPayer, dc DayCount, at func(w *Warrant) time.Time) (*env, *Warrant, *Warrant) {
		e := newEnv(t)
		w := e.issue(codeT1A, face)
		_, eff, err := ArrangeInterest(e.st, e.tx(), e.as(codeCore), ArrangeInterestRequest{WarrantID: w.ID, Payer: payer, RateBP: 365, DayCount: dc})
		require.NoError(t, err)
		require.Equal(t, EventInterestArranged, eff.Event.Name)
		e.verify(w.ID)
		_, _, err = Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: w.ID})
		require.NoError(t, err)
		e.now = at(w)
		_, _, err = RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
		require.NoError(t, err)
		res, _, err := Factor(e.st, e.tx(), e.as(codeBank), BankWarrantRequest{WarrantID: w.ID})
		require.NoError(t, err)
		return e, w, &res.Children[0]
	}
	t.Run("Buyer pays: the supplier gets the face value, the debtor owes the interest with settlement", func(t *testing.T) {
		e, root, part := discounted(t, PayerBuyer, DayCountAct365, func(*Warrant) time.Time { return t0 })
		require.Equal(t, &Discount{Bank: codeBank, Payer: PayerBuyer, RateBP: 365, DayCount: DayCountAct365, Days: 90,
			Interest: 900_000, Proceeds: face, At: t0}, part.Discount)
		require.Equal(t, part.Discount, e.get(part.ID).Discount)
		s := e.summary(root.ID)
		require.EqualValues(t, face, s.Face)
		require.EqualValues(t, 900_000, s.InterestDue)
		e.conserved(root.ID)
		e.rejects(CodeInvalidState, func(e *env) error {
			_, _, err := SplitTransfer(e.st, e.tx(), e.as(codeBank), SplitTransferRequest{WarrantID: part.ID, Parts: []Part{{codeT2A, 1}}})
			return err
		})
		e.now = root.MaturesAt
		w, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: part.ID, PaymentRef: "HX-PAY-1", PayingBank: codeBank})
		require.NoError(t, err)
		require.Equal(t, []PayeeShare{{Payee: codeBank, Amount: face + 900_000, Interest: 900_000}}, w.Settlement.Payees)
		e.confirm(part.ID)
		s = e.summary(root.ID)
		require.EqualValues(t, face, s.Settled)
		require.EqualValues(t, 900_000, s.InterestPaid)
		line, _ := GetCreditLine(e.st, regulator, codeCore)
		require.Zero(t, line.Used, "the line is restored by the face value only")
		e.conserved(root.ID)
	})
	t.Run("Holder pays: the bank pays the face value less interest and nothing more is owed", func(t *testing.T) {
		e, root, part := discounted(t, PayerHolder, DayCountAct360, func(*Warrant) time.Time { return t0 })
		require.EqualValues(t, 912_500, part.Discount.Interest) // 1e8 × 3.65% × 90/360
		require.EqualValues(t, face-912_500, part.Discount.Proceeds)
		require.Zero(t, e.summary(root.ID).InterestDue)
		e.now = root.MaturesAt
		w, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: part.ID, PaymentRef: "HX-PAY-1", PayingBank: codeBank})
		require.NoError(t, err)
		require.Equal(t, []PayeeShare{{Payee: codeBank, Amount: face}}, w.Settlement.Payees)
	})
	t.Run("A one-day tenor earns one day", func(t *testing.T) {
		_, _, part := discounted(t, PayerBuyer, DayCountAct365, func(w *Warrant) time.Time { return w.MaturesAt.Add(-time.Hour) })
		require.Equal(t, 1, part.Discount.Days)
		require.EqualValues(t, 10_000, part.Discount.Interest)
	})
	rejections := []struct {
		name string
		want Code
		call func(e *env, w *Warrant) func(e *env) error
	}{
		{"Rejects a caller who is not the debtor's issuer", CodeForbidden, func(e *env, w *Warrant) func(e *env) error {
			return func(e *env) error {
				_, _, err := ArrangeInterest(e.st, e.tx(), e.as(codeT1A), ArrangeInterestRequest{WarrantID: w.ID, Payer: PayerBuyer, RateBP: 300, DayCount: DayCountAct365})
				return err
			}
		}},
		{"Rejects a rate of zero", CodeInvalidArgument, func(e *env, w *Warrant) func(e *env) error {
			return func(e *env) error {
				_, _, err := ArrangeInterest(e.st, e.tx(), e.as(codeCore), ArrangeInterestRequest{WarrantID: w.ID, Payer: PayerBuyer, DayCount: DayCountAct365})
				return err
			}
		}},
		{"Rejects a rate above the cap", CodeInvalidArgument, func(e *env, w *Warrant) func(e *env) error {
			return func(e *env) error {
				_, _, err := ArrangeInterest(e.st, e.tx(), e.as(codeCore), ArrangeInterestRequest{WarrantID: w.ID, Payer: PayerBuyer, RateBP: MaxRateBasisPoints + 1, DayCount: DayCountAct365})
				return err
			}
		}},
		{"Rejects an unknown day count", CodeInvalidArgument, func(e *env, w *Warrant) func(e *env) error {
			return func(e *env) error {
				_, _, err := ArrangeInterest(e.st, e.tx(), e.as(codeCore), ArrangeInterestRequest{WarrantID: w.ID, Payer: PayerBuyer, RateBP: 300, DayCount: "30/360"})
				return err
			}
		}},
		{"Rejects an unknown payer", CodeInvalidArgument, func(e *env, w *Warrant) func(e *env) error {
			return func(e *env) error {
				_, _, err := ArrangeInterest(e.st, e.tx(), e.as(codeCore), ArrangeInterestRequest{WarrantID: w.ID, Payer: "BANK", RateBP: 300, DayCount: DayCountAct365})
				return err
			}
		}},
		{"Rejects terms after registration", CodeInvalidState, func(e *env, w *Warrant) func(e *env) error {
			e.verify(w.ID)
			_, _, err := Register(e.st, e.tx(), e.as(codeAssoc), RegisterRequest{WarrantID: w.ID})
			require.NoError(e.t, err)
			return func(e *env) error {
				_, _, err := ArrangeInterest(e.st, e.tx(), e.as(codeCore), ArrangeInterestRequest{WarrantID: w.ID, Payer: PayerBuyer, RateBP: 300, DayCount: DayCountAct365})
				return err
			}
		}},
	}
	for _, tc := range rejections {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.issue(codeT1A, face)
			e.rejects(tc.want, tc.call(e, w))
		})
	}
}

func TestConfirmedSettlement(t *testing.T) {
	// settling returns an env with a leaf of 1000 fen pledged for pledge fen (0: none)
	// whose settlement the debtor initiated at maturity.
	settling := func(t *testing.T, pledge int64) (*env, *Warrant) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		if pledge > 0 {
			e.pledge(w.ID, codeT1A, pledge)
		}
		e.now = w.MaturesAt
		s, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w.ID, PaymentRef: "HX-PAY-1", PayingBank: codeBank})
		require.NoError(t, err)
		require.Equal(t, StatusSettling, s.Status)
		return e, s
	}
	ecny := func(w *Warrant) ConfirmSettlementRequest {
		req := ConfirmSettlementRequest{WarrantID: w.ID, Channel: ChannelECNY}
		for i, sh := range w.Settlement.Payees {
			req.Payments = append(req.Payments, ConfirmedPayment{Payee: sh.Payee, PayeeAccount: "0061-" + sh.Payee,
				Amount: sh.Amount, PaymentRef: "ECNY-" + fen(int64(i)), PayerWallet: "0021000000000001", PayeeWallet: "0021000000000002"})
		}
		return req
	}
	t.Run("Final only on the paying bank's e-CNY record; the line is restored then (R32)", func(t *testing.T) {
		e, w := settling(t, 0)
		line, _ := GetCreditLine(e.st, regulator, codeCore)
		require.EqualValues(t, 1000, line.Used, "initiation restores nothing")
		require.EqualValues(t, 1000, e.summary(w.ID).Settling)
		require.Zero(t, e.summary(w.ID).Settled)
		e.conserved(w.ID)
		got, eff, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), ecny(w))
		require.NoError(t, err)
		require.Equal(t, EventSettlementConfirmed, eff.Event.Name)
		require.Equal(t, StatusSettled, got.Status)
		require.Equal(t, ChannelECNY, got.Settlement.Confirmation.Channel)
		require.Equal(t, "0021000000000002", got.Settlement.Confirmation.Payments[0].PayeeWallet)
		line, _ = GetCreditLine(e.st, regulator, codeCore)
		require.Zero(t, line.Used)
		s := e.summary(w.ID)
		require.EqualValues(t, 1000, s.Settled)
		require.Zero(t, s.Settling)
		e.conserved(w.ID)
	})
	t.Run("A partly pledged leaf pays the pledgee its secured amount and the holder the rest", func(t *testing.T) {
		e, w := settling(t, 600)
		require.Equal(t, []PayeeShare{{Payee: codeBank, Amount: 600}, {Payee: codeT1A, Amount: 400}}, w.Settlement.Payees)
		got, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), ecny(w))
		require.NoError(t, err)
		require.Equal(t, StatusSettled, got.Status)
	})
	t.Run("A settlement never confirmed is reported overdue after the window", func(t *testing.T) {
		e, w := settling(t, 0)
		page, err := PendingSettlements(e.st, e.as(codeAssoc), PendingSettlementsRequest{RootID: w.ID, AsOf: e.now})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		require.False(t, page.Items[0].Overdue)
		require.Equal(t, e.now.AddDate(0, 0, DefaultConfirmationWindowDays), page.Items[0].ConfirmBy)
		page, err = PendingSettlements(e.st, e.as(codeAssoc), PendingSettlementsRequest{RootID: w.ID, AsOf: page.Items[0].ConfirmBy.Add(time.Second)})
		require.NoError(t, err)
		require.True(t, page.Items[0].Overdue)
		require.Equal(t, StatusSettling, e.get(w.ID).Status)
		line, _ := GetCreditLine(e.st, regulator, codeCore)
		require.EqualValues(t, 1000, line.Used)
		e.confirm(w.ID)
		page, err = PendingSettlements(e.st, e.as(codeAssoc), PendingSettlementsRequest{RootID: w.ID, AsOf: e.now})
		require.NoError(t, err)
		require.Empty(t, page.Items)
	})
	rejections := []struct {
		name   string
		want   Code
		pledge int64
		call   func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error
	}{
		{"Rejects a confirmation of the wrong amount", CodePaymentMismatch, 0, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			req.Payments[0].Amount = 999
			return func(e *env) error { _, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), req); return err }
		}},
		{"Rejects a confirmation to the wrong payee", CodePaymentMismatch, 0, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			req.Payments[0].Payee = codeT1B
			return func(e *env) error { _, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), req); return err }
		}},
		{"Rejects paying a pledged leaf's whole amount to the pledgee", CodePaymentMismatch, 600, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			req.Payments = req.Payments[:1]
			req.Payments[0].Amount = 1000
			return func(e *env) error { _, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), req); return err }
		}},
		{"Rejects an e-CNY record without wallet ids", CodeInvalidArgument, 0, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			req.Payments[0].PayeeWallet = ""
			return func(e *env) error { _, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), req); return err }
		}},
		{"Rejects a bank transfer with wallet ids", CodeInvalidArgument, 0, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			req.Channel = ChannelBankTransfer
			return func(e *env) error { _, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), req); return err }
		}},
		{"Rejects a confirmation by the debtor", CodeForbidden, 0, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			return func(e *env) error { _, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeCore), req); return err }
		}},
		{"Rejects a confirmation by a bank not named as paying bank", CodeForbidden, 0, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			other := e.onboard(withCheck("91440300MA5H0002X"), MSPBank, "other-bank", RolePaymentBank)
			return func(e *env) error { _, _, err := ConfirmSettlement(e.st, e.tx(), other, req); return err }
		}},
		{"Rejects a payment reference used before by the bank", CodeAlreadyRegistered, 0, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			w2 := e.active(codeT1B, 500)
			e.now = w2.MaturesAt
			_, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w2.ID, PaymentRef: "HX-2", PayingBank: codeBank})
			require.NoError(e.t, err)
			_, _, err = ConfirmSettlement(e.st, e.tx(), e.as(codeBank), ConfirmSettlementRequest{WarrantID: w2.ID, Channel: ChannelECNY,
				Payments: []ConfirmedPayment{{Payee: codeT1B, PayeeAccount: "a", Amount: 500, PaymentRef: req.Payments[0].PaymentRef,
					PayerWallet: "0021000000000001", PayeeWallet: "0021000000000003"}}})
			require.NoError(e.t, err)
			return func(e *env) error { _, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), req); return err }
		}},
		{"Rejects confirming twice", CodeInvalidState, 0, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			_, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), req)
			require.NoError(e.t, err)
			req.Payments[0].PaymentRef = "ECNY-again"
			return func(e *env) error { _, _, err := ConfirmSettlement(e.st, e.tx(), e.as(codeBank), req); return err }
		}},
		{"Rejects initiating with a paying bank that is not one", CodeForbidden, 0, func(e *env, w *Warrant, req ConfirmSettlementRequest) func(e *env) error {
			w2 := e.active(codeT1B, 500)
			e.now = w2.MaturesAt
			return func(e *env) error {
				_, _, err := Settle(e.st, e.tx(), e.as(codeCore), SettleRequest{WarrantID: w2.ID, PaymentRef: "HX-2", PayingBank: codeAssoc})
				return err
			}
		}},
	}
	for _, tc := range rejections {
		t.Run(tc.name, func(t *testing.T) {
			e, w := settling(t, tc.pledge)
			e.rejects(tc.want, tc.call(e, w, ecny(w)))
		})
	}
}
