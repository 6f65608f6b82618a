package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Registry verifies trade backgrounds (验真, R5) and registers warrants (登记, R6).
type Registry struct{ base }

func (c *Registry) setUp(cfg *config) { c.init(warrant.RegistryContract, c, cfg) }

// Verify records the verification of a warrant's trade background (verifier).
func (c *Registry) Verify(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Verify)
}

// Register registers a verified warrant and indexes its invoices and documents (registrar).
func (c *Registry) Register(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Register)
}
