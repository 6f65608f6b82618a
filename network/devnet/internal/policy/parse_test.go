package policy

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

func TestParse(t *testing.T) {
	member, admin, client, peer, orderer := msp.MSPRole_MEMBER, msp.MSPRole_ADMIN, msp.MSPRole_CLIENT, msp.MSPRole_PEER, msp.MSPRole_ORDERER
	r := rolePrincipalOf
	tests := []struct {
		name string
		expr string
		want *common.SignaturePolicyEnvelope
	}{
		{
			name: "OR of two members is 1 out of 2",
			expr: "OR('A.member', 'B.member')",
			want: envelope(gate(1, signedBy(0), signedBy(1)), r("A", member), r("B", member)),
		},
		{
			name: "AND of two members is 2 out of 2",
			expr: "AND('A.member', 'B.member')",
			want: envelope(gate(2, signedBy(0), signedBy(1)), r("A", member), r("B", member)),
		},
		{
			name: "OutOf keeps its count",
			expr: "OutOf(2, 'A.peer', 'B.peer', 'C.peer')",
			want: envelope(gate(2, signedBy(0), signedBy(1), signedBy(2)), r("A", peer), r("B", peer), r("C", peer)),
		},
		{
			name: "Nested gate principals are numbered before the outer gate's own",
			expr: "OR('A.member', AND('B.member', 'C.member'))",
			want: envelope(gate(1, signedBy(2), gate(2, signedBy(0), signedBy(1))), r("B", member), r("C", member), r("A", member)),
		},
		{
			name: "Sibling gates are numbered left to right",
			expr: "OR(AND('A.member', 'B.member'), OR('C.admin', 'D.member'))",
			want: envelope(gate(1, gate(2, signedBy(0), signedBy(1)), gate(1, signedBy(2), signedBy(3))),
				r("A", member), r("B", member), r("C", admin), r("D", member)),
		},
		{
			name: "All five roles are understood",
			expr: "OR('A.peer', 'B.admin', 'C.orderer', 'D.client', 'E.member')",
			want: envelope(gate(1, signedBy(0), signedBy(1), signedBy(2), signedBy(3), signedBy(4)),
				r("A", peer), r("B", admin), r("C", orderer), r("D", client), r("E", member)),
		},
		{
			name: "MSP IDs may contain dots and dashes",
			expr: "OR('MSP.member', 'MSP.WITH.DOTS.member', 'MSP-WITH-DASHES.member')",
			want: envelope(gate(1, signedBy(0), signedBy(1), signedBy(2)),
				r("MSP", member), r("MSP.WITH.DOTS", member), r("MSP-WITH-DASHES", member)),
		},
		{
			name: "Lower case gates and double quotes are accepted",
			expr: `and("A.peer", or("B.peer", "C.peer"))`,
			want: envelope(gate(2, signedBy(2), gate(1, signedBy(0), signedBy(1))), r("B", peer), r("C", peer), r("A", peer)),
		},
		{
			name: "Upper case OUTOF and a quoted count are accepted",
			expr: "OUTOF('1', 'A.member', 'B.member')",
			want: envelope(gate(1, signedBy(0), signedBy(1)), r("A", member), r("B", member)),
		},
		{
			name: "White space is ignored everywhere",
			expr: " \n\tAnd (\n  'A.peer' ,\n\t'B.peer'\n) \n",
			want: envelope(gate(2, signedBy(0), signedBy(1)), r("A", peer), r("B", peer)),
		},
		{
			name: "A repeated principal gets its own identity as in Fabric",
			expr: "AND('A.peer', 'A.peer')",
			want: envelope(gate(2, signedBy(0), signedBy(1)), r("A", peer), r("A", peer)),
		},
		{
			name: "A single principal gate is 1 out of 1",
			expr: "AND('BankMSP.peer')",
			want: envelope(gate(1, signedBy(0)), r("BankMSP", peer)),
		},
		{
			name: "Three levels of nesting number innermost first",
			expr: "OutOf(2, 'A.peer', OR('B.peer', AND('C.peer', 'D.peer')), 'E.peer')",
			want: envelope(gate(2, signedBy(3), gate(1, signedBy(2), gate(2, signedBy(0), signedBy(1))), signedBy(4)),
				r("C", peer), r("D", peer), r("B", peer), r("A", peer), r("E", peer)),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.expr)
			require.NoError(t, err)
			require.True(t, proto.Equal(tt.want, got), "want %s\ngot  %s", Describe(tt.want), Describe(got))
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name     string
		expr     string
		wantErr  error
		contains string
	}{
		{name: "Rejects an empty expression", expr: "  ", wantErr: ErrSyntax, contains: "end of expression"},
		{name: "Rejects a bare principal", expr: "'A.member'", wantErr: ErrSyntax, contains: "expected AND, OR or OutOf"},
		{name: "Rejects an unknown gate", expr: "XOR('A.member')", wantErr: ErrSyntax, contains: `unknown gate "XOR"`},
		{name: "Rejects mixed case gates Fabric does not know", expr: "aNd('A.member')", wantErr: ErrSyntax, contains: "unknown gate"},
		{name: "Rejects a gate without arguments", expr: "AND()", wantErr: ErrSyntax, contains: "expected a principal or a gate"},
		{name: "Rejects a missing closing parenthesis", expr: "OR('A.member', 'B.member'", wantErr: ErrSyntax, contains: "expected ',' or ')'"},
		{name: "Rejects trailing text", expr: "OR('A.member') OR('B.member')", wantErr: ErrSyntax, contains: "after the policy"},
		{name: "Rejects an unterminated string", expr: "OR('A.member)", wantErr: ErrSyntax, contains: "unterminated string"},
		{name: "Rejects mismatched quotes", expr: `OR('A.member")`, wantErr: ErrSyntax, contains: "unterminated string"},
		{name: "Rejects an unquoted principal", expr: "OR(A.member)", wantErr: ErrSyntax, contains: "principals are quoted"},
		{name: "Rejects a number as a principal", expr: "OutOf(1, 2)", wantErr: ErrSyntax, contains: "expected a principal or a gate"},
		{name: "Rejects escapes", expr: `OR('A\'.member')`, wantErr: ErrSyntax, contains: "escape"},
		{name: "Rejects a principal without a role", expr: "OR('Amember')", wantErr: ErrSyntax, contains: "'MSPID.role'"},
		{name: "Rejects an unknown role", expr: "OR('A.boss')", wantErr: ErrUnknownRole, contains: `"boss"`},
		{name: "Rejects an upper case role", expr: "OR('A.PEER')", wantErr: ErrUnknownRole, contains: `"PEER"`},
		{name: "Rejects an empty MSP ID", expr: "OR('.peer')", wantErr: ErrBadMSPID, contains: "empty MSP ID"},
		{name: "Rejects an MSP ID with bad characters", expr: "OR('Bank MSP.peer')", wantErr: ErrBadMSPID, contains: "' '"},
		{name: "Rejects an OutOf count of zero", expr: "OutOf(0, 'A.member', 'B.member')", wantErr: ErrBadThreshold, contains: "over 2"},
		{name: "Rejects a negative OutOf count", expr: "OutOf(-1, 'A.member')", wantErr: ErrBadThreshold},
		{name: "Rejects an OutOf count above the sub-policies", expr: "OutOf(3, 'A.member', 'B.member')", wantErr: ErrBadThreshold},
		{name: "Rejects OutOf without a count", expr: "OutOf('A.member', 'B.member')", wantErr: ErrSyntax, contains: "not an integer"},
		{name: "Rejects OutOf with only a count", expr: "OutOf(1)", wantErr: ErrSyntax, contains: "expected ','"},
		{name: "Rejects a huge OutOf count", expr: "OutOf(99999999999, 'A.member')", wantErr: ErrSyntax, contains: "not an integer"},
		{name: "Rejects a stray character", expr: "OR('A.member'; 'B.member')", wantErr: ErrSyntax, contains: "';'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := Parse(tt.expr)
			require.ErrorIs(t, err, tt.wantErr)
			require.ErrorContains(t, err, tt.contains)
			require.Nil(t, env)
		})
	}
}

