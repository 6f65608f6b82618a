package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Custody deposits warrants with a custodian bank and releases them (托管, R10).
// While deposited, the warrant's key carries a state-based endorsement policy
// naming the custodian's org.
type Custody struct{ base }

func (c *Custody) setUp(cfg *config) { c.init(warrant.CustodyContract, c, cfg) }

// Deposit puts a warrant in a custodian bank's custody (the holder).
func (c *Custody) Deposit(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Deposit)
}

// Release ends custody (the custodian).
func (c *Custody) Release(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.ReleaseCustody)
}
