package client

import (
	"context"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Settle settles one live leaf with a payment reference (the debtor's issuer, R12).
func (c *Client) Settle(ctx context.Context, req warrant.SettleRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, SettlementContract, "Settle", req.RequestID, req)
}

// SettleRoot settles one page of a root's live leaves; call again with the returned
// bookmark until it is empty (the debtor's issuer, R12).
func (c *Client) SettleRoot(ctx context.Context, req warrant.SettleRootRequest) (*warrant.SettleRootResult, error) {
	return submit[warrant.SettleRootResult](ctx, c, SettlementContract, "SettleRoot", req.RequestID, req)
}
