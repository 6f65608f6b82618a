package warrant

import (
	"slices"
	"time"
)

// EnterpriseStatus is ACTIVE or SUSPENDED (R3).
type EnterpriseStatus string

// Enterprise statuses.
const (
	EnterpriseActive    EnterpriseStatus = "ACTIVE"
	EnterpriseSuspended EnterpriseStatus = "SUSPENDED"
)

// Enterprise is an onboarded enterprise (R3). Two enterprises with the same Controller
// are related parties.
type Enterprise struct {
	CreditCode string           `json:"creditCode"`
	Name       string           `json:"name"`
	MSPID      string           `json:"mspId"`
	Roles      []Role           `json:"roles"`
	Controller string           `json:"controller"`
	Status     EnterpriseStatus `json:"status"`
	Reason     string           `json:"reason,omitempty" metadata:",optional"`
	UpdatedAt  time.Time        `json:"updatedAt"`
}

// OnboardEnterpriseRequest onboards an enterprise (admin, R3).
type OnboardEnterpriseRequest struct {
	CreditCode string `json:"creditCode"`
	Name       string `json:"name"`
	MSPID      string `json:"mspId"`
	Roles      []Role `json:"roles"`
	Controller string `json:"controller"`
}

// UpdateEnterpriseRequest changes an enterprise's name, roles or controller (admin);
// empty fields are left unchanged.
type UpdateEnterpriseRequest struct {
	CreditCode string `json:"creditCode"`
	Name       string `json:"name,omitempty" metadata:",optional"`
	Roles      []Role `json:"roles,omitempty" metadata:",optional"`
	Controller string `json:"controller,omitempty" metadata:",optional"`
}

// EnterpriseStatusRequest suspends or reinstates an enterprise (admin).
type EnterpriseStatusRequest struct {
	CreditCode string `json:"creditCode"`
	Reason     string `json:"reason"`
}

// validateRoles checks an enterprise's roles against the kind of its member org (R2, R34).
func validateRoles(roles []Role, org *Member) error {
	if len(roles) == 0 || len(roles) > len(roleKinds) {
		return newError(CodeInvalidArgument, "roles must list 1 to "+fen(int64(len(roleKinds)))+" roles", "field", "roles")
	}
	for i, r := range roles {
		if _, known := roleKinds[r]; !known {
			return newError(CodeInvalidArgument, "unknown role", "field", "roles", "role", printable(string(r)))
		}
		if !RoleAllowedForKind(r, org.Kind) {
			return newError(CodeInvalidArgument, "role not allowed for the kind of the enterprise's org (R2)", "role", string(r),
				"mspId", org.MSPID, "kind", string(org.Kind))
		}
		if slices.Contains(roles[:i], r) {
			return newError(CodeInvalidArgument, "duplicate role", "role", string(r))
		}
	}
	return nil
}

// OnboardEnterprise records a new enterprise and its controller index entry (admin, R3).
func OnboardEnterprise(st State, tx Tx, c Caller, req OnboardEnterpriseRequest) (*Enterprise, Effects, error) {
	return execute(st, tx, c, "OnboardEnterprise", "", req, func(x *opCtx) (*Enterprise, Effects, error) {
		if err := requireRole(x, c, RoleAdmin); err != nil {
			return nil, Effects{}, err
		}
		if err := ValidateCreditCode(req.CreditCode); err != nil {
			return nil, Effects{}, err
		}
		if err := validateText("name", req.Name, true, 256); err != nil {
			return nil, Effects{}, err
		}
		org, err := loadMember(x, req.MSPID)
		if err != nil {
			if IsCode(err, CodeNotFound) || IsCode(err, CodeInvalidArgument) {
				return nil, Effects{}, newError(CodeInvalidArgument, "org is not a member of the consortium (R34)", "field", "mspId")
			}
			return nil, Effects{}, err
		}
		if org.Status != MemberActive {
			return nil, Effects{}, newError(CodeForbidden, "org is suspended from the consortium (R34)", "field", "mspId", "mspId", org.MSPID)
		}
		if err := validateRoles(req.Roles, org); err != nil {
			return nil, Effects{}, err
		}
		if err := validateText("controller", req.Controller, true, 128); err != nil {
			return nil, Effects{}, err
		}
		if _, err := loadEnterprise(x, req.CreditCode); err == nil {
			return nil, Effects{}, newError(CodeAlreadyExists, "enterprise already onboarded", "creditCode", req.CreditCode)
		} else if !IsCode(err, CodeNotFound) {
			return nil, Effects{}, err
		}
		e := &Enterprise{CreditCode: req.CreditCode, Name: req.Name, MSPID: req.MSPID,
			Roles: slices.Clone(req.Roles), Controller: NormalizeName(req.Controller), Status: EnterpriseActive, UpdatedAt: x.tx.Time}
		if err := x.checkNameFree(e); err != nil {
			return nil, Effects{}, err
		}
		if err := x.putEnterprise(nil, e); err != nil {
			return nil, Effects{}, err
		}
		return e, Effects{Event: newEvent(EventEnterpriseOnboarded, x.tx, EventPayload{Subject: e.CreditCode})}, nil
	})
}

