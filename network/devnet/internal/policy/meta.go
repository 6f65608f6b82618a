package policy

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// identityPolicy is a policy of this package that can judge identities
// already deserialized and verified, so that an implicit meta policy verifies
// each signature once for all its sub-policies.
type identityPolicy interface {
	planned
	satisfiedBy(ids []Identity) bool
}

var (
	_ identityPolicy = (*signaturePolicy)(nil)
	_ identityPolicy = (*metaPolicy)(nil)
)

// metaPolicy is Fabric's ImplicitMetaPolicy over sub-policies of this package:
// satisfied when a threshold of them are, each judged on the whole signature set.
type metaPolicy struct {
	name      string
	threshold int
	subs      []identityPolicy
	deser     IdentityDeserializer
}

// NewImplicitMeta builds the ImplicitMetaPolicy named name with rule over subs,
// the same-named policies of a configuration group's sub-groups, as Fabric's
// implicit meta policies do: ANY needs one, ALL every one, MAJORITY more than
// half, and a policy without sub-policies is satisfied by anything. Every sub
// must have been built by this package with deserializer d.
func NewImplicitMeta(name string, rule common.ImplicitMetaPolicy_Rule, subs []Policy, d IdentityDeserializer) (Policy, error) {
	if d == nil {
		return nil, errors.New("implicit meta policy: nil identity deserializer")
	}
	p := &metaPolicy{name: name, deser: d}
	for i, sub := range subs {
		judged, ok := sub.(identityPolicy)
		if !ok {
			return nil, fmt.Errorf("implicit meta policy %s: sub-policy %d (%T) was not built by this package", name, i, sub)
		}
		p.subs = append(p.subs, judged)
	}
	switch rule {
	case common.ImplicitMetaPolicy_ANY:
		p.threshold = 1
	case common.ImplicitMetaPolicy_ALL:
		p.threshold = len(p.subs)
	case common.ImplicitMetaPolicy_MAJORITY:
		p.threshold = len(p.subs)/2 + 1
	default:
		return nil, fmt.Errorf("implicit meta policy %s: unknown rule %v", name, rule)
	}
	if len(p.subs) == 0 {
		// As Fabric: with no sub-policies, zero is any and a majority.
		p.threshold = 0
	}
	return p, nil
}

// EvaluateSignedData implements Policy.
func (p *metaPolicy) EvaluateSignedData(signed []SignedData) error {
	ids := validIdentities(signed, p.deser)
	if satisfied := p.count(ids); satisfied < p.threshold {
		return fmt.Errorf("%w: %d of %d sub-policies satisfied, %d required", unsatisfied(p.name, len(signed), len(ids)), satisfied, len(p.subs), p.threshold)
	}
	return nil
}

func (p *metaPolicy) count(ids []Identity) int {
	satisfied := 0
	for _, sub := range p.subs {
		if sub.satisfiedBy(ids) {
			satisfied++
		}
	}
	return satisfied
}

func (p *metaPolicy) satisfiedBy(ids []Identity) bool { return p.count(ids) >= p.threshold }

func (p *metaPolicy) satisfied(candidates int, match matcher) bool {
	satisfied := 0
	for _, sub := range p.subs {
		if sub.satisfied(candidates, match) {
			satisfied++
		}
	}
	return satisfied >= p.threshold
}

func (p *metaPolicy) orgs() []string {
	var names []string
	for _, sub := range p.subs {
		names = append(names, sub.orgs()...)
	}
	return distinct(names)
}

func (p *metaPolicy) String() string { return p.name }
