package warrant

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/test/cast"
)

// TestInitLedger checks R34's bootstrap: only an admin of the configured association
// MSP registers the first member, once.
func TestInitLedger(t *testing.T) {
	assocAdmin := NewCaller(MSPAssociation, codeAssoc, "admin")
	cases := []struct {
		name       string
		caller     Caller
		configured string
		want       Code
	}{
		{"Refuses a chaincode started without an association MSP", assocAdmin, "", CodeForbidden},
		{"Refuses another org's admin claim (its own CA issued it)", NewCaller(MSPBank, codeBank, "admin"), MSPAssociation, CodeForbidden},
		{"Refuses an association identity without the admin role", NewCaller(MSPAssociation, codeAssoc, "verifier"), MSPAssociation, CodeForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &env{t: t, st: NewMemState(), now: t0}
			e.rejects(c.want, func(e *env) error {
				_, _, err := InitLedger(e.st, e.tx(), c.caller, c.configured, InitLedgerRequest{Name: "协会"})
				return err
			})
			require.Zero(t, e.st.Len())
		})
	}
	t.Run("Registers the association once; a second call is ALREADY_EXISTS", func(t *testing.T) {
		e := &env{t: t, st: NewMemState(), now: t0}
		m, eff, err := InitLedger(e.st, e.tx(), assocAdmin, MSPAssociation, InitLedgerRequest{Name: "协会"})
		require.NoError(t, err)
		require.Equal(t, Member{MSPID: MSPAssociation, Kind: KindAssociation, Name: "协会", Status: MemberActive, UpdatedAt: t0}, *m)
		require.Equal(t, EventMemberRegistered, eff.Event.Name)
		e.rejects(CodeAlreadyExists, func(e *env) error {
			_, _, err := InitLedger(e.st, e.tx(), assocAdmin, MSPAssociation, InitLedgerRequest{Name: "协会"})
			return err
		})
		// A chaincode restarted with another association MSP cannot bootstrap a second one.
		e.rejects(CodeAlreadyExists, func(e *env) error {
			_, _, err := InitLedger(e.st, e.tx(), NewCaller(MSPBank, codeBank, "admin"), MSPBank, InitLedgerRequest{Name: "假协会"})
			return err
		})
	})
	t.Run("Before initialisation nothing writes, not even the association's admin", func(t *testing.T) {
		e := &env{t: t, st: NewMemState(), now: t0}
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := RegisterMember(e.st, e.tx(), assocAdmin, RegisterMemberRequest{MSPID: MSPBank, Kind: KindBank, Name: "银行"})
			return err
		})
	})
}

