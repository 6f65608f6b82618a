package client

import (
	"context"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// RequestFinancing asks a financier bank to finance a warrant (the holder, R11).
func (c *Client) RequestFinancing(ctx context.Context, req warrant.FinancingRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, FinanceContract, "RequestFinancing", req.RequestID, req)
}

// Pledge takes a registered pledge on a warrant (the financier, R11).
func (c *Client) Pledge(ctx context.Context, req warrant.PledgeRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, FinanceContract, "Pledge", req.RequestID, req)
}

// ReleasePledge releases the financier's pledge (the financier, R11).
func (c *Client) ReleasePledge(ctx context.Context, req warrant.BankWarrantRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, FinanceContract, "ReleasePledge", req.RequestID, req)
}

// Factor buys the warrant: the bank becomes its holder (the financier, R11).
func (c *Client) Factor(ctx context.Context, req warrant.BankWarrantRequest) (*warrant.SplitResult, error) {
	return submit[warrant.SplitResult](ctx, c, FinanceContract, "Factor", req.RequestID, req)
}
