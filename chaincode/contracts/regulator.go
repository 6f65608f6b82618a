package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Regulator freezes and unfreezes warrants on regulatory or court order (R13).
type Regulator struct{ base }

func (c *Regulator) setUp(cfg *config) { c.init(warrant.RegulatorContract, c, cfg) }

// Freeze freezes a warrant, optionally its whole live subtree (a page at a time).
func (c *Regulator) Freeze(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Freeze)
}

// Unfreeze lifts a freeze.
func (c *Regulator) Unfreeze(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Unfreeze)
}
