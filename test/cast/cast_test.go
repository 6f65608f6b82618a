package cast

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
)

var keys = []string{Core, T1A, T1ARelated, T1B, T2A, T2B, T3A, Bank, Association, InvoiceCheck, Bank2, Core2}

func TestCast(t *testing.T) {
	t.Run("Every key constant names one enterprise, and every enterprise has a constant", func(t *testing.T) {
		var listed []string
		for _, e := range ConsortiumEnterprises() {
			listed = append(listed, e.Key)
		}
		require.ElementsMatch(t, keys, listed)
		for _, key := range keys {
			require.Equal(t, key, Get(key).Key)
		}
	})

	t.Run("The related parties share a controller that no one else has", func(t *testing.T) {
		require.Equal(t, Get(T1A).Controller, Get(T1ARelated).Controller)
		for _, e := range Enterprises() {
			if e.Key != T1A && e.Key != T1ARelated {
				require.NotEqual(t, Get(T1A).Controller, e.Controller, e.Key)
			}
		}
	})

	t.Run("Lookup and ByCreditCode find enterprises and report strangers", func(t *testing.T) {
		bank, ok := Lookup(Bank)
		require.True(t, ok)
		require.Equal(t, "914403007865797541", bank.CreditCode)
		found, ok := ByCreditCode(bank.CreditCode)
		require.True(t, ok)
		require.Equal(t, bank, found)
		_, ok = Lookup("t9z")
		require.False(t, ok)
		_, ok = ByCreditCode("914403007865797542")
		require.False(t, ok)
	})

	t.Run("Get panics on a key that is not a constant", func(t *testing.T) {
		require.PanicsWithValue(t, `cast: no enterprise with key "t9z"`, func() { Get("t9z") })
	})

	t.Run("An identity is the user at the enterprise's org", func(t *testing.T) {
		require.Equal(t, "Jinggong@AssociationMSP", Get(T1A).Identity())
		require.Equal(t, "User1@CoreEnterpriseMSP", Get(Core).Identity())
	})

	t.Run("Roles converts the roles to a string type, in order", func(t *testing.T) {
		type role string
		require.Equal(t, []role{"custodian", "financier", "holder", "paymentbank"}, Roles[role](Get(Bank)))
	})

	t.Run("Callers cannot change the cast through what they are given", func(t *testing.T) {
		Get(Bank).Roles[0] = "admin"
		Enterprises()[7].Roles[0] = "admin"
		FirstTrade().Invoices[0].Amount = 1
		require.Equal(t, []string{"custodian", "financier", "holder", "paymentbank"}, Get(Bank).Roles)
		require.Equal(t, int64(58_000_000), FirstTrade().Invoices[0].Amount)
	})

	t.Run("The first trade is invoiced by T1A to the core enterprise", func(t *testing.T) {
		trade := FirstTrade()
		require.Equal(t, "HX-CG-2026-0815", trade.ContractNo)
		require.Len(t, trade.Invoices, 2)
		for _, invoice := range trade.Invoices {
			require.Equal(t, Get(T1A).CreditCode, invoice.Seller)
			require.Equal(t, Get(Core).CreditCode, invoice.Buyer)
		}
	})
}

func TestCastMatchesTheDefaultNetwork(t *testing.T) {
	network := config.Default()

	t.Run("Each enterprise's user carries its credit code and roles", func(t *testing.T) {
		for _, e := range Enterprises() {
			org, err := network.Org(e.Org)
			require.NoError(t, err, e.Key)
			user := findUser(org, e.User)
			require.NotNil(t, user, "%s: no user %s", e.Key, e.Identity())
			require.Equal(t, e.CreditCode, user.Attrs["scf.entity"], e.Key)
			require.Equal(t, strings.Join(e.Roles, ","), user.Attrs["scf.role"], e.Key)
		}
	})

	t.Run("Every user acting for an enterprise acts for one of the cast", func(t *testing.T) {
		for _, org := range network.Orgs {
			for _, user := range org.Users {
				code := user.Attrs["scf.entity"]
				if code == "" {
					continue
				}
				e, ok := ByCreditCode(code)
				require.True(t, ok, "%s@%s acts for %s, not in the cast", user.Name, org.MSPID, code)
				require.Equal(t, user.Name+"@"+org.MSPID, e.Identity())
			}
		}
	})
}

func findUser(org *config.Org, name string) *config.User {
	for i := range org.Users {
		if org.Users[i].Name == name {
			return &org.Users[i]
		}
	}
	return nil
}

func TestParseRejectsBadCasts(t *testing.T) {
	const orgs = "members:\n  - {mspId: M, kind: BANK, name: N}\n"
	const member = "  - {key: a, creditCode: C1, name: A, org: M, roles: [holder], controller: x, user: U}\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"malformed YAML", "enterprises: [", "decode cast"},
		{"an unknown field", orgs + "enterprises:\n" + member + "extra: 1\n", "field extra not found"},
		{"no enterprises", orgs + "trade: {contractNo: X}\n", "no enterprises"},
		{"no members", "enterprises:\n" + member, "no members"},
		{"a member without a kind", "members:\n  - {mspId: M, name: N}\nenterprises:\n" + member, "kind and name are required"},
		{"an enterprise of an org that is not a member", orgs + "enterprises:\n" + strings.Replace(member, "org: M", "org: X", 1), `org "X" is not a member`},
		{"an enterprise without a user", orgs + "enterprises:\n  - {key: a, creditCode: C1, name: A, org: M, roles: [holder], controller: x}\n", "are required"},
		{"an enterprise without roles", orgs + "enterprises:\n  - {key: a, creditCode: C1, name: A, org: M, controller: x, user: U}\n", "are required"},
		{"a repeated key", orgs + "enterprises:\n" + member + strings.Replace(member, "C1", "C2", 1), `key "a" repeated`},
		{"a repeated credit code", orgs + "enterprises:\n" + member + strings.Replace(member, "key: a", "key: b", 1), "credit code C1 repeated"},
		{"an invoice from a stranger", orgs + "enterprises:\n" + member +
			"trade: {contractNo: X, invoices: [{code: '1', number: '2', amount: 3, seller: C9, buyer: C1}]}\n", "invoice 1:2"},
	}
	for _, tt := range tests {
		t.Run("A cast with "+tt.name+" is rejected", func(t *testing.T) {
			_, err := parse([]byte(tt.yaml))
			require.ErrorContains(t, err, tt.want)
		})
	}

	t.Run("A complete cast is accepted", func(t *testing.T) {
		parsed, err := parse([]byte(orgs + "enterprises:\n" + member))
		require.NoError(t, err)
		require.Equal(t, "U@M", parsed.Enterprises[0].Identity())
	})
}
