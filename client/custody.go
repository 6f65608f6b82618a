package client

import (
	"context"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Deposit puts a warrant in a custodian bank's custody (the holder, R10).
func (c *Client) Deposit(ctx context.Context, req warrant.DepositRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, CustodyContract, "Deposit", req.RequestID, req)
}

// ReleaseCustody ends custody of a warrant (the custodian, R10).
func (c *Client) ReleaseCustody(ctx context.Context, req warrant.ReleaseCustodyRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, CustodyContract, "Release", "", req)
}