func TestParseRejectsDeepNesting(t *testing.T) {
	expr := "'A.peer'"
	for range maxDepth + 1 {
		expr = "OR(" + expr + ")"
	}
	_, err := Parse(expr)
	require.ErrorIs(t, err, ErrSyntax)
	require.ErrorContains(t, err, "nested deeper")
}

func TestDescribe(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want string
	}{
		{name: "Renders AND, OR and OutOf", expr: "OutOf(2, 'A.peer', OR('B.peer', AND('C.admin', 'D.member')), 'E.client')",
			want: "OutOf(2, 'A.peer', OR('B.peer', AND('C.admin', 'D.member')), 'E.client')"},
		{name: "Renders a one principal AND as OR", expr: "AND('A.orderer')", want: "OR('A.orderer')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := Parse(tt.expr)
			require.NoError(t, err)
			require.Equal(t, tt.want, Describe(env))
		})
	}
	t.Run("Renders odd envelopes without failing", func(t *testing.T) {
		require.Equal(t, "<nil policy>", Describe(nil))
		require.Equal(t, "OutOf(0)", Describe(envelope(gate(0))))
		require.Equal(t, "OR(<identity 3>)", Describe(envelope(gate(1, signedBy(3)))))
		require.Equal(t, "<empty>", Describe(envelope(nil)))
		identity := &msp.MSPPrincipal{PrincipalClassification: msp.MSPPrincipal_IDENTITY}
		require.Equal(t, "OR(<IDENTITY principal>)", Describe(envelope(gate(1, signedBy(0)), identity)))
	})
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{"OR('A.member', AND('B.peer', \"C.admin\"))", "OutOf(2, 'A.peer', 'B.peer')", "AND(", "'", "OR('.peer')"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		env, err := Parse(expr)
		if err != nil {
			require.Nil(t, env)
			return
		}
		again, err := Parse(Describe(env))
		require.NoError(t, err, "Describe(Parse(%q)) = %q", expr, Describe(env))
		require.Equal(t, Describe(env), Describe(again))
	})
}
