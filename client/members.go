package client

import (
	"context"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// InitLedger registers the association as the first member org; only an admin of the
// association MSP the chaincode was started with may call it, once (R34).
func (c *Client) InitLedger(ctx context.Context, req warrant.InitLedgerRequest) (*warrant.Member, error) {
	return submit[warrant.Member](ctx, c, warrant.AdminContract, "InitLedger", "", req)
}

// RegisterMember registers a member org of the consortium: MSP ID, kind and display
// name (association admin, R34).
func (c *Client) RegisterMember(ctx context.Context, req warrant.RegisterMemberRequest) (*warrant.Member, error) {
	return submit[warrant.Member](ctx, c, warrant.AdminContract, "RegisterMember", "", req)
}

// SuspendMember suspends a member org: its identities can then write nothing
// (association admin, R34).
func (c *Client) SuspendMember(ctx context.Context, req warrant.MemberStatusRequest) (*warrant.Member, error) {
	return submit[warrant.Member](ctx, c, warrant.AdminContract, "SuspendMember", "", req)
}

// ReinstateMember lifts a member org's suspension (association admin, R34).
func (c *Client) ReinstateMember(ctx context.Context, req warrant.MemberStatusRequest) (*warrant.Member, error) {
	return submit[warrant.Member](ctx, c, warrant.AdminContract, "ReinstateMember", "", req)
}

// GetMember returns a member org by MSP ID (R34).
func (c *Client) GetMember(ctx context.Context, mspID string) (*warrant.Member, error) {
	return evaluate[warrant.Member](ctx, c, warrant.QueryContract, "GetMember", mspID)
}

// ListMembers lists one page of the member orgs, in MSP ID order (R34).
func (c *Client) ListMembers(ctx context.Context, req warrant.ListMembersRequest) (*warrant.MemberPage, error) {
	return evaluateRequest[warrant.MemberPage](ctx, c, warrant.QueryContract, "ListMembers", req)
}
