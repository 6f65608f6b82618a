package policy

import (
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// ValidationParameterKey is the state metadata key under which a key-level (state-based)
// endorsement policy is stored.
const ValidationParameterKey = "VALIDATION_PARAMETER"

// ParseValidationParameter reads a key-level endorsement policy: the value of a key's
// VALIDATION_PARAMETER metadata, a marshalled common.SignaturePolicyEnvelope such as the
// chaincode statebased package writes (an AND over 'MSPID.peer' or 'MSPID.member' principals,
// MSP IDs sorted).
func ParseValidationParameter(value []byte) (*common.SignaturePolicyEnvelope, error) {
	if len(value) == 0 {
		return nil, errors.New("validation parameter: empty value")
	}
	env := &common.SignaturePolicyEnvelope{}
	if err := proto.Unmarshal(value, env); err != nil {
		return nil, fmt.Errorf("validation parameter: unmarshal signature policy envelope: %w", err)
	}
	if env.GetRule() == nil {
		return nil, errors.New("validation parameter: envelope has no rule")
	}
	return env, nil
}

// NewFromValidationParameter builds the key-level endorsement policy stored in value.
func NewFromValidationParameter(value []byte, d IdentityDeserializer) (Policy, error) {
	env, err := ParseValidationParameter(value)
	if err != nil {
		return nil, err
	}
	p, err := newSignaturePolicy(env, d, "key-level "+Describe(env))
	if err != nil {
		return nil, fmt.Errorf("validation parameter: %w", err)
	}
	return p, nil
}
