package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// The member registry (R34): the association registers, suspends and reinstates the
// member orgs of the consortium; anyone reads them.

// InitLedger registers the association as the first member; only an admin of the
// association MSP the chaincode was started with may call it, once (R34).
func (c *Admin) InitLedger(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	associationMSP := ""
	if c.cfg != nil {
		associationMSP = c.cfg.associationMSP
	}
	return mutate(ctx, request, func(st warrant.State, tx warrant.Tx, caller warrant.Caller, req warrant.InitLedgerRequest) (*warrant.Member, warrant.Effects, error) {
		return warrant.InitLedger(st, tx, caller, associationMSP, req)
	})
}

// RegisterMember registers a member org: MSP ID, kind and display name (admin, R34).
func (c *Admin) RegisterMember(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.RegisterMember)
}

// SuspendMember suspends a member org; its identities can then write nothing (admin, R34).
func (c *Admin) SuspendMember(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.SuspendMember)
}

// ReinstateMember lifts a member org's suspension (admin, R34).
func (c *Admin) ReinstateMember(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.ReinstateMember)
}

// GetMember returns a member org by MSP ID (R34).
func (c *Query) GetMember(ctx contractapi.TransactionContextInterface, mspID string) (string, error) {
	return lookup(ctx, mspID, func(r warrant.ReadState, _ warrant.Caller, mspID string) (*warrant.Member, error) {
		return warrant.GetMember(r, mspID)
	})
}

// ListMembers pages through the member orgs in MSP ID order (R34).
func (c *Query) ListMembers(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return query(ctx, request, func(r warrant.ReadState, _ warrant.Caller, req warrant.ListMembersRequest) (*warrant.MemberPage, error) {
		return warrant.ListMembers(r, req)
	})
}
