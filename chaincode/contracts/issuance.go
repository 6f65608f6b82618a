package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Issuance issues, applies for, confirms and cancels warrants. R4, R4a, R4b, R14.
type Issuance struct{ base }

func (c *Issuance) setUp(cfg *config) { c.init(warrant.IssuanceContract, c, cfg) }

// Issue issues a warrant from the debtor to its first holder (issuer of the debtor).
func (c *Issuance) Issue(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Issue)
}

// Apply lets a supplier apply for a warrant that the debtor then confirms or declines.
func (c *Issuance) Apply(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Apply)
}

// ConfirmApplication confirms an application (确权), issuing the warrant.
func (c *Issuance) ConfirmApplication(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.ConfirmApplication)
}

// DeclineApplication declines an application.
func (c *Issuance) DeclineApplication(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.DeclineApplication)
}

// Cancel cancels a warrant that has not been registered (R14).
func (c *Issuance) Cancel(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Cancel)
}
