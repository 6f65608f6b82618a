package client

// Custody (R10), financing (R11) and settlement (R12): the custody, finance and
// settlement contracts.

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// RequestFinancing asks a financier bank to finance a warrant (the holder, R11).
func (c *Client) RequestFinancing(ctx context.Context, req warrant.FinancingRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.FinanceContract, "RequestFinancing", req.RequestID, req)
}

// RecordFinancingTerms stores the bank's financing terms in its implicit collection
// and returns their hash, for a Pledge or Factor to name (the financier, R17). The
// terms travel in the transient map to the peers of the caller's own org only: the
// transaction writes nothing public, so that org's endorsement suffices.
func (c *Client) RecordFinancingTerms(ctx context.Context, terms warrant.FinancingTerms) (*warrant.TermsRecord, error) {
	data, err := json.Marshal(terms)
	if err != nil {
		return nil, fmt.Errorf("encode financing terms: %w", err)
	}
	private := Private{Transient: map[string][]byte{warrant.TransientTerms: data}, EndorsingOrgs: []string{c.mspID}}
	return submitPrivate[warrant.TermsRecord](ctx, c, warrant.FinanceContract, "RecordFinancingTerms", "", warrant.RecordTermsRequest{}, private)
}

// Pledge takes a registered pledge on a warrant (the financier, R11).
func (c *Client) Pledge(ctx context.Context, req warrant.PledgeRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.FinanceContract, "Pledge", req.RequestID, req)
}

// ReleasePledge releases the financier's pledge (the financier, R11).
func (c *Client) ReleasePledge(ctx context.Context, req warrant.BankWarrantRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.FinanceContract, "ReleasePledge", req.RequestID, req)
}

// Factor buys the warrant: the bank becomes its holder (the financier, R11).
func (c *Client) Factor(ctx context.Context, req warrant.BankWarrantRequest) (*warrant.SplitResult, error) {
	return submit[warrant.SplitResult](ctx, c, warrant.FinanceContract, "Factor", req.RequestID, req)
}

// Deposit puts a warrant in a custodian bank's custody (the holder, R10).
func (c *Client) Deposit(ctx context.Context, req warrant.DepositRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.CustodyContract, "Deposit", req.RequestID, req)
}

// ReleaseCustody ends custody of a warrant (the custodian, R10).
func (c *Client) ReleaseCustody(ctx context.Context, req warrant.ReleaseCustodyRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.CustodyContract, "Release", "", req)
}

// Settle settles one live leaf with a payment reference (the debtor's issuer, R12).
func (c *Client) Settle(ctx context.Context, req warrant.SettleRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.SettlementContract, "Settle", req.RequestID, req)
}

// SettleRoot settles one page of a root's live leaves; call again with the returned
// bookmark until it is empty (the debtor's issuer, R12).
func (c *Client) SettleRoot(ctx context.Context, req warrant.SettleRootRequest) (*warrant.SettleRootResult, error) {
	return submit[warrant.SettleRootResult](ctx, c, warrant.SettlementContract, "SettleRoot", req.RequestID, req)
}
