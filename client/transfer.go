package client

import (
	"context"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// SplitTransfer splits a warrant into parts offered to recipients, the rest staying
// with the holder (R7, R8a).
func (c *Client) SplitTransfer(ctx context.Context, req warrant.SplitTransferRequest) (*warrant.SplitResult, error) {
	return submit[warrant.SplitResult](ctx, c, warrant.TransferContract, "SplitTransfer", req.RequestID, req)
}

// Accept accepts an offered part (the recipient, R8).
func (c *Client) Accept(ctx context.Context, req warrant.OfferRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.TransferContract, "Accept", req.RequestID, req)
}

// Reject rejects an offered part, which goes back to the sender (the recipient, R8).
func (c *Client) Reject(ctx context.Context, req warrant.OfferRequest) (*warrant.ReturnResult, error) {
	return submit[warrant.ReturnResult](ctx, c, warrant.TransferContract, "Reject", req.RequestID, req)
}

// Reclaim takes back an offer not accepted within the acceptance window (the sender,
// R8).
func (c *Client) Reclaim(ctx context.Context, req warrant.OfferRequest) (*warrant.ReturnResult, error) {
	return submit[warrant.ReturnResult](ctx, c, warrant.TransferContract, "Reclaim", req.RequestID, req)
}
