package fabric_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// roleOrgs are the organisations in which a role counts (DESIGN R2); holder
// counts in any organisation.
var roleOrgs = map[string]string{
	"issuer":      "CoreEnterpriseMSP",
	"custodian":   "BankMSP",
	"financier":   "BankMSP",
	"verifier":    "AssociationMSP",
	"registrar":   "AssociationMSP",
	"regulator":   "AssociationMSP",
	"admin":       "AssociationMSP",
	"holder":      "",
	"attestor":    "",
	"paymentbank": "BankMSP",
}

// checkRoles rejects a scf.role value with an unknown, repeated or misplaced role.
func checkRoles(mspID, roles string) error {
	seen := map[string]bool{}
	for _, role := range strings.Split(roles, ",") {
		org, known := roleOrgs[role]
		switch {
		case !known:
			return fmt.Errorf("unknown role %q", role)
		case seen[role]:
			return fmt.Errorf("role %q given twice", role)
		case org != "" && org != mspID:
			return fmt.Errorf("role %q only counts in %s, not %s", role, org, mspID)
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
		{name: "an issuer outside the core enterprise is rejected", msp: "BankMSP", roles: "issuer", wantErr: "only counts in CoreEnterpriseMSP"},
		{name: "a bank verifier is rejected", msp: "BankMSP", roles: "verifier", wantErr: "only counts in AssociationMSP"},
		{name: "an association financier is rejected", msp: "AssociationMSP", roles: "holder,financier", wantErr: "only counts in BankMSP"},
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

var registerUserCall = regexp.MustCompile(`(?m)^\s*registerUser\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$`)

func TestFabricCARegistrationsMatchTheNetworkDescription(t *testing.T) {
	t.Parallel()
	desc := network(t)
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

	var described []string
	for _, org := range desc.Orgs {
		for _, user := range org.Users {
			require.Len(t, user.Attrs, 2, "%s of %s", user.Name, org.MSPID)
			described = append(described, fmt.Sprintf("%s %s scf.entity=%s scf.role=%s",
				org.MSPID, user.Name, user.Attrs["scf.entity"], user.Attrs["scf.role"]))
			require.NoError(t, checkRoles(org.MSPID, user.Attrs["scf.role"]), "default.yaml: %s of %s", user.Name, org.MSPID)
		}
	}
	sort.Strings(registered)
	sort.Strings(described)
	require.Equal(t, described, registered, "registerEnroll.sh registers exactly the users of default.yaml")
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
