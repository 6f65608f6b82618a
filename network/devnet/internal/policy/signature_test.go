package policy

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
)

func TestEvaluateSignedData(t *testing.T) {
	msg := []byte("proposal response payload")
	peerA, peerB, peerC := peerOf("A"), peerOf("B"), peerOf("C")
	peer1A := &fakeIdentity{mspID: "A", name: "peer1.A", role: msp.MSPRole_PEER}
	clientA, adminA := clientOf("A", "User1@A"), adminOf("A")
	stranger := peerOf("Z") // unknown to the MSP
	mspOf := newFakeMSP(peerA, peerB, peerC, peer1A, clientA, adminA)

	badSignature := func(id *fakeIdentity) SignedData {
		return SignedData{Identity: id.serialize(), Data: msg, Signature: id.sign([]byte("other"))}
	}
	tests := []struct {
		name      string
		expr      string
		signed    []SignedData
		satisfied bool
	}{
		{name: "AND is satisfied by both orgs", expr: "AND('A.peer', 'B.peer')", signed: signatures(msg, peerA, peerB), satisfied: true},
		{name: "AND is not satisfied by one org", expr: "AND('A.peer', 'B.peer')", signed: signatures(msg, peerA)},
		{name: "OR is satisfied by either org", expr: "OR('A.peer', 'B.peer')", signed: signatures(msg, peerB), satisfied: true},
		{name: "OR is not satisfied by another org", expr: "OR('A.peer', 'B.peer')", signed: signatures(msg, peerC)},
		{name: "OR is not satisfied by the wrong role", expr: "OR('A.peer', 'B.peer')", signed: signatures(msg, clientA, adminA)},
		{name: "Member is satisfied by any role of the org", expr: "OR('A.member')", signed: signatures(msg, clientA), satisfied: true},
		{name: "OutOf 2 is satisfied by two of three", expr: "OutOf(2, 'A.peer', 'B.peer', 'C.peer')", signed: signatures(msg, peerC, peerA), satisfied: true},
		{name: "OutOf 2 is not satisfied by one of three", expr: "OutOf(2, 'A.peer', 'B.peer', 'C.peer')", signed: signatures(msg, peerB)},
		{name: "Nested policy is satisfied through its inner AND", expr: "OR('C.admin', AND('A.peer', 'B.peer'))", signed: signatures(msg, peerB, peerA), satisfied: true},
		{name: "No signatures satisfy nothing", expr: "OR('A.member')"},
		{name: "A duplicated identity counts once", expr: "AND('A.peer', 'A.peer')", signed: signatures(msg, peerA, peerA)},
		{name: "Two identities of one org satisfy two principals", expr: "AND('A.peer', 'A.peer')", signed: signatures(msg, peerA, peer1A), satisfied: true},
		{name: "One identity cannot satisfy two principals", expr: "AND('A.member', 'A.peer')", signed: signatures(msg, peerA)},
		{name: "Identities are consumed in signature order as in Fabric", expr: "AND('A.member', 'A.peer')", signed: signatures(msg, peerA, clientA)},
		{name: "A less privileged signer first lets both principals match", expr: "AND('A.member', 'A.peer')", signed: signatures(msg, clientA, peerA), satisfied: true},
		{name: "A failed branch gives back the identities it consumed", expr: "OR(AND('A.member', 'C.member'), 'A.member')", signed: signatures(msg, peerA), satisfied: true},
		{name: "A satisfied gate keeps every identity it consumed as in Fabric", expr: "AND(OR('A.peer', 'A.peer'), 'A.peer')", signed: signatures(msg, peerA, peer1A)},
		{name: "A bad signature is ignored", expr: "AND('A.peer', 'B.peer')", signed: []SignedData{signatures(msg, peerA)[0], badSignature(peerB)}},
		{name: "A bad signature does not hide a good one", expr: "OR('A.peer', 'B.peer')", signed: append([]SignedData{badSignature(peerA)}, signatures(msg, peerB)...), satisfied: true},
		{name: "A good signature after a bad one by the same identity counts", expr: "OR('A.peer')", signed: append([]SignedData{badSignature(peerA)}, signatures(msg, peerA)...), satisfied: true},
		{name: "An unknown identity is ignored", expr: "OR('Z.peer')", signed: signatures(msg, stranger)},
		{name: "An unknown identity does not hide a known one", expr: "OutOf(1, 'Z.peer', 'A.peer')", signed: signatures(msg, stranger, peerA), satisfied: true},
		{name: "Garbage identity bytes are ignored", expr: "OR('A.peer')", signed: []SignedData{{Identity: []byte{0xff}, Data: msg, Signature: []byte("x")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := Parse(tt.expr)
			require.NoError(t, err)
			p, err := NewSignaturePolicy(env, mspOf)
			require.NoError(t, err)
			err = p.EvaluateSignedData(tt.signed)
			if tt.satisfied {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrUnsatisfied)
			require.ErrorContains(t, err, Describe(env))
		})
	}
}

func TestEvaluateChecksEachDuplicateSignatureOnce(t *testing.T) {
	msg := []byte("m")
	peerA := peerOf("A")
	fake := newFakeMSP(peerA)
	p, err := NewFromString("OR('A.peer')", nil, fake)
	require.NoError(t, err)
	require.NoError(t, p.EvaluateSignedData(signatures(msg, peerA, peerA, peerA)))
	require.Equal(t, 1, fake.calls)
}

func TestEnvelopesEvaluateAsInFabric(t *testing.T) {
	msg := []byte("m")
	peerA := peerOf("A")
	fake := newFakeMSP(peerA)
	principalA := rolePrincipalOf("A", msp.MSPRole_PEER)
	tests := []struct {
		name      string
		env       *common.SignaturePolicyEnvelope
		satisfied bool
	}{
		{name: "Zero out of none is always satisfied", env: envelope(gate(0)), satisfied: true},
		{name: "A count above the rules is never satisfied", env: envelope(gate(2, signedBy(0)), principalA)},
		{name: "An identity principal matches its identity", env: envelope(gate(1, signedBy(0)),
			&msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_IDENTITY, Principal: peerA.serialize()}), satisfied: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewSignaturePolicy(tt.env, fake)
			require.NoError(t, err)
			err = p.EvaluateSignedData(signatures(msg, peerA))
			if tt.satisfied {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrUnsatisfied)
			}
		})
	}
}

