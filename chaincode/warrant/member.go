package warrant

import (
	"encoding/json"
	"regexp"
	"slices"
	"time"
)

// Members of the consortium (R34). The orgs of the channel are data on the ledger, not
// code: the association's admin registers each member org (its MSP ID, its kind and a
// display name) and may suspend and reinstate it. A role counts only for an identity of
// an ACTIVE member whose kind may hold that role (R2), and nothing writes for an
// identity of an org that is not an ACTIVE member.
//
// The first member, the association, cannot be registered by an admin, since none
// exists yet: InitLedger registers it once, for an admin identity of the association
// MSP the chaincode was configured with (its -association-msp flag or
// WARRANT_ASSOCIATION_MSP, set alike by every org of the network as part of the
// network's configuration).

// MemberKind is what a member org is: a core enterprise, a bank or the association.
type MemberKind string

// Member kinds (R34).
const (
	KindCoreEnterprise MemberKind = "CORE_ENTERPRISE"
	KindBank           MemberKind = "BANK"
	KindAssociation    MemberKind = "ASSOCIATION"
)

// MemberKinds lists the kinds in a fixed order.
var MemberKinds = []MemberKind{KindCoreEnterprise, KindBank, KindAssociation}

// MemberStatus is ACTIVE or SUSPENDED (R34).
type MemberStatus string

// Member statuses.
const (
	MemberActive    MemberStatus = "ACTIVE"
	MemberSuspended MemberStatus = "SUSPENDED"
)

// Member is a member org of the consortium (R34).
type Member struct {
	MSPID     string       `json:"mspId"`
	Kind      MemberKind   `json:"kind"`
	Name      string       `json:"name"`
	Status    MemberStatus `json:"status"`
	Reason    string       `json:"reason,omitempty" metadata:",optional"`
	UpdatedAt time.Time    `json:"updatedAt"`
}

// InitLedgerRequest registers the association, the first member (R34).
type InitLedgerRequest struct {
	Name string `json:"name"`
}

// RegisterMemberRequest registers a member org (admin, R34).
type RegisterMemberRequest struct {
	MSPID string     `json:"mspId"`
	Kind  MemberKind `json:"kind"`
	Name  string     `json:"name"`
}

// MemberStatusRequest suspends or reinstates a member org (admin, R34).
type MemberStatusRequest struct {
	MSPID  string `json:"mspId"`
	Reason string `json:"reason"`
}

// ListMembersRequest pages through the member orgs, in MSP ID order.
type ListMembersRequest struct {
	PageSize int    `json:"pageSize,omitempty" metadata:",optional"`
	Bookmark string `json:"bookmark,omitempty" metadata:",optional"`
}

// MemberPage is one page of members; NextBookmark is empty on the last page.
type MemberPage struct {
	Items        []Member `json:"items"`
	NextBookmark string   `json:"nextBookmark,omitempty" metadata:",optional"`
}

// Member event names (R34).
const (
	EventMemberRegistered = "warrant.memberRegistered"
	EventMemberSuspended  = "warrant.memberSuspended"
	EventMemberReinstated = "warrant.memberReinstated"
)

// Keys of the member registry.
const (
	objMember    = "member"    // MSP ID → Member
	objBootstrap = "bootstrap" // (no attribute) → MSP ID of the association InitLedger registered
)

// roleKinds are the member kinds whose identities may hold a role; nil means any kind
// (R2, R34).
var roleKinds = map[Role][]MemberKind{
	RoleIssuer:      {KindCoreEnterprise},
	RoleHolder:      nil,
	RoleVerifier:    {KindAssociation},
	RoleRegistrar:   {KindAssociation},
	RoleRegulator:   {KindAssociation},
	RoleAdmin:       {KindAssociation},
	RoleCustodian:   {KindBank},
	RoleFinancier:   {KindBank},
	RolePaymentBank: {KindBank},
	// Attestors are found in any org; what each may attest is set by the admin (R30).
	RoleAttestor: nil,
}

// RoleAllowedForKind reports whether an identity of a member of kind may hold role (R2).
func RoleAllowedForKind(role Role, kind MemberKind) bool {
	kinds, known := roleKinds[role]
	return known && (kinds == nil || slices.Contains(kinds, kind))
}

// mspIDPattern is the shape of an MSP ID the registry accepts.
var mspIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func validateMSPID(field, mspID string) error {
	if !mspIDPattern.MatchString(mspID) {
		return newError(CodeInvalidArgument, "must be an MSP ID (letters, digits, '.', '_', '-'; at most 64)",
			"field", field, "mspId", printable(mspID))
	}
	return nil
}

// MemberKey is the ledger key of a member org.
func MemberKey(mspID string) (string, error) {
	if err := validateMSPID("mspId", mspID); err != nil {
		return "", err
	}
	return CompositeKey(objMember, mspID)
}

