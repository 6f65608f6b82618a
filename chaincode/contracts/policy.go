package contracts

import (
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// The functions of cross-verification, buyer-paid interest and confirmed settlement
// (R30–R32), each on the contract of its business area.

// AuthorizeAttestor sets the attestation kinds an onboarded attestor may attest (admin, R30).
func (c *Admin) AuthorizeAttestor(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.AuthorizeAttestor)
}

// Attest records an attestor's statement about an ISSUED warrant's trade (attestor, R30).
func (c *Registry) Attest(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.Attest)
}

// ArrangeInterest sets who pays a discount's interest, the rate and the day count of a
// root before registration (the debtor's issuer, R31).
func (c *Issuance) ArrangeInterest(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.ArrangeInterest)
}

// ConfirmSettlement records the paying bank's confirmation that a SETTLING leaf was paid
// (paymentbank, R32).
func (c *Settlement) ConfirmSettlement(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return mutate(ctx, request, warrant.ConfirmSettlement)
}

// GetAttestor returns the attestation kinds an attestor is authorised for (R30).
func (c *Query) GetAttestor(ctx contractapi.TransactionContextInterface, creditCode string) (string, error) {
	return lookup(ctx, creditCode, func(r warrant.ReadState, _ warrant.Caller, code string) (*warrant.AttestorRecord, error) {
		return warrant.GetAttestor(r, code)
	})
}

// PendingSettlements pages through a root's settlements awaiting confirmation, flagged
// overdue as of the ledger time of the query, to the parties of the tree and the
// association (R32, R20); the request's asOf is ignored.
func (c *Query) PendingSettlements(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	tx, err := txOf(ctx.GetStub())
	if err != nil {
		return "", clientError(err)
	}
	return query(ctx, request, func(r warrant.ReadState, caller warrant.Caller, req warrant.PendingSettlementsRequest) (*warrant.PendingSettlementPage, error) {
		req.AsOf = tx.Time
		return warrant.PendingSettlements(r, caller, req)
	})
}
