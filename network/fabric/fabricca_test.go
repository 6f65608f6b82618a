package fabric_test

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/network/devnet/config"

	"github.com/stretchr/testify/require"
)

// memberKinds are the kinds the association registers the orgs of the networks with
// (R34); a role counts only in an org of a kind that may hold it (R2).
var memberKinds = map[string]warrant.MemberKind{
	"CoreEnterpriseMSP": warrant.KindCoreEnterprise, "CoreEnterprise2MSP": warrant.KindCoreEnterprise,
	"BankMSP": warrant.KindBank, "Bank2MSP": warrant.KindBank,
	"AssociationMSP": warrant.KindAssociation,
}

// checkRoles rejects a scf.role value with an unknown, repeated or misplaced role.
func checkRoles(mspID, roles string) error {
	seen := map[string]bool{}
	for _, role := range strings.Split(roles, ",") {
		r := warrant.Role(role)
		known := slices.ContainsFunc(warrant.MemberKinds, func(k warrant.MemberKind) bool { return warrant.RoleAllowedForKind(r, k) })
		switch {
		case !known:
			return fmt.Errorf("unknown role %q", role)
		case seen[role]:
			return fmt.Errorf("role %q given twice", role)
		case !warrant.RoleAllowedForKind(r, memberKinds[mspID]):
			return fmt.Errorf("role %q does not count in %s, of kind %s", role, mspID, memberKinds[mspID])
		}
		seen[role] = true
	}
	return nil
}

func TestRoleCheckFollowsDesignR2(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		msp     string
		roles   string
		wantErr string
	}{
		{name: "an issuer of the core enterprise is accepted", msp: "CoreEnterpriseMSP", roles: "issuer"},
		{name: "a holder of any org is accepted", msp: "BankMSP", roles: "custodian,financier,holder"},
		{name: "an issuer outside the core enterprise is rejected", msp: "BankMSP", roles: "issuer", wantErr: "does not count in"},
		{name: "a bank verifier is rejected", msp: "BankMSP", roles: "verifier", wantErr: "does not count in"},
		{name: "an association financier is rejected", msp: "AssociationMSP", roles: "holder,financier", wantErr: "does not count in"},
		{name: "an unknown role is rejected", msp: "AssociationMSP", roles: "auditor", wantErr: "unknown role"},
		{name: "a blank in the list is rejected", msp: "AssociationMSP", roles: "verifier, admin", wantErr: "unknown role"},
		{name: "a repeated role is rejected", msp: "BankMSP", roles: "holder,holder", wantErr: "given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkRoles(tt.msp, tt.roles)
			if tt.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
}

var (
	registerUserCall   = regexp.MustCompile(`(?m)^\s*registerUser\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$`)
	registerSystemCall = regexp.MustCompile(`(?m)^\s*registerSystem\s+(\S+)\s+(\S+)\s*$`)
)

func TestFabricCARegistrationsMatchTheNetworkDescription(t *testing.T) {
	t.Parallel()
	desc := config.Consortium()
	script := readText(t, "network/fabric/fabric-ca/registerEnroll.sh")

	var registered []string
	for _, call := range registerUserCall.FindAllStringSubmatch(script, -1) {
		org := orgByKey(t, desc, call[1])
		name, entity, roles := call[2], call[3], call[4]
		t.Run(fmt.Sprintf("%s of %s has roles of its org", name, org.MSPID), func(t *testing.T) {
			require.NoError(t, checkRoles(org.MSPID, roles))
			require.Len(t, entity, 18, "scf.entity is a unified social credit code")
		})
		registered = append(registered, fmt.Sprintf("%s %s scf.entity=%s scf.role=%s", org.MSPID, name, entity, roles))
	}
	for _, call := range registerSystemCall.FindAllStringSubmatch(script, -1) {
		registered = append(registered, fmt.Sprintf("%s %s type=admin", orgByKey(t, desc, call[1]).MSPID, call[2]))
	}

	var described []string
	for _, org := range desc.Orgs {
		for _, user := range org.Users {
			if user.Type == config.UserTypeAdmin {
				require.Empty(t, user.Attrs, "%s of %s: a system that reads blocks acts for no enterprise", user.Name, org.MSPID)
				described = append(described, fmt.Sprintf("%s %s type=admin", org.MSPID, user.Name))
				continue
			}
			require.Len(t, user.Attrs, 2, "%s of %s", user.Name, org.MSPID)
			described = append(described, fmt.Sprintf("%s %s scf.entity=%s scf.role=%s",
				org.MSPID, user.Name, user.Attrs["scf.entity"], user.Attrs["scf.role"]))
			require.NoError(t, checkRoles(org.MSPID, user.Attrs["scf.role"]), "default.yaml: %s of %s", user.Name, org.MSPID)
		}
	}
	sort.Strings(registered)
	sort.Strings(described)
	require.Equal(t, described, registered, "registerEnroll.sh registers exactly the users of consortium.yaml (default.yaml's and the two added orgs'), admin-type ones with registerSystem")
}

func TestFabricCAPutsTheAttributesIntoEnrolmentCertificates(t *testing.T) {
	t.Parallel()
	script := readText(t, "network/fabric/fabric-ca/registerEnroll.sh")
	require.Contains(t, script, `--id.attrs "scf.entity=${entity}:ecert"`)
	require.Contains(t, script, `--id.attrs "\"scf.role=${roles}:ecert\""`,
		"the roles list is quoted so that its commas stay inside one attribute")
	for _, org := range network(t).Orgs {
		require.Contains(t, script, "createPeerOrg "+orgKey(org)+"\n", "the CA of %s creates its peer and admin", org.MSPID)
	}
}