// loadMember reads a member org; NOT_FOUND if it is not registered.
func loadMember(r StateReader, mspID string) (*Member, error) {
	key, err := MemberKey(mspID)
	if err != nil {
		return nil, err
	}
	var m Member
	found, err := getJSON(r, key, &m)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, newError(CodeNotFound, "org is not a member of the consortium", "mspId", mspID)
	}
	return &m, nil
}

// activeMember loads the member org mspID and checks it is ACTIVE; refusals are
// FORBIDDEN, naming field (R34).
func activeMember(r StateReader, field, mspID string) (*Member, error) {
	m, err := loadMember(r, mspID)
	if err != nil {
		if IsCode(err, CodeNotFound) || IsCode(err, CodeInvalidArgument) {
			return nil, newError(CodeForbidden, "org is not a member of the consortium (R34)", "field", field, "mspId", printable(mspID))
		}
		return nil, err
	}
	if m.Status != MemberActive {
		return nil, newError(CodeForbidden, "org is suspended from the consortium (R34)", "field", field, "mspId", mspID)
	}
	return m, nil
}

// requireWriter checks that the caller's org is an ACTIVE member: nothing writes for an
// identity of any other org (R34). execute calls it before every operation.
func requireWriter(r StateReader, c Caller) error {
	_, err := activeMember(r, "caller", c.MSPID)
	return err
}

// hasRole reports whether the caller holds role in its certificate and belongs to an
// ACTIVE member whose kind may hold it (R2, R34).
func hasRole(r StateReader, c Caller, role Role) (bool, error) {
	if _, known := roleKinds[role]; !known || !slices.Contains(c.Roles, role) {
		return false, nil
	}
	m, err := loadMember(r, c.MSPID)
	if err != nil {
		if IsCode(err, CodeNotFound) || IsCode(err, CodeInvalidArgument) {
			return false, nil
		}
		return false, err
	}
	return m.Status == MemberActive && RoleAllowedForKind(role, m.Kind), nil
}

// requireRole checks that the caller holds role in an org whose kind may hold it (R2,
// R34); roles of the association (admin, verifier, registrar, regulator) need nothing
// more.
func requireRole(r StateReader, c Caller, role Role) error {
	ok, err := hasRole(r, c, role)
	if err != nil {
		return err
	}
	if !ok {
		return newError(CodeForbidden, "caller lacks role "+string(role)+" in a member org of the required kind",
			"role", string(role), "mspId", printable(c.MSPID))
	}
	return nil
}

// InitLedger registers the association as the first member (R34). Only an admin
// identity of associationMSP, the MSP the chaincode was configured with, may call it,
// and only once: afterwards members are registered by the association's admin.
func InitLedger(st State, tx Tx, c Caller, associationMSP string, req InitLedgerRequest) (*Member, Effects, error) {
	if err := validateTx(tx); err != nil {
		return nil, Effects{}, err
	}
	x := &opCtx{st: st, buf: &buffer{st: st, pending: map[string][]byte{}}, tx: tx, caller: c}
	m, eff, err := initLedger(x, c, associationMSP, req)
	if err != nil {
		return nil, Effects{}, err
	}
	if err := x.buf.flush(); err != nil {
		return nil, Effects{}, err
	}
	return m, eff, nil
}

func initLedger(x *opCtx, c Caller, associationMSP string, req InitLedgerRequest) (*Member, Effects, error) {
	if associationMSP == "" {
		return nil, Effects{}, newError(CodeForbidden, "the chaincode was started without an association MSP (-association-msp)")
	}
	if c.MSPID != associationMSP || !slices.Contains(c.Roles, RoleAdmin) {
		return nil, Effects{}, newError(CodeForbidden, "only an admin of the configured association MSP initialises the ledger (R34)",
			"mspId", printable(c.MSPID))
	}
	if err := validateText("name", req.Name, true, 256); err != nil {
		return nil, Effects{}, err
	}
	key, err := mustKey(objBootstrap)
	if err != nil {
		return nil, Effects{}, err
	}
	done, err := x.Get(key)
	if err != nil {
		return nil, Effects{}, internal("read bootstrap", err)
	}
	if done != nil {
		return nil, Effects{}, newError(CodeAlreadyExists, "the ledger is already initialised", "mspId", string(done))
	}
	m := &Member{MSPID: associationMSP, Kind: KindAssociation, Name: req.Name, Status: MemberActive, UpdatedAt: x.tx.Time}
	if err := x.putMember(m); err != nil {
		return nil, Effects{}, err
	}
	x.buf.put(key, []byte(associationMSP))
	return m, Effects{Event: newEvent(EventMemberRegistered, x.tx, EventPayload{Subject: m.MSPID})}, nil
}