// UpdateEnterprise changes name, roles or controller of an enterprise (admin, R3).
func UpdateEnterprise(st State, tx Tx, c Caller, req UpdateEnterpriseRequest) (*Enterprise, Effects, error) {
	return execute(st, tx, c, "UpdateEnterprise", "", req, func(x *opCtx) (*Enterprise, Effects, error) {
		if err := requireRole(x, c, RoleAdmin); err != nil {
			return nil, Effects{}, err
		}
		if err := ValidateCreditCode(req.CreditCode); err != nil {
			return nil, Effects{}, err
		}
		old, err := loadEnterprise(x, req.CreditCode)
		if err != nil {
			return nil, Effects{}, err
		}
		e := *old
		if req.Name != "" {
			if err := validateText("name", req.Name, true, 256); err != nil {
				return nil, Effects{}, err
			}
			e.Name = req.Name
			if err := x.checkNameFree(&e); err != nil {
				return nil, Effects{}, err
			}
		}
		if req.Roles != nil {
			org, err := loadMember(x, e.MSPID)
			if err != nil {
				return nil, Effects{}, err
			}
			if err := validateRoles(req.Roles, org); err != nil {
				return nil, Effects{}, err
			}
			e.Roles = slices.Clone(req.Roles)
		}
		if req.Controller != "" {
			if err := validateText("controller", req.Controller, true, 128); err != nil {
				return nil, Effects{}, err
			}
			e.Controller = NormalizeName(req.Controller)
		}
		e.UpdatedAt = x.tx.Time
		if err := x.putEnterprise(old, &e); err != nil {
			return nil, Effects{}, err
		}
		return &e, Effects{Event: newEvent(EventEnterpriseUpdated, x.tx, EventPayload{Subject: e.CreditCode})}, nil
	})
}

// SuspendEnterprise suspends an enterprise: it can no longer act or be named (admin, R3).
func SuspendEnterprise(st State, tx Tx, c Caller, req EnterpriseStatusRequest) (*Enterprise, Effects, error) {
	return setEnterpriseStatus(st, tx, c, req, EnterpriseSuspended, EventEnterpriseSuspended)
}

// ReinstateEnterprise makes a suspended enterprise ACTIVE again (admin, R3).
func ReinstateEnterprise(st State, tx Tx, c Caller, req EnterpriseStatusRequest) (*Enterprise, Effects, error) {
	return setEnterpriseStatus(st, tx, c, req, EnterpriseActive, EventEnterpriseReinstated)
}

func setEnterpriseStatus(st State, tx Tx, c Caller, req EnterpriseStatusRequest, to EnterpriseStatus, event string) (*Enterprise, Effects, error) {
	return execute(st, tx, c, event, "", req, func(x *opCtx) (*Enterprise, Effects, error) {
		if err := requireRole(x, c, RoleAdmin); err != nil {
			return nil, Effects{}, err
		}
		if err := ValidateCreditCode(req.CreditCode); err != nil {
			return nil, Effects{}, err
		}
		if err := validateText("reason", req.Reason, true, 512); err != nil {
			return nil, Effects{}, err
		}
		old, err := loadEnterprise(x, req.CreditCode)
		if err != nil {
			return nil, Effects{}, err
		}
		if old.Status == to {
			return nil, Effects{}, newError(CodeInvalidState, "enterprise is already "+string(to), "creditCode", req.CreditCode)
		}
		e := *old
		e.Status, e.Reason, e.UpdatedAt = to, req.Reason, x.tx.Time
		if err := x.putEnterprise(old, &e); err != nil {
			return nil, Effects{}, err
		}
		return &e, Effects{Event: newEvent(event, x.tx, EventPayload{Subject: e.CreditCode})}, nil
	})
}

// loadEnterprise reads an enterprise; NOT_FOUND if absent.
func loadEnterprise(r StateReader, code string) (*Enterprise, error) {
	key, err := EnterpriseKey(code)
	if err != nil {
		return nil, err
	}
	var e Enterprise
	found, err := getJSON(r, key, &e)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, newError(CodeNotFound, "enterprise not found", "creditCode", code)
	}
	return &e, nil
}

// checkNameFree refuses a registered name that, normalised (NormalizeName), is already
// the name of another onboarded enterprise: one registered name has one credit code (R3),
// so a group cannot onboard a second identity under the same name to escape R8a.
func (x *opCtx) checkNameFree(e *Enterprise) error {
	key, err := CompositeKey(objByName, NormalizeName(e.Name))
	if err != nil {
		return err
	}
	b, err := x.Get(key)
	if err != nil {
		return internal("read name index", err)
	}
	if b != nil && string(b) != e.CreditCode {
		return newError(CodeAlreadyExists, "an enterprise with this registered name is already onboarded",
			"name", e.Name, "creditCode", string(b))
	}
	return nil
}

// putEnterprise writes e and keeps the controller and name indexes in step with old
// (nil on create). Controllers are stored normalised; names are indexed normalised.
func (x *opCtx) putEnterprise(old, e *Enterprise) error {
	key, err := mustKey(objEnterprise, e.CreditCode)
	if err != nil {
		return err
	}
	if old != nil && old.Controller != e.Controller {
		k, err := mustKey(objByController, old.Controller, old.CreditCode)
		if err != nil {
			return err
		}
		x.buf.del(k)
	}
	k, err := mustKey(objByController, e.Controller, e.CreditCode)
	if err != nil {
		return err
	}
	x.buf.put(k, marker)
	if old != nil && NormalizeName(old.Name) != NormalizeName(e.Name) {
		k, err := mustKey(objByName, NormalizeName(old.Name))
		if err != nil {
			return err
		}
		x.buf.del(k)
	}
	if k, err = mustKey(objByName, NormalizeName(e.Name)); err != nil {
		return err
	}
	x.buf.put(k, []byte(e.CreditCode))
	return x.putJSON(key, e)
}
