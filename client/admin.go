package client

import (
	"context"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// OnboardEnterprise registers an enterprise: credit code, name, MSP, roles and
// controller (association admin, R3).
func (c *Client) OnboardEnterprise(ctx context.Context, req warrant.OnboardEnterpriseRequest) (*warrant.Enterprise, error) {
	return submit[warrant.Enterprise](ctx, c, warrant.AdminContract, "OnboardEnterprise", "", req)
}

// UpdateEnterprise changes an onboarded enterprise's name, roles or controller (admin).
func (c *Client) UpdateEnterprise(ctx context.Context, req warrant.UpdateEnterpriseRequest) (*warrant.Enterprise, error) {
	return submit[warrant.Enterprise](ctx, c, warrant.AdminContract, "UpdateEnterprise", "", req)
}

// SuspendEnterprise suspends an enterprise; its warrant operations are then rejected
// (admin).
func (c *Client) SuspendEnterprise(ctx context.Context, req warrant.EnterpriseStatusRequest) (*warrant.Enterprise, error) {
	return submit[warrant.Enterprise](ctx, c, warrant.AdminContract, "SuspendEnterprise", "", req)
}

// ReinstateEnterprise lifts a suspension (admin).
func (c *Client) ReinstateEnterprise(ctx context.Context, req warrant.EnterpriseStatusRequest) (*warrant.Enterprise, error) {
	return submit[warrant.Enterprise](ctx, c, warrant.AdminContract, "ReinstateEnterprise", "", req)
}

// SetParams sets the chaincode parameters: caps, tenor, limits, windows (admin).
func (c *Client) SetParams(ctx context.Context, req warrant.Params) (*warrant.Params, error) {
	return submit[warrant.Params](ctx, c, warrant.AdminContract, "SetParams", "", req)
}

// SetCreditLine sets a core enterprise's issuance line (bank financier, R4a).
func (c *Client) SetCreditLine(ctx context.Context, req warrant.SetCreditLineRequest) (*warrant.CreditLine, error) {
	return submit[warrant.CreditLine](ctx, c, warrant.AdminContract, "SetCreditLine", "", req)
}