// RegisterMember registers a member org of a kind (admin, R34). An MSP ID is registered
// once; its kind never changes.
func RegisterMember(st State, tx Tx, c Caller, req RegisterMemberRequest) (*Member, Effects, error) {
	return execute(st, tx, c, "RegisterMember", "", req, func(x *opCtx) (*Member, Effects, error) {
		if err := requireRole(x, c, RoleAdmin); err != nil {
			return nil, Effects{}, err
		}
		if err := validateMSPID("mspId", req.MSPID); err != nil {
			return nil, Effects{}, err
		}
		if !slices.Contains(MemberKinds, req.Kind) {
			return nil, Effects{}, newError(CodeInvalidArgument, "kind must be CORE_ENTERPRISE, BANK or ASSOCIATION",
				"field", "kind", "kind", printable(string(req.Kind)))
		}
		if err := validateText("name", req.Name, true, 256); err != nil {
			return nil, Effects{}, err
		}
		if _, err := loadMember(x, req.MSPID); err == nil {
			return nil, Effects{}, newError(CodeAlreadyExists, "org is already a member", "mspId", req.MSPID)
		} else if !IsCode(err, CodeNotFound) {
			return nil, Effects{}, err
		}
		m := &Member{MSPID: req.MSPID, Kind: req.Kind, Name: req.Name, Status: MemberActive, UpdatedAt: x.tx.Time}
		if err := x.putMember(m); err != nil {
			return nil, Effects{}, err
		}
		return m, Effects{Event: newEvent(EventMemberRegistered, x.tx, EventPayload{Subject: m.MSPID})}, nil
	})
}

// SuspendMember suspends a member org: its identities can no longer write, hold a role
// or be named as a party (admin, R34). The admin cannot suspend its own org.
func SuspendMember(st State, tx Tx, c Caller, req MemberStatusRequest) (*Member, Effects, error) {
	return setMemberStatus(st, tx, c, req, MemberSuspended, EventMemberSuspended)
}

// ReinstateMember makes a suspended member org ACTIVE again (admin, R34).
func ReinstateMember(st State, tx Tx, c Caller, req MemberStatusRequest) (*Member, Effects, error) {
	return setMemberStatus(st, tx, c, req, MemberActive, EventMemberReinstated)
}

func setMemberStatus(st State, tx Tx, c Caller, req MemberStatusRequest, to MemberStatus, event string) (*Member, Effects, error) {
	return execute(st, tx, c, event, "", req, func(x *opCtx) (*Member, Effects, error) {
		if err := requireRole(x, c, RoleAdmin); err != nil {
			return nil, Effects{}, err
		}
		if err := validateMSPID("mspId", req.MSPID); err != nil {
			return nil, Effects{}, err
		}
		if err := validateText("reason", req.Reason, true, 512); err != nil {
			return nil, Effects{}, err
		}
		if req.MSPID == c.MSPID {
			return nil, Effects{}, newError(CodeInvalidArgument, "an admin cannot change its own org's membership", "mspId", req.MSPID)
		}
		old, err := loadMember(x, req.MSPID)
		if err != nil {
			return nil, Effects{}, err
		}
		if old.Status == to {
			return nil, Effects{}, newError(CodeInvalidState, "member is already "+string(to), "mspId", req.MSPID)
		}
		m := *old
		m.Status, m.Reason, m.UpdatedAt = to, req.Reason, x.tx.Time
		if err := x.putMember(&m); err != nil {
			return nil, Effects{}, err
		}
		return &m, Effects{Event: newEvent(event, x.tx, EventPayload{Subject: m.MSPID})}, nil
	})
}

func (x *opCtx) putMember(m *Member) error {
	key, err := MemberKey(m.MSPID)
	if err != nil {
		return err
	}
	return x.putJSON(key, m)
}

// GetMember returns a member org by MSP ID, to any caller (R34).
func GetMember(r StateReader, mspID string) (*Member, error) {
	if err := validateMSPID("mspId", mspID); err != nil {
		return nil, err
	}
	return loadMember(r, mspID)
}

// ListMembers pages through the member orgs in MSP ID order, to any caller (R34).
func ListMembers(r ReadState, req ListMembersRequest) (*MemberPage, error) {
	start, end, err := PartialKeyRange(objMember)
	if err != nil {
		return nil, err
	}
	kvs, next, err := rangePage(r, start, end, req.PageSize, req.Bookmark)
	if err != nil {
		return nil, err
	}
	page := &MemberPage{Items: make([]Member, 0, len(kvs)), NextBookmark: next}
	for _, kv := range kvs {
		var m Member
		if err := json.Unmarshal(kv.Value, &m); err != nil {
			return nil, internal("decode member", err)
		}
		page.Items = append(page.Items, m)
	}
	return page, nil
}
