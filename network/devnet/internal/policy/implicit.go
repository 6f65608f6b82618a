package policy

import (
	"errors"
	"fmt"
	"strings"
)

// ChannelEndorsementPolicy is the channel configuration path of the application endorsement
// policy; as in Fabric's default configuration it means "MAJORITY Endorsement".
const ChannelEndorsementPolicy = "/Channel/Application/Endorsement"

// endorsementSubPolicy is the only organisation policy implicit policies may refer to.
const endorsementSubPolicy = "Endorsement"

// Implicit meta rules, as in Fabric's ImplicitMetaPolicy.
const (
	ruleAny      = "ANY"
	ruleAll      = "ALL"
	ruleMajority = "MAJORITY"
)

// NewFromString builds the policy expr describes: "ANY Endorsement", "MAJORITY Endorsement" or
// "ALL Endorsement" (rule word in any case) over the organisations orgMSPIDs, whose Endorsement
// policy is OR('<MSPID>.peer'); ChannelEndorsementPolicy, meaning MAJORITY; or a signature
// policy expression for Parse.
func NewFromString(expr string, orgMSPIDs []string, d IdentityDeserializer) (Policy, error) {
	text := strings.TrimSpace(expr)
	if text == ChannelEndorsementPolicy {
		return implicitOrNil(newImplicitPolicy(ruleMajority, orgMSPIDs, d, text))
	}
	if strings.HasPrefix(text, "/") {
		return nil, fmt.Errorf("policy %q: only the channel reference %s is supported", expr, ChannelEndorsementPolicy)
	}
	if fields := strings.Fields(text); len(fields) == 2 {
		if word := strings.ToUpper(fields[0]); word == ruleAny || word == ruleAll || word == ruleMajority {
			if fields[1] != endorsementSubPolicy {
				return nil, fmt.Errorf("policy %q: implicit policies may only refer to the %s policy of each organisation", expr, endorsementSubPolicy)
			}
			return implicitOrNil(newImplicitPolicy(word, orgMSPIDs, d, word+" "+endorsementSubPolicy))
		}
	}
	env, err := Parse(text)
	if err != nil {
		return nil, err
	}
	p, err := newSignaturePolicy(env, d, text)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// implicitOrNil keeps a failed construction from returning a non-nil Policy holding nil.
func implicitOrNil(p *implicitPolicy, err error) (Policy, error) {
	if err != nil {
		return nil, err
	}
	return p, nil
}

// implicitPolicy is Fabric's ImplicitMetaPolicy over the organisations' Endorsement policies:
// it is satisfied when threshold of them are, each judged on the whole signature set.
type implicitPolicy struct {
	name      string
	threshold int
	mspIDs    []string
	subs      []*signaturePolicy
	deser     IdentityDeserializer
}

func newImplicitPolicy(rule string, orgMSPIDs []string, d IdentityDeserializer, name string) (*implicitPolicy, error) {
	if d == nil {
		return nil, errors.New("implicit policy: nil identity deserializer")
	}
	if len(orgMSPIDs) == 0 {
		return nil, fmt.Errorf("implicit policy %s: no organisations", name)
	}
	p := &implicitPolicy{name: name, deser: d}
	seen := make(map[string]struct{}, len(orgMSPIDs))
	for _, mspID := range orgMSPIDs {
		if _, dup := seen[mspID]; dup {
			return nil, fmt.Errorf("implicit policy %s: organisation %q listed twice", name, mspID)
		}
		seen[mspID] = struct{}{}
		expr := fmt.Sprintf("OR('%s.peer')", mspID)
		env, err := Parse(expr)
		if err != nil {
			return nil, fmt.Errorf("implicit policy %s: organisation %q: %w", name, mspID, err)
		}
		sub, err := newSignaturePolicy(env, d, expr)
		if err != nil {
			return nil, fmt.Errorf("implicit policy %s: %w", name, err)
		}
		p.mspIDs = append(p.mspIDs, mspID)
		p.subs = append(p.subs, sub)
	}
	switch rule {
	case ruleAny:
		p.threshold = 1
	case ruleAll:
		p.threshold = len(p.subs)
	default:
		p.threshold = len(p.subs)/2 + 1
	}
	return p, nil
}

// EvaluateSignedData implements Policy.
func (p *implicitPolicy) EvaluateSignedData(signed []SignedData) error {
	ids := validIdentities(signed, p.deser)
	satisfied := 0
	for _, sub := range p.subs {
		if sub.satisfiedBy(ids) {
			satisfied++
		}
	}
	if satisfied < p.threshold {
		return fmt.Errorf("%w: %d of %d organisations endorsed, %d required", unsatisfied(p.name, len(signed), len(ids)), satisfied, len(p.subs), p.threshold)
	}
	return nil
}

func (p *implicitPolicy) satisfied(candidates int, match matcher) bool {
	satisfied := 0
	for _, sub := range p.subs {
		if sub.satisfied(candidates, match) {
			satisfied++
		}
	}
	return satisfied >= p.threshold
}

func (p *implicitPolicy) orgs() []string {
	return append([]string(nil), p.mspIDs...)
}

func (p *implicitPolicy) String() string {
	return p.name
}
