package policy

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
)

// ErrUnsatisfied is wrapped by every evaluation failure; the message names the policy.
var ErrUnsatisfied = errors.New("signature set did not satisfy policy")

// SignedData is one signature over some data by a serialized identity.
type SignedData struct {
	// Identity is a marshalled msp.SerializedIdentity.
	Identity []byte
	// Data is the signed message.
	Data []byte
	// Signature is Identity's signature over Data.
	Signature []byte
}

// Identity is a deserialized, valid member of a channel MSP.
type Identity interface {
	// Verify checks signature over msg.
	Verify(msg, sig []byte) error
	// SatisfiesPrincipal returns nil when the identity matches the principal.
	SatisfiesPrincipal(p *msp.MSPPrincipal) error
}

// IdentityDeserializer turns serialized identities into validated identities.
type IdentityDeserializer interface {
	// Deserialize parses and validates a marshalled msp.SerializedIdentity.
	Deserialize(serialized []byte) (Identity, error)
}

// Policy decides whether a set of signed data satisfies it.
type Policy interface {
	// EvaluateSignedData returns nil when the signatures satisfy the policy and an error
	// wrapping ErrUnsatisfied when they do not.
	EvaluateSignedData(signed []SignedData) error
}

// matcher reports whether candidate i satisfies principal p.
type matcher func(i int, p *msp.MSPPrincipal) bool

// rule is a compiled SignaturePolicy; used marks the candidates already consumed.
type rule interface {
	eval(match matcher, used []bool) bool
}

// signaturePolicy evaluates a SignaturePolicyEnvelope as Fabric's cauthdsl does.
type signaturePolicy struct {
	name  string
	env   *common.SignaturePolicyEnvelope
	root  rule
	deser IdentityDeserializer
}

// NewSignaturePolicy compiles env for evaluation with identities from d. It rejects
// envelopes Fabric would reject: a version other than 0, a missing rule, or a SignedBy
// index outside the identities.
func NewSignaturePolicy(env *common.SignaturePolicyEnvelope, d IdentityDeserializer) (Policy, error) {
	p, err := newSignaturePolicy(env, d, Describe(env))
	if err != nil {
		return nil, err
	}
	return p, nil
}

func newSignaturePolicy(env *common.SignaturePolicyEnvelope, d IdentityDeserializer, name string) (*signaturePolicy, error) {
	if env == nil {
		return nil, errors.New("signature policy: nil envelope")
	}
	if d == nil {
		return nil, errors.New("signature policy: nil identity deserializer")
	}
	if env.GetVersion() != 0 {
		return nil, fmt.Errorf("signature policy %s: version %d is not supported (want 0)", name, env.GetVersion())
	}
	root, err := compile(env.GetRule(), env.GetIdentities())
	if err != nil {
		return nil, fmt.Errorf("signature policy %s: %w", name, err)
	}
	return &signaturePolicy{name: name, env: env, root: root, deser: d}, nil
}

// EvaluateSignedData implements Policy.
func (p *signaturePolicy) EvaluateSignedData(signed []SignedData) error {
	ids := validIdentities(signed, p.deser)
	if !p.satisfiedBy(ids) {
		return unsatisfied(p.name, len(signed), len(ids))
	}
	return nil
}

func (p *signaturePolicy) satisfiedBy(ids []Identity) bool {
	return p.satisfied(len(ids), func(i int, principal *msp.MSPPrincipal) bool {
		return ids[i].SatisfiesPrincipal(principal) == nil
	})
}

func (p *signaturePolicy) satisfied(candidates int, match matcher) bool {
	return p.root.eval(match, make([]bool, candidates))
}

func unsatisfied(name string, signatures, valid int) error {
	return fmt.Errorf("%w %s (%d signatures, %d from distinct valid identities)", ErrUnsatisfied, name, signatures, valid)
}

// validIdentities keeps the signers whose identity deserializes and whose signature verifies,
// each identity once (by its serialized bytes), in signature order. As in Fabric, a repeated
// identity is skipped before its signature is checked.
func validIdentities(signed []SignedData, d IdentityDeserializer) []Identity {
	seen := make(map[string]struct{}, len(signed))
	ids := make([]Identity, 0, len(signed))
	for _, sd := range signed {
		key := string(sd.Identity)
		if _, dup := seen[key]; dup {
			continue
		}
		id, err := d.Deserialize(sd.Identity)
		if err != nil || id == nil {
			continue
		}
		if err := id.Verify(sd.Data, sd.Signature); err != nil {
			continue
		}
		seen[key] = struct{}{}
		ids = append(ids, id)
	}
	return ids
}

// compile turns a SignaturePolicy tree into rules.
func compile(policy *common.SignaturePolicy, principals []*msp.MSPPrincipal) (rule, error) {
	if policy == nil {
		return nil, errors.New("empty policy element")
	}
	switch t := policy.GetType().(type) {
	case *common.SignaturePolicy_NOutOf_:
		g := &gateRule{n: t.NOutOf.GetN()}
		for _, sub := range t.NOutOf.GetRules() {
			r, err := compile(sub, principals)
			if err != nil {
				return nil, err
			}
			g.rules = append(g.rules, r)
		}
		return g, nil
	case *common.SignaturePolicy_SignedBy:
		if t.SignedBy < 0 || int(t.SignedBy) >= len(principals) {
			return nil, fmt.Errorf("identity index %d out of range [0, %d)", t.SignedBy, len(principals))
		}
		if principals[t.SignedBy] == nil {
			return nil, fmt.Errorf("identity %d is nil", t.SignedBy)
		}
		return &signedByRule{principal: principals[t.SignedBy]}, nil
	default:
		return nil, fmt.Errorf("unknown signature policy type %T", t)
	}
}

// gateRule is NOutOf. Like Fabric it evaluates every sub-rule, even after n are satisfied:
// a satisfied sub-rule keeps the candidates it consumed, a failed one gives them back.
type gateRule struct {
	n     int32
	rules []rule
}

func (g *gateRule) eval(match matcher, used []bool) bool {
	satisfied := int32(0)
	trial := make([]bool, len(used))
	for _, r := range g.rules {
		copy(trial, used)
		if r.eval(match, trial) {
			satisfied++
			copy(used, trial)
		}
	}
	return satisfied >= g.n
}

// signedByRule is satisfied by the first unused candidate matching its principal, which it
// consumes.
type signedByRule struct {
	principal *msp.MSPPrincipal
}

func (s *signedByRule) eval(match matcher, used []bool) bool {
	for i := range used {
		if used[i] || !match(i, s.principal) {
			continue
		}
		used[i] = true
		return true
	}
	return false
}
