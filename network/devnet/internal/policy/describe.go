package policy

import (
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// roleWords maps MSP roles back to the words of the policy language.
var roleWords = map[msp.MSPRole_MSPRoleType]string{
	msp.MSPRole_MEMBER:  "member",
	msp.MSPRole_ADMIN:   "admin",
	msp.MSPRole_CLIENT:  "client",
	msp.MSPRole_PEER:    "peer",
	msp.MSPRole_ORDERER: "orderer",
}

// Describe renders an envelope in the policy language for messages and logs: NOutOf(n) over
// n rules as AND, NOutOf(1) as OR, other counts as OutOf. Parsing the result of Describe
// gives back an equivalent policy when all principals are roles.
func Describe(env *common.SignaturePolicyEnvelope) string {
	if env == nil {
		return "<nil policy>"
	}
	var b strings.Builder
	describeRule(&b, env.GetRule(), env.GetIdentities())
	return b.String()
}

func describeRule(b *strings.Builder, rule *common.SignaturePolicy, principals []*msp.MSPPrincipal) {
	switch t := rule.GetType().(type) {
	case *common.SignaturePolicy_NOutOf_:
		n, rules := t.NOutOf.GetN(), t.NOutOf.GetRules()
		sep := ""
		switch {
		case int(n) == len(rules) && n > 1:
			b.WriteString("AND(")
		case n == 1 && len(rules) > 0:
			b.WriteString("OR(")
		default:
			fmt.Fprintf(b, "OutOf(%d", n)
			sep = ", "
		}
		for i, sub := range rules {
			if i > 0 {
				sep = ", "
			}
			b.WriteString(sep)
			describeRule(b, sub, principals)
		}
		b.WriteString(")")
	case *common.SignaturePolicy_SignedBy:
		if t.SignedBy < 0 || int(t.SignedBy) >= len(principals) {
			fmt.Fprintf(b, "<identity %d>", t.SignedBy)
			return
		}
		b.WriteString(describePrincipal(principals[t.SignedBy]))
	default:
		b.WriteString("<empty>")
	}
}

// describePrincipal renders a ROLE principal as 'MSPID.role' and others by classification.
func describePrincipal(p *msp.MSPPrincipal) string {
	if p.GetPrincipalClassification() != msp.MSPPrincipal_ROLE {
		return fmt.Sprintf("<%s principal>", p.GetPrincipalClassification())
	}
	role := &msp.MSPRole{}
	if err := proto.Unmarshal(p.GetPrincipal(), role); err != nil {
		return "<malformed role principal>"
	}
	word, ok := roleWords[role.GetRole()]
	if !ok {
		word = strings.ToLower(role.GetRole().String())
	}
	return fmt.Sprintf("'%s.%s'", role.GetMspIdentifier(), word)
}
