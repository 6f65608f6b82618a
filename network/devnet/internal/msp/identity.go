package msp

import (
	"bytes"
	"crypto/x509"
	"fmt"

	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Identity is a validated identity of a channel MSP. Identities are shared
// through the Manager's cache and must not be modified.
type Identity struct {
	// MSPID is the MSP the identity belongs to.
	MSPID string
	// Cert is the identity's certificate.
	Cert *x509.Certificate
	// Role is the NodeOU role of the certificate (RoleMember without NodeOUs).
	Role Role

	serialized []byte // the bytes it was deserialized from
	canonical  []byte // MSP ID with the certificate re-encoded as PEM
}

// GetMSPIdentifier returns the identity's MSP ID (the name Fabric's msp.Identity uses;
// a method cannot be called MSPID next to the field).
func (i *Identity) GetMSPIdentifier() string { return i.MSPID }

// Serialize returns the msp.SerializedIdentity bytes the identity was deserialized from.
func (i *Identity) Serialize() []byte { return bytes.Clone(i.serialized) }

// SatisfiesPrincipal returns nil when the identity satisfies p. Supported
// classifications are ROLE (member, admin, client, peer, orderer of an MSP) and
// IDENTITY (the same serialized identity).
func (i *Identity) SatisfiesPrincipal(p *mspproto.MSPPrincipal) error {
	if p == nil {
		return fmt.Errorf("%w: nil principal", ErrUnsupportedPrincipal)
	}
	switch p.GetPrincipalClassification() {
	case mspproto.MSPPrincipal_ROLE:
		return i.satisfiesRole(p.GetPrincipal())
	case mspproto.MSPPrincipal_IDENTITY:
		if bytes.Equal(p.GetPrincipal(), i.serialized) || bytes.Equal(p.GetPrincipal(), i.canonical) {
			return nil
		}
		return fmt.Errorf("%w: identity of %s is not the principal's identity", ErrPrincipalNotSatisfied, i.MSPID)
	default:
		return fmt.Errorf("%w: %v", ErrUnsupportedPrincipal, p.GetPrincipalClassification())
	}
}

// satisfiesRole checks a ROLE principal: the MSP must match, and any valid
// identity is a member while the other roles need the same NodeOU role.
func (i *Identity) satisfiesRole(principal []byte) error {
	mspRole := &mspproto.MSPRole{}
	if err := proto.Unmarshal(principal, mspRole); err != nil {
		return fmt.Errorf("%w: unmarshal MSPRole: %w", ErrUnsupportedPrincipal, err)
	}
	want, err := roleFromPrincipal(mspRole.GetRole())
	if err != nil {
		return err
	}
	if mspRole.GetMspIdentifier() != i.MSPID {
		return fmt.Errorf("%w: identity of %s is not of MSP %s", ErrPrincipalNotSatisfied, i.MSPID, mspRole.GetMspIdentifier())
	}
	if want != RoleMember && want != i.Role {
		return fmt.Errorf("%w: identity of %s is %s, not %s", ErrPrincipalNotSatisfied, i.MSPID, i.Role, want)
	}
	return nil
}
