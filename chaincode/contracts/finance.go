package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Finance handles financing at a bank: pledge (质押) and factoring (保理), R11.
type Finance struct{ base }

func (c *Finance) setUp(cfg *config) { c.init(warrant.FinanceContract, c, cfg) }

// RequestFinancing asks a financier bank to finance a warrant (the holder).
func (c *Finance) RequestFinancing(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.RequestFinancing)
}

// Pledge takes a registered pledge on a warrant (the financier).
func (c *Finance) Pledge(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.TakePledge)
}

// ReleasePledge releases the financier's pledge.
func (c *Finance) ReleasePledge(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.ReleasePledge)
}

// RecordFinancingTerms stores the bank's financing terms (transient key "terms") in
// its implicit collection and returns their hash, which a Pledge or Factor then
// names (R17). It writes nothing public: submit it endorsed by the bank's own org only.
func (c *Finance) RecordFinancingTerms(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.RecordFinancingTerms)
}

// Factor buys the warrant: the bank becomes its holder (the financier).
func (c *Finance) Factor(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Factor)
}
