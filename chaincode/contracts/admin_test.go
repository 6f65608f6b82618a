package contracts_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/cast"
)

// TestAdminContract covers identities and roles (R1, R2), onboarding (R3),
// parameters and credit lines (R4a) through the admin contract.
func TestAdminContract(t *testing.T) {
	root := newLedger(t)
	root.onboard()
	lianchuang := onboarding(cast.T1B)
	notOnboarded := func(l *ledger) {
		l.t.Helper()
		var e warrant.Enterprise
		require.Equal(l.t, warrant.CodeNotFound, code(l.t, l.evaluate("query:GetEnterprise", &e, codeT1B)))
	}

	t.Run("Onboarding records the enterprise and who its related parties are", func(t *testing.T) {
		l := root.in(t)
		var e warrant.Enterprise
		require.NoError(t, l.evaluate("query:GetEnterprise", &e, codeT1A))
		require.Equal(t, warrant.EnterpriseActive, e.Status)
		require.Equal(t, "AssociationMSP", e.MSPID)
		require.Equal(t, []warrant.Role{"holder"}, e.Roles)
		var related []string
		require.NoError(t, l.evaluate("query:RelatedParties", &related, codeT1A))
		require.ElementsMatch(t, []string{codeT1A, codeT1ARel}, related)
	})

	t.Run("Onboarding rejects bad requests and writes nothing", func(t *testing.T) {
		l := root.in(t)
		bad := func(change func(*warrant.OnboardEnterpriseRequest)) warrant.OnboardEnterpriseRequest {
			request := lianchuang
			request.Roles = append([]warrant.Role(nil), lianchuang.Roles...)
			change(&request)
			return request
		}
		cases := []struct {
			name    string
			request any
			want    warrant.Code
		}{
			{"a wrong check character", bad(func(r *warrant.OnboardEnterpriseRequest) { r.CreditCode = "91441900131860916C" }), warrant.CodeInvalidArgument},
			{"a short credit code", bad(func(r *warrant.OnboardEnterpriseRequest) { r.CreditCode = "9144190013186" }), warrant.CodeInvalidArgument},
			{"an unknown org", bad(func(r *warrant.OnboardEnterpriseRequest) { r.MSPID = "OrdererMSP" }), warrant.CodeInvalidArgument},
			{"a role of another org", bad(func(r *warrant.OnboardEnterpriseRequest) { r.Roles = []warrant.Role{"holder", "issuer"} }), warrant.CodeInvalidArgument},
			{"an unknown role", bad(func(r *warrant.OnboardEnterpriseRequest) { r.Roles = []warrant.Role{"owner"} }), warrant.CodeInvalidArgument},
			{"a role twice", bad(func(r *warrant.OnboardEnterpriseRequest) { r.Roles = []warrant.Role{"holder", "holder"} }), warrant.CodeInvalidArgument},
			{"no name", bad(func(r *warrant.OnboardEnterpriseRequest) { r.Name = "" }), warrant.CodeInvalidArgument},
			{"no controller", bad(func(r *warrant.OnboardEnterpriseRequest) { r.Controller = "" }), warrant.CodeInvalidArgument},
			{"malformed JSON", `{"creditCode": "91441900131860916B",`, warrant.CodeInvalidArgument},
			{"an unknown field", `{"creditCode":"91441900131860916B","name":"x","mspId":"AssociationMSP","roles":["holder"],"controller":"x","kyc":true}`, warrant.CodeInvalidArgument},
		}
		for _, c := range cases {
			require.Equal(t, c.want, code(t, l.submit(asAssoc, "admin:OnboardEnterprise", c.request, nil)), c.name)
			notOnboarded(l)
		}
		var before, after warrant.Enterprise
		require.NoError(t, l.evaluate("query:GetEnterprise", &before, codeT1A))
		again := warrant.OnboardEnterpriseRequest{CreditCode: codeT1A, Name: "另一家", MSPID: "AssociationMSP", Roles: []warrant.Role{"holder"}, Controller: "other"}
		require.Equal(t, warrant.CodeAlreadyExists, code(t, l.submit(asAssoc, "admin:OnboardEnterprise", again, nil)))
		require.NoError(t, l.evaluate("query:GetEnterprise", &after, codeT1A))
		require.Equal(t, before, after)
	})

	t.Run("Only an association admin onboards", func(t *testing.T) {
		l := root.in(t)
		for _, as := range []string{asJinggong, asCoreClerk, asBank, asNoAttributes} {
			require.Equal(t, warrant.CodeForbidden, code(t, l.submit(as, "admin:OnboardEnterprise", lianchuang, nil)), as)
			notOnboarded(l)
		}
	})

	t.Run("A role held by an identity of the wrong org does not count", func(t *testing.T) {
		l := root.in(t)
		issued := len(l.list("query:ListByDebtor", codeCore, warrant.StatusIssued))
		line := l.creditLine()
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asBankIssuer, "issuance:Issue", issueRequest(l.nextInvoice(), 1_000), nil)))
		require.Len(t, l.list("query:ListByDebtor", codeCore, warrant.StatusIssued), issued)
		require.Equal(t, line, l.creditLine())

		w := l.issue(5_000)
		before := l.snapshot(w.ID)
		l.rejected(l.submit(asCoreClerk, "registry:Verify", warrant.VerifyRequest{WarrantID: w.ID, EvidenceHash: hash("e"), Passed: true}, nil), warrant.CodeForbidden, before)
		l.rejected(l.submit(asCoreClerk, "regulator:Freeze", warrant.FreezeRequest{WarrantID: w.ID, Reason: "court order"}, nil), warrant.CodeForbidden, before)
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asAssocTeller, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: codeCore, Limit: 1}, nil)))
		require.Equal(t, line.Limit, l.creditLine().Limit)

		active := l.register(l.verify(w))
		offered, _ := l.offer(active, codeT2A, 1_000)
		pending := l.snapshot(offered.ID)
		l.rejected(l.submit(asBankHengda, "transfer:Accept", warrant.OfferRequest{WarrantID: offered.ID}, nil), warrant.CodeForbidden, pending)

		// The clerk's issuer role is held in its own org, so it counts.
		var clerkIssued warrant.Warrant
		l.mustSubmit(asCoreClerk, "issuance:Issue", issueRequest(l.nextInvoice(), 1_000), &clerkIssued)
		require.Equal(t, codeCore, clerkIssued.Debtor)
	})

	t.Run("An identity without scf attributes is refused", func(t *testing.T) {
		l := root.in(t)
		w := l.active(2_000)
		before := l.snapshot(w.ID)
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asNoAttributes, "issuance:Issue", issueRequest(l.nextInvoice(), 1_000), nil)))
		l.rejected(l.submit(asNoAttributes, "transfer:SplitTransfer", warrant.SplitTransferRequest{
			WarrantID: w.ID, Parts: []warrant.Part{{Recipient: codeT2A, Amount: 1}}}, nil), warrant.CodeForbidden, before)
	})

	t.Run("An enterprise that is not onboarded can neither act nor be named", func(t *testing.T) {
		l := root.in(t)
		apply := warrant.ApplyRequest{Debtor: codeCore, Amount: 1_000, MaturesAt: issueRequest("", 0).MaturesAt, Trade: issueRequest(l.nextInvoice(), 1_000).Trade}
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asLianchuang, "issuance:Apply", apply, nil)))
		request := issueRequest(l.nextInvoice(), 1_000)
		request.Holder = codeT1B
		require.Equal(t, warrant.CodeNotFound, code(t, l.submit(asCore, "issuance:Issue", request, nil)))
		w := l.active(3_000)
		before := l.snapshot(w.ID)
		l.rejected(l.submit(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{
			WarrantID: w.ID, Parts: []warrant.Part{{Recipient: codeT1B, Amount: 1_000}}}, nil), warrant.CodeNotFound, before)
	})

	t.Run("A suspended enterprise can neither act nor be named until reinstated", func(t *testing.T) {
		l := root.in(t)
		w := l.active(4_000)
		before := l.snapshot(w.ID)
		suspend := warrant.EnterpriseStatusRequest{CreditCode: codeT2A, Reason: "KYC review"}
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asJinggong, "admin:SuspendEnterprise", suspend, nil)))
		require.Equal(t, warrant.CodeInvalidArgument, code(t, l.submit(asAssoc, "admin:SuspendEnterprise", warrant.EnterpriseStatusRequest{CreditCode: codeT2A}, nil)))
		require.Equal(t, warrant.CodeNotFound, code(t, l.submit(asAssoc, "admin:SuspendEnterprise", warrant.EnterpriseStatusRequest{CreditCode: codeT1B, Reason: "x"}, nil)))
		l.mustSubmit(asAssoc, "admin:SuspendEnterprise", suspend, nil)
		require.Equal(t, warrant.CodeInvalidState, code(t, l.submit(asAssoc, "admin:SuspendEnterprise", suspend, nil)))
		split := warrant.SplitTransferRequest{WarrantID: w.ID, Parts: []warrant.Part{{Recipient: codeT2A, Amount: 1_000}}}
		l.rejected(l.submit(asJinggong, "transfer:SplitTransfer", split, nil), warrant.CodeForbidden, before)

		suspendHolder := warrant.EnterpriseStatusRequest{CreditCode: codeT1A, Reason: "KYC review"}
		l.mustSubmit(asAssoc, "admin:SuspendEnterprise", suspendHolder, nil)
		l.rejected(l.submit(asJinggong, "transfer:SplitTransfer", warrant.SplitTransferRequest{
			WarrantID: w.ID, Parts: []warrant.Part{{Recipient: codeT3A, Amount: 1_000}}}, nil), warrant.CodeForbidden, before)
		require.Equal(t, warrant.CodeForbidden, code(t, l.submit(asCore, "issuance:Issue", issueRequest(l.nextInvoice(), 1_000), nil)))

		l.mustSubmit(asAssoc, "admin:ReinstateEnterprise", suspendHolder, nil)
		l.mustSubmit(asAssoc, "admin:ReinstateEnterprise", suspend, nil)
		l.transfer(w, codeT2A, 1_000)
	})

	t.Run("A new common controller makes enterprises related parties", func(t *testing.T) {
		l := root.in(t)
		received, _ := l.transfer(l.active(6_000), codeT2A, 3_000)
		before := l.snapshot(received.ID)
		l.mustSubmit(asAssoc, "admin:UpdateEnterprise", warrant.UpdateEnterpriseRequest{CreditCode: codeT3A, Controller: "hengda"}, nil)
		var related []string
		require.NoError(t, l.evaluate("query:RelatedParties", &related, codeT2A))
		require.ElementsMatch(t, []string{codeT2A, codeT3A}, related)
		split := warrant.SplitTransferRequest{WarrantID: received.ID, Parts: []warrant.Part{{Recipient: codeT3A, Amount: 1_000}}}
		l.rejected(l.submit(asHengda, "transfer:SplitTransfer", split, nil), warrant.CodeRelatedParty, before)
		l.mustSubmit(asAssoc, "admin:UpdateEnterprise", warrant.UpdateEnterpriseRequest{CreditCode: codeT3A, Controller: "yongsheng"}, nil)
		l.mustSubmit(asHengda, "transfer:SplitTransfer", split, nil)
	})

	t.Run("Parameters are set by an admin within their hard limits", func(t *testing.T) {
		l := root.in(t)
		var params warrant.Params
		require.NoError(t, l.evaluate("query:GetParams", &params))
		require.Equal(t, warrant.DefaultParams(), params)
		for _, as := range []string{asJinggong, asCoreClerk, asBank} {
			require.Equal(t, warrant.CodeForbidden, code(t, l.submit(as, "admin:SetParams", warrant.DefaultParams(), nil)), as)
		}
		for name, change := range map[string]func(*warrant.Params){
			"tenor over a year":  func(p *warrant.Params) { p.MaxTenorDays = 366 },
			"101 parts":          func(p *warrant.Params) { p.MaxParts = 101 },
			"no amount cap":      func(p *warrant.Params) { p.AmountCap = 0 },
			"no window":          func(p *warrant.Params) { p.AcceptanceWindowDays = 0 },
			"unit above the cap": func(p *warrant.Params) { p.MinUnit = p.AmountCap + 1 },
			"depth over 64":      func(p *warrant.Params) { p.MaxDepth = 65 },
		} {
			bad := warrant.DefaultParams()
			change(&bad)
			require.Equal(t, warrant.CodeInvalidArgument, code(t, l.submit(asAssoc, "admin:SetParams", bad, nil)), name)
		}
		require.NoError(t, l.evaluate("query:GetParams", &params))
		require.Equal(t, warrant.DefaultParams(), params)
		restore := l.setParams(func(p *warrant.Params) { p.MaxParts = 10 })
		require.NoError(t, l.evaluate("query:GetParams", &params))
		require.Equal(t, 10, params.MaxParts)
		restore()
	})

	t.Run("A bank financier sets the core enterprise's credit line", func(t *testing.T) {
		l := root.in(t)
		line := l.creditLine()
		for _, c := range []struct {
			name    string
			as      string
			request warrant.SetCreditLineRequest
			want    warrant.Code
		}{
			{"a supplier", asJinggong, warrant.SetCreditLineRequest{Debtor: codeCore, Limit: 1}, warrant.CodeForbidden},
			{"the core enterprise itself", asCoreClerk, warrant.SetCreditLineRequest{Debtor: codeCore, Limit: 1}, warrant.CodeForbidden},
			{"a negative limit", asBank, warrant.SetCreditLineRequest{Debtor: codeCore, Limit: -1}, warrant.CodeInvalidArgument},
			{"a limit over 1e15 fen", asBank, warrant.SetCreditLineRequest{Debtor: codeCore, Limit: warrant.MaxAmountCap + 1}, warrant.CodeInvalidArgument},
			{"a debtor that is no issuer", asBank, warrant.SetCreditLineRequest{Debtor: codeT1A, Limit: 1}, warrant.CodeForbidden},
			{"a debtor not onboarded", asBank, warrant.SetCreditLineRequest{Debtor: codeT1B, Limit: 1}, warrant.CodeNotFound},
		} {
			require.Equal(t, c.want, code(t, l.submit(c.as, "admin:SetCreditLine", c.request, nil)), c.name)
			require.Equal(t, line, l.creditLine(), c.name)
		}
		var set warrant.CreditLine
		l.mustSubmit(asBank, "admin:SetCreditLine", warrant.SetCreditLineRequest{Debtor: codeCore, Limit: line.Limit + 1}, &set)
		require.Equal(t, line.Limit+1, set.Limit)
		require.Equal(t, line.Used, set.Used)
		require.Equal(t, codeBank, set.Financier)
	})
}
