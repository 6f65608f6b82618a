package policy

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
)

func TestEndorsementPlan(t *testing.T) {
	tests := []struct {
		name      string
		expr      string
		orgs      []string
		available []string
		want      []string
	}{
		{name: "MAJORITY of three picks the first two available", expr: "MAJORITY Endorsement", orgs: []string{"A", "B", "C"}, available: []string{"B", "A", "C"}, want: []string{"B", "A"}},
		{name: "MAJORITY skips orgs outside the channel", expr: "MAJORITY Endorsement", orgs: []string{"A", "B", "C"}, available: []string{"X", "C", "A"}, want: []string{"C", "A"}},
		{name: "ANY picks the local org", expr: "ANY Endorsement", orgs: []string{"A", "B", "C"}, available: []string{"C", "A"}, want: []string{"C"}},
		{name: "ALL picks every org", expr: "ALL Endorsement", orgs: []string{"A", "B"}, available: []string{"B", "A"}, want: []string{"B", "A"}},
		{name: "OR picks the first org that suffices", expr: "OR('A.peer', 'B.peer')", available: []string{"C", "B", "A"}, want: []string{"B"}},
		{name: "AND picks the named orgs in the given order", expr: "AND('A.peer', 'B.member')", available: []string{"B", "C", "A"}, want: []string{"B", "A"}},
		{name: "OutOf picks the fewest orgs", expr: "OutOf(2, 'A.peer', 'B.peer', 'C.peer')", available: []string{"C", "A", "B"}, want: []string{"C", "A"}},
		{name: "A smaller set beats an earlier org", expr: "OR(AND('A.peer', 'B.peer'), 'C.peer')", available: []string{"A", "B", "C"}, want: []string{"C"}},
		{name: "Repeated orgs in available are tried once", expr: "AND('A.peer', 'B.peer')", available: []string{"A", "A", "", "B"}, want: []string{"A", "B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewFromString(tt.expr, tt.orgs, newFakeMSP())
			require.NoError(t, err)
			got, err := EndorsementPlan(p, tt.available)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestEndorsementPlanRejects(t *testing.T) {
	many := make([]string, maxPlanOrgs+1)
	for i := range many {
		many[i] = string(rune('A' + i))
	}
	tests := []struct {
		name      string
		expr      string
		orgs      []string
		available []string
		contains  string
	}{
		{name: "Fails when a required org is missing", expr: "AND('A.peer', 'B.peer')", available: []string{"A", "C"}, contains: "with organisations [A C]"},
		{name: "Fails when peers cannot satisfy the roles", expr: "OR('A.admin', 'B.client')", available: []string{"A", "B"}, contains: "OR('A.admin', 'B.client')"},
		{name: "Fails when one peer would have to satisfy two principals", expr: "AND('A.peer', 'A.member')", available: []string{"A"}},
		{name: "Fails when an OR consumes every org it names as Fabric's evaluation does", expr: "AND(OR('A.peer', 'B.peer'), 'B.member')", available: []string{"A", "B"}},
		{name: "Fails when too few channel orgs are available", expr: "MAJORITY Endorsement", orgs: []string{"A", "B", "C"}, available: []string{"A"}, contains: "MAJORITY Endorsement"},
		{name: "Fails with nothing available", expr: "ANY Endorsement", orgs: []string{"A"}},
		{name: "Fails with too many orgs to search", expr: "ANY Endorsement", orgs: []string{"A"}, available: many, contains: "exceed the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewFromString(tt.expr, tt.orgs, newFakeMSP())
			require.NoError(t, err)
			plan, err := EndorsementPlan(p, tt.available)
			require.ErrorContains(t, err, tt.contains)
			require.Nil(t, plan)
		})
	}
	t.Run("Fails for a foreign policy", func(t *testing.T) {
		_, err := EndorsementPlan(foreignPolicy{}, []string{"A"})
		require.ErrorContains(t, err, "not built by this package")
	})
}

func TestEndorsementPlanNoPlanIsTyped(t *testing.T) {
	p, err := NewFromString("AND('A.peer', 'B.peer')", nil, newFakeMSP())
	require.NoError(t, err)
	_, err = EndorsementPlan(p, []string{"A"})
	require.ErrorIs(t, err, ErrNoPlan)
}

func TestEndorsementPlanSatisfiesThePolicy(t *testing.T) {
	msg := []byte("m")
	available := []string{"C", "B", "A", "D"}
	var peers []*fakeIdentity
	for _, org := range available {
		peers = append(peers, peerOf(org))
	}
	fake := newFakeMSP(peers...)
	for _, expr := range []string{
		"MAJORITY Endorsement", "ANY Endorsement", "ALL Endorsement",
		"OutOf(3, 'A.peer', 'B.member', 'C.peer', 'D.peer')",
		"AND(OR('A.peer', 'B.peer'), OR('C.peer', 'D.peer'))",
	} {
		t.Run("Plan for "+expr+" endorses successfully", func(t *testing.T) {
			p, err := NewFromString(expr, []string{"A", "B", "C", "D"}, fake)
			require.NoError(t, err)
			plan, err := EndorsementPlan(p, available)
			require.NoError(t, err)
			var signers []*fakeIdentity
			for _, org := range plan {
				signers = append(signers, peerOf(org))
			}
			require.NoError(t, p.EvaluateSignedData(signatures(msg, signers...)))
		})
	}
}

func TestOrgs(t *testing.T) {
	tests := []struct {
		name string
		expr string
		orgs []string
		want []string
	}{
		{name: "Lists DSL orgs in text order once each", expr: "OR('A.member', AND('B.peer', 'C.admin'), 'A.peer')", want: []string{"A", "B", "C"}},
		{name: "Lists the channel orgs of an implicit policy", expr: "MAJORITY Endorsement", orgs: []string{"C", "A", "B"}, want: []string{"C", "A", "B"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewFromString(tt.expr, tt.orgs, newFakeMSP())
			require.NoError(t, err)
			require.Equal(t, tt.want, Orgs(p))
		})
	}
	t.Run("Skips identity principals", func(t *testing.T) {
		identity := &msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_IDENTITY, Principal: peerOf("Z").serialize()}
		p, err := NewSignaturePolicy(envelope(gate(1, signedBy(0), signedBy(1)), identity, rolePrincipalOf("A", msp.MSPRole_PEER)), newFakeMSP())
		require.NoError(t, err)
		require.Equal(t, []string{"A"}, Orgs(p))
	})
	t.Run("Returns nil for a foreign policy", func(t *testing.T) {
		require.Nil(t, Orgs(foreignPolicy{}))
	})
}

// foreignPolicy is a Policy implemented outside this package.
type foreignPolicy struct{}

func (foreignPolicy) EvaluateSignedData([]SignedData) error { return nil }
