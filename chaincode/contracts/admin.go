package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Admin onboards enterprises and sets parameters (association admin) and
// credit lines (bank financier). R3, R4a.
type Admin struct {
	base
	cfg *config
}

func (c *Admin) setUp(cfg *config) {
	c.cfg = cfg
	c.init(warrant.AdminContract, c, cfg)
}

// OnboardEnterprise registers an enterprise: credit code, name, MSP, roles, controller.
func (c *Admin) OnboardEnterprise(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.OnboardEnterprise)
}

// UpdateEnterprise changes an onboarded enterprise's name, roles or controller.
func (c *Admin) UpdateEnterprise(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.UpdateEnterprise)
}

// SuspendEnterprise suspends an enterprise; its warrant operations are then rejected.
func (c *Admin) SuspendEnterprise(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.SuspendEnterprise)
}

// ReinstateEnterprise lifts a suspension.
func (c *Admin) ReinstateEnterprise(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.ReinstateEnterprise)
}

// SetParams sets the chaincode parameters (caps, tenor, limits, windows).
func (c *Admin) SetParams(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.SetParams)
}

// SetCreditLine sets a core enterprise's issuance line (bank financier, R4a).
func (c *Admin) SetCreditLine(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.SetCreditLine)
}