// TestMemberRegistry checks R34: members are registered by the association's admin,
// roles count by the member's kind, and a suspended member's identities write nothing.
func TestMemberRegistry(t *testing.T) {
	bank2 := cast.Get(cast.Bank2)
	valid := RegisterMemberRequest{MSPID: bank2.Org, Kind: KindBank, Name: "深圳南山商业银行"}
	t.Run("Refuses bad registrations and changes nothing", func(t *testing.T) {
		cases := []struct {
			name   string
			caller Caller
			change func(*RegisterMemberRequest)
			want   Code
		}{
			{"a bank's identity claiming admin", NewCaller(MSPBank, codeBank, "admin"), nil, CodeForbidden},
			{"a core enterprise's identity claiming admin", NewCaller(MSPCoreEnterprise, codeCore, "admin"), nil, CodeForbidden},
			{"an org that is not a member", NewCaller("Bank2MSP", bank2.CreditCode, "admin"), nil, CodeForbidden},
			{"an unknown kind", Caller{}, func(r *RegisterMemberRequest) { r.Kind = "REGULATOR" }, CodeInvalidArgument},
			{"a bad MSP ID", Caller{}, func(r *RegisterMemberRequest) { r.MSPID = "Bank 2" }, CodeInvalidArgument},
			{"no name", Caller{}, func(r *RegisterMemberRequest) { r.Name = "" }, CodeInvalidArgument},
			{"an org registered already", Caller{}, func(r *RegisterMemberRequest) { r.MSPID = MSPBank }, CodeAlreadyExists},
		}
		e := newEnv(t)
		for _, c := range cases {
			req := valid
			if c.change != nil {
				c.change(&req)
			}
			caller := c.caller
			if caller.MSPID == "" {
				caller = e.as(codeAssoc)
			}
			e.rejects(c.want, func(e *env) error {
				_, _, err := RegisterMember(e.st, e.tx(), caller, req)
				return err
			})
		}
	})

	t.Run("A registered bank's enterprises are onboarded with bank roles only", func(t *testing.T) {
		e := newEnv(t)
		onboard := OnboardEnterpriseRequest{CreditCode: bank2.CreditCode, Name: bank2.Name, MSPID: bank2.Org,
			Roles: cast.Roles[Role](bank2), Controller: bank2.Controller}
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), onboard)
			return err
		})
		m, eff, err := RegisterMember(e.st, e.tx(), e.as(codeAssoc), valid)
		require.NoError(t, err)
		require.Equal(t, KindBank, m.Kind)
		require.Equal(t, EventMemberRegistered, eff.Event.Name)
		issuer := onboard
		issuer.Roles = []Role{RoleIssuer}
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), issuer)
			return err
		})
		_, _, err = OnboardEnterprise(e.st, e.tx(), e.as(codeAssoc), onboard)
		require.NoError(t, err)
		got, err := GetMember(e.st, bank2.Org)
		require.NoError(t, err)
		require.Equal(t, *m, *got)
	})

	t.Run("A suspended member's identities write nothing, hold no role and cannot be named; reinstating restores them", func(t *testing.T) {
		e := newEnv(t)
		w := e.active(codeT1A, 1000)
		suspend := MemberStatusRequest{MSPID: MSPBank, Reason: "licence withdrawn"}
		m, eff, err := SuspendMember(e.st, e.tx(), e.as(codeAssoc), suspend)
		require.NoError(t, err)
		require.Equal(t, MemberSuspended, m.Status)
		require.Equal(t, EventMemberSuspended, eff.Event.Name)
		e.rejects(CodeInvalidState, func(e *env) error {
			_, _, err := SuspendMember(e.st, e.tx(), e.as(codeAssoc), suspend)
			return err
		})
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := SetCreditLine(e.st, e.tx(), e.as(codeBank), SetCreditLineRequest{Debtor: codeCore, Limit: 1})
			return err
		})
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := RequestFinancing(e.st, e.tx(), e.as(codeT1A), FinancingRequest{WarrantID: w.ID, Financier: codeBank})
			return err
		})
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := Deposit(e.st, e.tx(), e.as(codeT1A), DepositRequest{WarrantID: w.ID, Custodian: codeBank})
			return err
		})
		// A replayed requestId writes nothing either.
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := TakePledge(e.st, e.tx(), e.as(codeBank), PledgeRequest{RequestID: "r1", WarrantID: w.ID, Amount: 1})
			return err
		})
		_, _, err = ReinstateMember(e.st, e.tx(), e.as(codeAssoc), MemberStatusRequest{MSPID: MSPBank, Reason: "licence restored"})
		require.NoError(t, err)
		p := e.pledge(w.ID, codeT1A, 500)
		require.Equal(t, StatusPledged, p.Status)
	})

	t.Run("The admin cannot suspend its own org, nor reinstate an active one", func(t *testing.T) {
		e := newEnv(t)
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, _, err := SuspendMember(e.st, e.tx(), e.as(codeAssoc), MemberStatusRequest{MSPID: MSPAssociation, Reason: "oops"})
			return err
		})
		e.rejects(CodeInvalidState, func(e *env) error {
			_, _, err := ReinstateMember(e.st, e.tx(), e.as(codeAssoc), MemberStatusRequest{MSPID: MSPBank, Reason: "again"})
			return err
		})
		e.rejects(CodeNotFound, func(e *env) error {
			_, _, err := SuspendMember(e.st, e.tx(), e.as(codeAssoc), MemberStatusRequest{MSPID: "NobodyMSP", Reason: "x"})
			return err
		})
		e.rejects(CodeForbidden, func(e *env) error {
			_, _, err := SuspendMember(e.st, e.tx(), e.as(codeBank), MemberStatusRequest{MSPID: MSPCoreEnterprise, Reason: "rival"})
			return err
		})
	})

	t.Run("Lists the members in MSP ID order, a page at a time", func(t *testing.T) {
		e := newEnv(t)
		first, err := ListMembers(e.st, ListMembersRequest{PageSize: 2})
		require.NoError(t, err)
		require.Equal(t, []string{MSPAssociation, MSPBank}, []string{first.Items[0].MSPID, first.Items[1].MSPID})
		require.NotEmpty(t, first.NextBookmark)
		rest, err := ListMembers(e.st, ListMembersRequest{PageSize: 2, Bookmark: first.NextBookmark})
		require.NoError(t, err)
		require.Len(t, rest.Items, 1)
		require.Equal(t, MSPCoreEnterprise, rest.Items[0].MSPID)
		require.Empty(t, rest.NextBookmark)
		_, err = ListMembers(e.st, ListMembersRequest{PageSize: 101})
		require.Equal(t, CodeInvalidArgument, ErrorCode(err))
	})
}