func TestNewSignaturePolicyRejects(t *testing.T) {
	fake := newFakeMSP()
	principalA := rolePrincipalOf("A", msp.MSPRole_PEER)
	tests := []struct {
		name     string
		env      *common.SignaturePolicyEnvelope
		deser    IdentityDeserializer
		contains string
	}{
		{name: "Rejects a nil envelope", env: nil, deser: fake, contains: "nil envelope"},
		{name: "Rejects a nil deserializer", env: envelope(gate(1, signedBy(0)), principalA), contains: "nil identity deserializer"},
		{name: "Rejects version 1", env: &common.SignaturePolicyEnvelope{Version: 1, Rule: gate(1, signedBy(0)), Identities: []*msp.MSPPrincipal{principalA}}, deser: fake, contains: "version 1"},
		{name: "Rejects a missing rule", env: envelope(nil, principalA), deser: fake, contains: "empty policy element"},
		{name: "Rejects a nested missing rule", env: envelope(gate(1, nil), principalA), deser: fake, contains: "empty policy element"},
		{name: "Rejects a rule without a type", env: envelope(&common.SignaturePolicy{}), deser: fake, contains: "unknown signature policy type"},
		{name: "Rejects an index past the identities", env: envelope(gate(1, signedBy(1)), principalA), deser: fake, contains: "index 1 out of range"},
		{name: "Rejects a negative index", env: envelope(gate(1, signedBy(-1)), principalA), deser: fake, contains: "index -1 out of range"},
		{name: "Rejects a nil principal", env: envelope(gate(1, signedBy(0)), nil), deser: fake, contains: "identity 0 is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewSignaturePolicy(tt.env, tt.deser)
			require.ErrorContains(t, err, tt.contains)
			require.True(t, p == nil, "want an untyped nil policy")
		})
	}
}
