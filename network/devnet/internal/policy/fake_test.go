package policy

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// fakeIdentity signs deterministically: the signature is SHA-256(msg) followed by its name.
type fakeIdentity struct {
	mspID string
	name  string
	role  msp.MSPRole_MSPRoleType
}

func peerOf(mspID string) *fakeIdentity {
	return &fakeIdentity{mspID: mspID, name: "peer0." + mspID, role: msp.MSPRole_PEER}
}

func clientOf(mspID, name string) *fakeIdentity {
	return &fakeIdentity{mspID: mspID, name: name, role: msp.MSPRole_CLIENT}
}

func adminOf(mspID string) *fakeIdentity {
	return &fakeIdentity{mspID: mspID, name: "Admin@" + mspID, role: msp.MSPRole_ADMIN}
}

func (f *fakeIdentity) serialize() []byte {
	raw, err := proto.Marshal(&msp.SerializedIdentity{Mspid: f.mspID, IdBytes: []byte(f.name)})
	if err != nil {
		panic(err)
	}
	return raw
}

func (f *fakeIdentity) sign(msg []byte) []byte {
	digest := sha256.Sum256(msg)
	return append(digest[:], f.name...)
}

func (f *fakeIdentity) Verify(msg, sig []byte) error {
	if !bytes.Equal(sig, f.sign(msg)) {
		return errors.New("bad signature")
	}
	return nil
}

func (f *fakeIdentity) SatisfiesPrincipal(p *msp.MSPPrincipal) error {
	switch p.GetPrincipalClassification() {
	case msp.MSPPrincipal_ROLE:
		role := &msp.MSPRole{}
		if err := proto.Unmarshal(p.GetPrincipal(), role); err != nil {
			return err
		}
		if role.GetMspIdentifier() != f.mspID {
			return fmt.Errorf("identity of %s, principal of %s", f.mspID, role.GetMspIdentifier())
		}
		if role.GetRole() != msp.MSPRole_MEMBER && role.GetRole() != f.role {
			return fmt.Errorf("identity is %s, principal wants %s", f.role, role.GetRole())
		}
		return nil
	case msp.MSPPrincipal_IDENTITY:
		if !bytes.Equal(p.GetPrincipal(), f.serialize()) {
			return errors.New("not this identity")
		}
		return nil
	default:
		return errors.New("unsupported principal")
	}
}

// fakeMSP knows a fixed set of identities; every other identity fails to deserialize.
type fakeMSP struct {
	known map[string]*fakeIdentity
	calls int
}

func newFakeMSP(ids ...*fakeIdentity) *fakeMSP {
	m := &fakeMSP{known: map[string]*fakeIdentity{}}
	for _, id := range ids {
		m.known[string(id.serialize())] = id
	}
	return m
}

func (m *fakeMSP) Deserialize(serialized []byte) (Identity, error) {
	m.calls++
	id, ok := m.known[string(serialized)]
	if !ok {
		return nil, errors.New("unknown identity")
	}
	return id, nil
}

// signatures returns each identity's valid signature over msg.
func signatures(msg []byte, ids ...*fakeIdentity) []SignedData {
	out := make([]SignedData, 0, len(ids))
	for _, id := range ids {
		out = append(out, SignedData{Identity: id.serialize(), Data: msg, Signature: id.sign(msg)})
	}
	return out
}

// rolePrincipalOf builds the ROLE principal Fabric's parser produces for 'mspID.role'.
func rolePrincipalOf(mspID string, role msp.MSPRole_MSPRoleType) *msp.MSPPrincipal {
	raw, err := proto.Marshal(&msp.MSPRole{MspIdentifier: mspID, Role: role})
	if err != nil {
		panic(err)
	}
	return &msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_ROLE, Principal: raw}
}

func envelope(rule *common.SignaturePolicy, principals ...*msp.MSPPrincipal) *common.SignaturePolicyEnvelope {
	return &common.SignaturePolicyEnvelope{Version: 0, Rule: rule, Identities: principals}
}

func gate(n int32, rules ...*common.SignaturePolicy) *common.SignaturePolicy {
	return nOutOf(n, rules)
}
