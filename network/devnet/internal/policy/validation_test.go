package policy

import (
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// stateBasedPolicy writes a key-level policy the way chaincode does.
func stateBasedPolicy(t *testing.T, role statebased.RoleType, orgs ...string) []byte {
	t.Helper()
	ep, err := statebased.NewStateEP(nil)
	require.NoError(t, err)
	require.NoError(t, ep.AddOrgs(role, orgs...))
	value, err := ep.Policy()
	require.NoError(t, err)
	return value
}

func TestParseValidationParameter(t *testing.T) {
	t.Run("Reads the AND over sorted orgs that statebased writes", func(t *testing.T) {
		env, err := ParseValidationParameter(stateBasedPolicy(t, statebased.RoleTypePeer, "BankMSP", "AssociationMSP"))
		require.NoError(t, err)
		want := envelope(gate(2, signedBy(0), signedBy(1)),
			rolePrincipalOf("AssociationMSP", msp.MSPRole_PEER), rolePrincipalOf("BankMSP", msp.MSPRole_PEER))
		require.True(t, proto.Equal(want, env), "got %s", Describe(env))
	})
	t.Run("Matches the envelope Parse builds for the same AND", func(t *testing.T) {
		env, err := ParseValidationParameter(stateBasedPolicy(t, statebased.RoleTypeMember, "B", "A"))
		require.NoError(t, err)
		parsed, err := Parse("AND('A.member', 'B.member')")
		require.NoError(t, err)
		require.True(t, proto.Equal(parsed, env))
	})
	t.Run("Rejects an empty value", func(t *testing.T) {
		_, err := ParseValidationParameter(nil)
		require.ErrorContains(t, err, "empty value")
	})
	t.Run("Rejects bytes that are not an envelope", func(t *testing.T) {
		_, err := ParseValidationParameter([]byte{0xff, 0xff})
		require.ErrorContains(t, err, "unmarshal signature policy envelope")
	})
	t.Run("Rejects an envelope without a rule", func(t *testing.T) {
		value, err := proto.Marshal(envelope(nil, rolePrincipalOf("A", msp.MSPRole_PEER)))
		require.NoError(t, err)
		_, err = ParseValidationParameter(value)
		require.ErrorContains(t, err, "no rule")
	})
}

func TestNewFromValidationParameter(t *testing.T) {
	msg := []byte("m")
	peerA, peerB, peerC, clientA := peerOf("A"), peerOf("B"), peerOf("C"), clientOf("A", "User1@A")
	fake := newFakeMSP(peerA, peerB, peerC, clientA)
	tests := []struct {
		name      string
		role      statebased.RoleType
		orgs      []string
		signers   []*fakeIdentity
		satisfied bool
	}{
		{name: "Peer policy is satisfied by every org's peer", role: statebased.RoleTypePeer, orgs: []string{"B", "A"}, signers: []*fakeIdentity{peerA, peerB}, satisfied: true},
		{name: "Peer policy is not satisfied by some orgs", role: statebased.RoleTypePeer, orgs: []string{"B", "A"}, signers: []*fakeIdentity{peerA, peerC}},
		{name: "Peer policy is not satisfied by a client", role: statebased.RoleTypePeer, orgs: []string{"A"}, signers: []*fakeIdentity{clientA}},
		{name: "Member policy is satisfied by a client", role: statebased.RoleTypeMember, orgs: []string{"A"}, signers: []*fakeIdentity{clientA}, satisfied: true},
		{name: "Member policy over two orgs is not satisfied by one", role: statebased.RoleTypeMember, orgs: []string{"A", "C"}, signers: []*fakeIdentity{peerA, clientA}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewFromValidationParameter(stateBasedPolicy(t, tt.role, tt.orgs...), fake)
			require.NoError(t, err)
			err = p.EvaluateSignedData(signatures(msg, tt.signers...))
			if tt.satisfied {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrUnsatisfied)
			require.ErrorContains(t, err, "key-level")
		})
	}
	t.Run("Rejects a bad value", func(t *testing.T) {
		p, err := NewFromValidationParameter([]byte{0xff}, fake)
		require.Error(t, err)
		require.True(t, p == nil, "want an untyped nil policy")
	})
	t.Run("Rejects a nil deserializer", func(t *testing.T) {
		_, err := NewFromValidationParameter(stateBasedPolicy(t, statebased.RoleTypePeer, "A"), nil)
		require.ErrorContains(t, err, "nil identity deserializer")
	})
	t.Run("Plans endorsements for a key-level policy", func(t *testing.T) {
		p, err := NewFromValidationParameter(stateBasedPolicy(t, statebased.RoleTypePeer, "C", "A"), fake)
		require.NoError(t, err)
		plan, err := EndorsementPlan(p, []string{"B", "C", "A"})
		require.NoError(t, err)
		require.Equal(t, []string{"C", "A"}, plan)
	})
}
