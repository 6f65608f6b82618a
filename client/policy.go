package client

// Cross-verification (R30), buyer-paid interest (R31), confirmed settlement (R32) and
// the standard export (R33).

import (
	"context"
	"fmt"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// AuthorizeAttestor sets the attestation kinds an onboarded attestor may attest
// (admin, R30).
func (c *Client) AuthorizeAttestor(ctx context.Context, req warrant.AuthorizeAttestorRequest) (*warrant.AttestorRecord, error) {
	return submit[warrant.AttestorRecord](ctx, c, warrant.AdminContract, "AuthorizeAttestor", "", req)
}

// Attest records an attestor's statement about an ISSUED warrant's trade (attestor, R30).
func (c *Client) Attest(ctx context.Context, req warrant.AttestRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.RegistryContract, "Attest", req.RequestID, req)
}

// ArrangeInterest sets who pays a discount's interest, the annual rate and the day
// count of a root before registration (the debtor's issuer, R31).
func (c *Client) ArrangeInterest(ctx context.Context, req warrant.ArrangeInterestRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.IssuanceContract, "ArrangeInterest", req.RequestID, req)
}

// ConfirmSettlement records the paying bank's confirmation of a SETTLING leaf
// (paymentbank, R32).
func (c *Client) ConfirmSettlement(ctx context.Context, req warrant.ConfirmSettlementRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.SettlementContract, "ConfirmSettlement", req.RequestID, req)
}

// GetAttestor returns the kinds an attestor is authorised for (R30).
func (c *Client) GetAttestor(ctx context.Context, creditCode string) (*warrant.AttestorRecord, error) {
	return evaluate[warrant.AttestorRecord](ctx, c, warrant.QueryContract, "GetAttestor", creditCode)
}

// PendingSettlements lists one page of a root's settlements awaiting confirmation,
// flagged overdue past the confirmation window (R32).
func (c *Client) PendingSettlements(ctx context.Context, req warrant.PendingSettlementsRequest) (*warrant.PendingSettlementPage, error) {
	return evaluateRequest[warrant.PendingSettlementPage](ctx, c, warrant.QueryContract, "PendingSettlements", req)
}

// Export reads a root, its whole lineage and its summary in the published standard
// format (R33).
func (c *Client) Export(ctx context.Context, rootID string) (*warrant.Export, error) {
	root, err := c.GetWarrant(ctx, rootID)
	if err != nil {
		return nil, err
	}
	if root.ParentID != "" {
		return nil, fmt.Errorf("export %s: not a root warrant (its root is %s)", rootID, root.RootID)
	}
	lineage, err := c.FullLineage(ctx, rootID)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", rootID, err)
	}
	summary, err := c.RootSummary(ctx, rootID)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", rootID, err)
	}
	return &warrant.Export{Standard: warrant.StandardVersion, Root: *root, Lineage: lineage, Summary: summary}, nil
}
