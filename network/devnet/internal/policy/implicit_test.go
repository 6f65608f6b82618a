package policy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNewFromStringImplicit(t *testing.T) {
	msg := []byte("m")
	orgs := []string{"A", "B", "C"}
	peerA, peerB, peerC := peerOf("A"), peerOf("B"), peerOf("C")
	clientA, clientB := clientOf("A", "User1@A"), clientOf("B", "User1@B")
	fake := newFakeMSP(peerA, peerB, peerC, clientA, clientB)
	tests := []struct {
		name      string
		expr      string
		signers   []*fakeIdentity
		satisfied bool
	}{
		{name: "MAJORITY of three is satisfied by two", expr: "MAJORITY Endorsement", signers: []*fakeIdentity{peerC, peerA}, satisfied: true},
		{name: "MAJORITY of three is not satisfied by one", expr: "MAJORITY Endorsement", signers: []*fakeIdentity{peerB}},
		{name: "MAJORITY counts an org once however often it signs", expr: "MAJORITY Endorsement", signers: []*fakeIdentity{peerB, peerB}},
		{name: "MAJORITY needs peers, not clients", expr: "MAJORITY Endorsement", signers: []*fakeIdentity{clientA, clientB}},
		{name: "Rule words are case-insensitive", expr: "majority Endorsement", signers: []*fakeIdentity{peerA, peerB}, satisfied: true},
		{name: "The channel reference means MAJORITY", expr: "/Channel/Application/Endorsement", signers: []*fakeIdentity{peerA, peerB}, satisfied: true},
		{name: "The channel reference is not satisfied by one org", expr: " /Channel/Application/Endorsement ", signers: []*fakeIdentity{peerA}},
		{name: "ANY is satisfied by one", expr: "ANY Endorsement", signers: []*fakeIdentity{peerC}, satisfied: true},
		{name: "ANY is not satisfied by none", expr: "Any  Endorsement", signers: []*fakeIdentity{clientA}},
		{name: "ALL is satisfied by all", expr: "ALL Endorsement", signers: []*fakeIdentity{peerA, peerB, peerC}, satisfied: true},
		{name: "ALL is not satisfied by two", expr: "ALL Endorsement", signers: []*fakeIdentity{peerA, peerB}},
		{name: "A DSL expression is parsed", expr: "OR('A.client')", signers: []*fakeIdentity{clientA}, satisfied: true},
		{name: "A DSL expression is evaluated", expr: "AND('A.peer', 'B.peer')", signers: []*fakeIdentity{peerA, peerC}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewFromString(tt.expr, orgs, fake)
			require.NoError(t, err)
			err = p.EvaluateSignedData(signatures(msg, tt.signers...))
			if tt.satisfied {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrUnsatisfied)
		})
	}
}

func TestImplicitMajorityThresholds(t *testing.T) {
	msg := []byte("m")
	all := []string{"A", "B", "C", "D", "E"}
	var peers []*fakeIdentity
	for _, org := range all {
		peers = append(peers, peerOf(org))
	}
	fake := newFakeMSP(peers...)
	tests := []struct {
		name string
		orgs int
		need int
	}{
		{name: "One org needs one", orgs: 1, need: 1},
		{name: "Two orgs need two", orgs: 2, need: 2},
		{name: "Three orgs need two", orgs: 3, need: 2},
		{name: "Four orgs need three", orgs: 4, need: 3},
		{name: "Five orgs need three", orgs: 5, need: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewFromString("MAJORITY Endorsement", all[:tt.orgs], fake)
			require.NoError(t, err)
			require.ErrorIs(t, p.EvaluateSignedData(signatures(msg, peers[:tt.need-1]...)), ErrUnsatisfied)
			require.NoError(t, p.EvaluateSignedData(signatures(msg, peers[:tt.need]...)))
		})
	}
}

func TestImplicitErrorNamesThePolicy(t *testing.T) {
	p, err := NewFromString("MAJORITY Endorsement", []string{"A", "B", "C"}, newFakeMSP())
	require.NoError(t, err)
	err = p.EvaluateSignedData(nil)
	require.ErrorIs(t, err, ErrUnsatisfied)
	require.ErrorContains(t, err, "MAJORITY Endorsement")
	require.ErrorContains(t, err, "0 of 3 organisations endorsed, 2 required")
}

func TestNewFromStringRejects(t *testing.T) {
	fake := newFakeMSP()
	tests := []struct {
		name     string
		expr     string
		orgs     []string
		deser    IdentityDeserializer
		wantErr  error
		contains string
	}{
		{name: "Rejects an implicit policy without orgs", expr: "MAJORITY Endorsement", deser: fake, contains: "no organisations"},
		{name: "Rejects an org listed twice", expr: "ANY Endorsement", orgs: []string{"A", "A"}, deser: fake, contains: `"A" listed twice`},
		{name: "Rejects a bad org MSP ID", expr: "ALL Endorsement", orgs: []string{"A", "B B"}, deser: fake, wantErr: ErrBadMSPID},
		{name: "Rejects other org sub-policies", expr: "MAJORITY Admins", orgs: []string{"A"}, deser: fake, contains: "only refer to the Endorsement policy"},
		{name: "Rejects other channel references", expr: "/Channel/Application/Writers", orgs: []string{"A"}, deser: fake, contains: "only the channel reference"},
		{name: "Rejects a nil deserializer", expr: "ANY Endorsement", orgs: []string{"A"}, contains: "nil identity deserializer"},
		{name: "Rejects a nil deserializer for DSL", expr: "OR('A.peer')", contains: "nil identity deserializer"},
		{name: "Rejects bad DSL", expr: "SOME Endorsement", orgs: []string{"A"}, deser: fake, wantErr: ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewFromString(tt.expr, tt.orgs, tt.deser)
			require.Error(t, err)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
			}
			require.ErrorContains(t, err, tt.contains)
			require.True(t, p == nil, "want an untyped nil policy")
		})
	}
}
