package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Settlement pays holders at maturity (兑付/清分, R12).
type Settlement struct{ base }

func (c *Settlement) setUp(cfg *config) { c.init(warrant.SettlementContract, c, cfg) }

// Settle settles one live leaf with a payment reference (the debtor's issuer).
func (c *Settlement) Settle(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Settle)
}

// SettleRoot settles one page of a root's live leaves; call again with the bookmark.
func (c *Settlement) SettleRoot(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.SettleRoot)
}
