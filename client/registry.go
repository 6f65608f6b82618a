package client

import (
	"context"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Verify records the verification of a warrant's trade background (verifier, R5).
func (c *Client) Verify(ctx context.Context, req warrant.VerifyRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, RegistryContract, "Verify", "", req)
}

// Register registers a verified warrant and indexes its invoices and documents
// (registrar, R6).
func (c *Client) Register(ctx context.Context, req warrant.RegisterRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, RegistryContract, "Register", "", req)
}
