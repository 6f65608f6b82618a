package peer

import (
	"context"
	"fmt"
	"slices"

	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
)

// planner chooses the orgs whose endorsements a transaction needs: the
// chaincode's policy, plus the state-based policy of every key it writes.
type planner struct {
	local   string
	channel *channel.Channel
	ledger  *ledger.Store
}

// Plan returns the orgs to ask, the local org first, from the local peer's
// simulation result; without one (nil), from the chaincode policy alone.
func (p *planner) Plan(_ context.Context, chaincode string, first *pb.ProposalResponse) ([]string, error) {
	available := append([]string{p.local}, slices.DeleteFunc(p.channel.Orgs(), func(org string) bool { return org == p.local })...)
	chaincodePolicy, ok := p.channel.ChaincodePolicy(chaincode)
	if !ok {
		return nil, fmt.Errorf("chaincode %s is not defined on channel %s", chaincode, p.channel.Name())
	}
	policies := []policy.Policy{chaincodePolicy}
	keyPolicies, err := p.keyPolicies(first)
	if err != nil {
		return nil, err
	}
	policies = append(policies, keyPolicies...)

	plan := []string{p.local}
	for _, each := range policies {
		orgs, err := policy.EndorsementPlan(each, available)
		if err != nil {
			return nil, fmt.Errorf("no combination of peers can satisfy the endorsement policy: %w", err)
		}
		for _, org := range orgs {
			if !slices.Contains(plan, org) {
				plan = append(plan, org)
			}
		}
	}
	return plan, nil
}

// keyPolicies reads the written keys from the simulation result and returns
// the state-based policies set on them.
func (p *planner) keyPolicies(first *pb.ProposalResponse) ([]policy.Policy, error) {
	if first == nil {
		return nil, nil
	}
	payload := &pb.ProposalResponsePayload{}
	if err := proto.Unmarshal(first.GetPayload(), payload); err != nil {
		return nil, fmt.Errorf("unmarshal proposal response payload: %w", err)
	}
	action := &pb.ChaincodeAction{}
	if err := proto.Unmarshal(payload.GetExtension(), action); err != nil {
		return nil, fmt.Errorf("unmarshal chaincode action: %w", err)
	}
	sets, err := ledger.ParseResults(action.GetResults())
	if err != nil {
		return nil, fmt.Errorf("read-write set: %w", err)
	}
	var policies []policy.Policy
	for _, set := range sets {
		for _, key := range append(set.WrittenKeys(), set.MetadataWrittenKeys()...) {
			metadata, err := p.ledger.GetStateMetadata(set.Namespace, key)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", key, err)
			}
			parameter := metadata[policy.ValidationParameterKey]
			if len(parameter) == 0 {
				continue
			}
			keyPolicy, err := p.channel.KeyPolicy(parameter)
			if err != nil {
				return nil, fmt.Errorf("key %s endorsement policy: %w", key, err)
			}
			policies = append(policies, keyPolicy)
		}
	}
	return policies, nil
}
