package client

import (
	"context"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Freeze freezes a warrant, optionally its whole live subtree a page at a time
// (regulator, R13).
func (c *Client) Freeze(ctx context.Context, req warrant.FreezeRequest) (*warrant.FreezeResult, error) {
	return submit[warrant.FreezeResult](ctx, c, RegulatorContract, "Freeze", "", req)
}

// Unfreeze lifts a freeze (regulator, R13).
func (c *Client) Unfreeze(ctx context.Context, req warrant.FreezeRequest) (*warrant.FreezeResult, error) {
	return submit[warrant.FreezeResult](ctx, c, RegulatorContract, "Unfreeze", "", req)
}
