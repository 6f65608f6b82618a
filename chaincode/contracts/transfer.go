package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Transfer splits and transfers warrants down the chain (拆分流转, R7, R8, R8a).
type Transfer struct{ base }

func (c *Transfer) setUp(cfg *config) { c.init(warrant.TransferContract, c, cfg) }

// SplitTransfer splits a warrant into parts offered to recipients, the rest staying with the holder.
func (c *Transfer) SplitTransfer(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.SplitTransfer)
}

// Accept accepts an offered part (the recipient).
func (c *Transfer) Accept(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Accept)
}

// Reject rejects an offered part, which goes back to the sender.
func (c *Transfer) Reject(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Reject)
}

// Reclaim takes back an offer not accepted within the acceptance window (the sender).
func (c *Transfer) Reclaim(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Reclaim)
}
