package peer

import (
	"context"
	"fmt"
	"maps"
	"slices"

	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/privdata"
)

// planner chooses the orgs whose endorsements a transaction needs: the
// chaincode's policy, plus the state-based policy of every key it writes.
type planner struct {
	local   string
	channel *channel.Channel
	ledger  *ledger.Store
	// collections are the chaincodes' private data collections (nil: none).
	collections *privdata.Registry
}

// Plan returns the orgs to ask, the local org first, from the local peer's
// simulation result.
func (p *planner) Plan(_ context.Context, chaincode string, first *pb.ProposalResponse) ([]string, error) {
	available := append([]string{p.local}, slices.DeleteFunc(p.channel.Orgs(), func(org string) bool { return org == p.local })...)
	available = p.collectionMembers(chaincode, first.GetInterest(), available)
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
		if len(set.Collections) == 0 {
			namespacePolicies, err := p.namespacePolicies(set.Namespace, append(set.WrittenKeys(), set.MetadataWrittenKeys()...))
			if err != nil {
				return nil, err
			}
			policies = append(policies, namespacePolicies...)
			continue
		}
		keys := map[string][]string{set.Namespace: append(set.WrittenKeys(), set.MetadataWrittenKeys()...)}
		for _, coll := range set.Collections {
			namespace := ledger.HashedNamespace(set.Namespace, coll.Name)
			for _, w := range coll.Hashed.GetHashedWrites() {
				keys[namespace] = append(keys[namespace], string(w.GetKeyHash()))
			}
			for _, w := range coll.Hashed.GetMetadataWrites() {
				keys[namespace] = append(keys[namespace], string(w.GetKeyHash()))
			}
		}
		for _, namespace := range slices.Sorted(maps.Keys(keys)) {
			namespacePolicies, err := p.namespacePolicies(namespace, keys[namespace])
			if err != nil {
				return nil, err
			}
			policies = append(policies, namespacePolicies...)
		}
	}
	return policies, nil
}

// namespacePolicies returns the key-level policies of written keys of a
// namespace and, for a collection's keys without one, the collection's
// endorsement policy.
func (p *planner) namespacePolicies(namespace string, keys []string) ([]policy.Policy, error) {
	var policies []policy.Policy
	{
		collectionPolicyAdded := false
		for _, key := range keys {
			metadata, err := p.ledger.GetStateMetadata(namespace, key)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", key, err)
			}
			parameter := metadata[policy.ValidationParameterKey]
			if len(parameter) == 0 {
				if ns, name, private := ledger.SplitHashedNamespace(namespace); private && !collectionPolicyAdded && p.collections != nil {
					if c, err := p.collections.Collection(ns, name); err == nil && c.Endorsement != nil {
						policies = append(policies, c.Endorsement)
						collectionPolicyAdded = true
					}
				}
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

// collectionMembers keeps, as Fabric's discovery does for a simulation that
// read private values (or, in the gateway, carries transient data), only the
// orgs that are members of every collection the simulation touched.
func (p *planner) collectionMembers(chaincode string, interest *pb.ChaincodeInterest, available []string) []string {
	if p.collections == nil {
		return available
	}
	for _, call := range interest.GetChaincodes() {
		if call.GetName() != chaincode || call.GetNoPrivateReads() {
			continue
		}
		for _, name := range call.GetCollectionNames() {
			c, err := p.collections.Collection(chaincode, name)
			if err != nil {
				continue
			}
			available = slices.DeleteFunc(available, func(org string) bool { return !c.IsMember(org) })
		}
	}
	return available
}
