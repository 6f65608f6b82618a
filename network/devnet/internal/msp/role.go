package msp

import (
	"fmt"

	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
)

// Role is the NodeOU role of an identity.
type Role int

// Roles an identity can have. RoleMember is the role of an identity whose MSP
// does not use NodeOUs.
const (
	RoleMember Role = iota
	RoleClient
	RolePeer
	RoleAdmin
	RoleOrderer
)

// Organisational units that carry the NodeOU roles.
const (
	OUClient  = "client"
	OUPeer    = "peer"
	OUAdmin   = "admin"
	OUOrderer = "orderer"
)

var roleByOU = map[string]Role{OUClient: RoleClient, OUPeer: RolePeer, OUAdmin: RoleAdmin, OUOrderer: RoleOrderer}

// String returns the role's name as used in policy principals (for example "peer").
func (r Role) String() string {
	switch r {
	case RoleMember:
		return "member"
	case RoleClient:
		return OUClient
	case RolePeer:
		return OUPeer
	case RoleAdmin:
		return OUAdmin
	case RoleOrderer:
		return OUOrderer
	default:
		return fmt.Sprintf("Role(%d)", int(r))
	}
}

// roleFromOUs returns the single NodeOU role among a certificate's
// organisational units.
func roleFromOUs(ous []string) (Role, error) {
	found := []Role{}
	for _, ou := range ous {
		if role, ok := roleByOU[ou]; ok {
			found = append(found, role)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return RoleMember, fmt.Errorf("%w: certificate has none of the organisational units client, peer, admin, orderer", ErrUntrusted)
	default:
		return RoleMember, fmt.Errorf("%w: certificate has more than one role organisational unit %v", ErrUntrusted, ous)
	}
}

// roleFromPrincipal maps an MSPRole's role to ours.
func roleFromPrincipal(r mspproto.MSPRole_MSPRoleType) (Role, error) {
	switch r {
	case mspproto.MSPRole_MEMBER:
		return RoleMember, nil
	case mspproto.MSPRole_ADMIN:
		return RoleAdmin, nil
	case mspproto.MSPRole_CLIENT:
		return RoleClient, nil
	case mspproto.MSPRole_PEER:
		return RolePeer, nil
	case mspproto.MSPRole_ORDERER:
		return RoleOrderer, nil
	default:
		return RoleMember, fmt.Errorf("%w: role %v", ErrUnsupportedPrincipal, r)
	}
}
