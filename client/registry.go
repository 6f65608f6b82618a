package client

// Verification and registry (R5, R6) and regulation (R13): the registry and regulator
// contracts.

import (
	"context"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Verify records the verification of a warrant's trade background (verifier, R5).
func (c *Client) Verify(ctx context.Context, req warrant.VerifyRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.RegistryContract, "Verify", "", req)
}

// Register registers a verified warrant and indexes its invoices and documents
// (registrar, R6).
func (c *Client) Register(ctx context.Context, req warrant.RegisterRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.RegistryContract, "Register", "", req)
}

// Freeze freezes a warrant, optionally its whole live subtree a page at a time
// (regulator, R13).
func (c *Client) Freeze(ctx context.Context, req warrant.FreezeRequest) (*warrant.FreezeResult, error) {
	return submit[warrant.FreezeResult](ctx, c, warrant.RegulatorContract, "Freeze", "", req)
}

// Unfreeze lifts a freeze (regulator, R13).
func (c *Client) Unfreeze(ctx context.Context, req warrant.FreezeRequest) (*warrant.FreezeResult, error) {
	return submit[warrant.FreezeResult](ctx, c, warrant.RegulatorContract, "Unfreeze", "", req)
}
