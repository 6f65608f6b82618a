package warrant

import (
	"slices"
	"strings"
)

// Certificate attributes the adapter reads into a Caller (R1).
const (
	AttrEntity = "scf.entity"
	AttrRole   = "scf.role"
)

// Role is a business role carried in the scf.role certificate attribute (R2).
type Role string

// Roles of R2.
const (
	RoleIssuer    Role = "issuer"
	RoleHolder    Role = "holder"
	RoleVerifier  Role = "verifier"
	RoleRegistrar Role = "registrar"
	RoleCustodian Role = "custodian"
	RoleFinancier Role = "financier"
	RoleRegulator Role = "regulator"
	RoleAdmin     Role = "admin"
	// RoleAttestor: an independent source of trade evidence (R30).
	RoleAttestor Role = "attestor"
	// RolePaymentBank: a paying bank or e-CNY operating institution that confirms the
	// payments it made (R32).
	RolePaymentBank Role = "paymentbank"
)

// Caller is the identity behind a transaction: MSP ID plus the scf.entity and scf.role
// certificate attributes (R1).
type Caller struct {
	MSPID  string
	Entity string
	Roles  []Role
}

// NewCaller builds a Caller from the MSP ID and the raw attribute values; roleAttr is
// comma-separated. Unknown role names are kept and simply never match.
func NewCaller(mspID, entity, roleAttr string) Caller {
	c := Caller{MSPID: mspID, Entity: strings.TrimSpace(entity)}
	for _, r := range strings.Split(roleAttr, ",") {
		if r = strings.TrimSpace(r); r != "" {
			c.Roles = append(c.Roles, Role(r))
		}
	}
	return c
}

// requireActingEnterprise checks role (R2) and that the caller's entity is an onboarded,
// ACTIVE enterprise of the caller's org that was onboarded with that role (R3). It
// returns the enterprise.
func requireActingEnterprise(r StateReader, c Caller, role Role) (*Enterprise, error) {
	e, err := actingEnterprise(r, c, role)
	if err != nil {
		return nil, err
	}
	if e.Status != EnterpriseActive {
		return nil, newError(CodeForbidden, "caller's enterprise is suspended", "entity", c.Entity)
	}
	return e, nil
}

// actingEnterprise is requireActingEnterprise without the status check: a suspended
// debtor still settles what it owes (R3, R12).
func actingEnterprise(r StateReader, c Caller, role Role) (*Enterprise, error) {
	if err := requireRole(r, c, role); err != nil {
		return nil, err
	}
	if c.Entity == "" || ValidateCreditCode(c.Entity) != nil {
		return nil, newError(CodeForbidden, "caller has no valid scf.entity attribute")
	}
	e, err := loadEnterprise(r, c.Entity)
	if err != nil {
		if IsCode(err, CodeNotFound) {
			return nil, newError(CodeForbidden, "caller's enterprise is not onboarded", "entity", c.Entity)
		}
		return nil, err
	}
	if e.MSPID != c.MSPID {
		return nil, newError(CodeForbidden, "caller's org is not the enterprise's org", "entity", c.Entity, "mspId", printable(c.MSPID))
	}
	if !slices.Contains(e.Roles, role) {
		return nil, newError(CodeForbidden, "enterprise was not onboarded with role "+string(role), "entity", c.Entity)
	}
	return e, nil
}

// requireParty loads an enterprise named in a request: it must exist, be ACTIVE and
// (if role is not "") have been onboarded with role (R3).
func requireParty(r StateReader, field, code string, role Role) (*Enterprise, error) {
	if err := ValidateCreditCode(code); err != nil {
		e := AsError(err)
		e.Details["field"] = field
		return nil, e
	}
	e, err := loadEnterprise(r, code)
	if err != nil {
		if IsCode(err, CodeNotFound) {
			return nil, newError(CodeNotFound, "enterprise is not onboarded", "field", field, "creditCode", code)
		}
		return nil, err
	}
	if e.Status != EnterpriseActive {
		return nil, newError(CodeForbidden, "enterprise is suspended", "field", field, "creditCode", code)
	}
	if _, err := activeMember(r, field, e.MSPID); err != nil {
		return nil, err
	}
	if role != "" && !slices.Contains(e.Roles, role) {
		return nil, newError(CodeForbidden, "enterprise lacks role "+string(role), "field", field, "creditCode", code)
	}
	return e, nil
}

// related reports whether two enterprises are related parties (same controller once
// normalised, R3) or the same enterprise.
func related(a, b *Enterprise) bool {
	return a.CreditCode == b.CreditCode || NormalizeName(a.Controller) == NormalizeName(b.Controller)
}
