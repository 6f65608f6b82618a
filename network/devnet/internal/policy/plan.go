package policy

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// ErrNoPlan reports that no set of the available organisations can satisfy a policy.
var ErrNoPlan = errors.New("no endorsement plan satisfies policy")

// maxPlanOrgs bounds the search of EndorsementPlan, which tries subsets of the organisations.
const maxPlanOrgs = 16

// planned is implemented by the policies of this package.
type planned interface {
	satisfied(candidates int, match matcher) bool
	orgs() []string
	String() string
}

var (
	_ planned = (*signaturePolicy)(nil)
	_ planned = (*implicitPolicy)(nil)
)

// Orgs returns the MSP IDs the policy names, each once, in the order they appear in it; nil
// for a Policy not built by this package.
func Orgs(p Policy) []string {
	pl, ok := p.(planned)
	if !ok {
		return nil
	}
	return pl.orgs()
}

// EndorsementPlan returns a smallest set of organisations among available whose peers'
// endorsements satisfy p, assuming each organisation's peer satisfies that organisation's
// 'peer' and 'member' principals and no other. Among sets of the same size it prefers the
// organisations listed first, so callers list their own organisation first. It fails with
// ErrNoPlan when no subset of available suffices.
func EndorsementPlan(p Policy, available []string) ([]string, error) {
	pl, ok := p.(planned)
	if !ok {
		return nil, fmt.Errorf("endorsement plan: policy %T was not built by this package", p)
	}
	orgs := distinct(available)
	if len(orgs) > maxPlanOrgs {
		return nil, fmt.Errorf("endorsement plan for %s: %d organisations exceed the limit of %d", pl, len(orgs), maxPlanOrgs)
	}
	for size := 0; size <= len(orgs); size++ {
		if plan := firstSatisfying(pl, orgs, size); plan != nil {
			return plan, nil
		}
	}
	return nil, fmt.Errorf("%w %s with organisations %v", ErrNoPlan, pl, orgs)
}

// firstSatisfying tries the subsets of orgs of the given size in lexicographic order of
// their positions and returns the first that satisfies pl, or nil.
func firstSatisfying(pl planned, orgs []string, size int) []string {
	picks := make([]int, size)
	for i := range picks {
		picks[i] = i
	}
	chosen := make([]string, size)
	for {
		for i, pick := range picks {
			chosen[i] = orgs[pick]
		}
		if pl.satisfied(size, func(i int, p *msp.MSPPrincipal) bool { return peerSatisfies(chosen[i], p) }) {
			return append([]string{}, chosen...)
		}
		// Advance to the next combination: bump the rightmost position that can move.
		i := size - 1
		for i >= 0 && picks[i] == len(orgs)-size+i {
			i--
		}
		if i < 0 {
			return nil
		}
		picks[i]++
		for j := i + 1; j < size; j++ {
			picks[j] = picks[j-1] + 1
		}
	}
}

// peerSatisfies reports whether the peer of organisation mspID satisfies principal p.
func peerSatisfies(mspID string, p *msp.MSPPrincipal) bool {
	role, ok := rolePrincipal(p)
	if !ok || role.GetMspIdentifier() != mspID {
		return false
	}
	return role.GetRole() == msp.MSPRole_PEER || role.GetRole() == msp.MSPRole_MEMBER
}

func rolePrincipal(p *msp.MSPPrincipal) (*msp.MSPRole, bool) {
	if p.GetPrincipalClassification() != msp.MSPPrincipal_ROLE {
		return nil, false
	}
	role := &msp.MSPRole{}
	if err := proto.Unmarshal(p.GetPrincipal(), role); err != nil {
		return nil, false
	}
	return role, true
}

func (p *signaturePolicy) orgs() []string {
	var names []string
	var walk func(rule *common.SignaturePolicy)
	walk = func(rule *common.SignaturePolicy) {
		switch t := rule.GetType().(type) {
		case *common.SignaturePolicy_NOutOf_:
			for _, sub := range t.NOutOf.GetRules() {
				walk(sub)
			}
		case *common.SignaturePolicy_SignedBy:
			// compile has checked the index.
			if role, ok := rolePrincipal(p.env.GetIdentities()[t.SignedBy]); ok {
				names = append(names, role.GetMspIdentifier())
			}
		}
	}
	walk(p.env.GetRule())
	return distinct(names)
}

func (p *signaturePolicy) String() string {
	return p.name
}

// distinct drops empty and repeated names, keeping the first occurrence of each.
func distinct(names []string) []string {
	seen := make(map[string]struct{}, len(names))
	out := make([]string, 0, len(names))
	for _, name := range names {
		if _, dup := seen[name]; dup || name == "" {
			continue
		}
		seen[name] = struct{}{}
		out = append(out, name)
	}
	return out
}
