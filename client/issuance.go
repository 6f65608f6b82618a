package client

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Issue issues a warrant from the debtor to its first holder (issuer of the debtor, R4).
// req.Documents, if set, travel in the transient map to the trade documents collection
// and the warrant keeps their hash (R17).
func (c *Client) Issue(ctx context.Context, req warrant.IssueRequest) (*warrant.Warrant, error) {
	private, err := tradePrivate(req.Documents)
	if err != nil {
		return nil, err
	}
	return submitPrivate[warrant.Warrant](ctx, c, warrant.IssuanceContract, "Issue", req.RequestID, req, private)
}

// Apply lets a supplier apply for a warrant that the debtor then confirms or declines;
// req.Documents travel as in Issue (R17).
func (c *Client) Apply(ctx context.Context, req warrant.ApplyRequest) (*warrant.Application, error) {
	private, err := tradePrivate(req.Documents)
	if err != nil {
		return nil, err
	}
	return submitPrivate[warrant.Application](ctx, c, warrant.IssuanceContract, "Apply", req.RequestID, req, private)
}

// tradePrivate puts trade documents in the transient map (key "trade", R17).
func tradePrivate(documents *warrant.TradeDocuments) (Private, error) {
	if documents == nil {
		return Private{}, nil
	}
	data, err := json.Marshal(documents)
	if err != nil {
		return Private{}, fmt.Errorf("encode trade documents: %w", err)
	}
	return Private{Transient: map[string][]byte{warrant.TransientTrade: data}}, nil
}

// ConfirmApplication confirms an application (确权), issuing the warrant (the debtor's
// issuer).
func (c *Client) ConfirmApplication(ctx context.Context, req warrant.ApplicationDecisionRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.IssuanceContract, "ConfirmApplication", req.RequestID, req)
}

// DeclineApplication declines an application (the debtor's issuer).
func (c *Client) DeclineApplication(ctx context.Context, req warrant.ApplicationDecisionRequest) (*warrant.Application, error) {
	return submit[warrant.Application](ctx, c, warrant.IssuanceContract, "DeclineApplication", req.RequestID, req)
}

// Cancel cancels a warrant that has not been registered (the debtor's issuer, R14).
func (c *Client) Cancel(ctx context.Context, req warrant.CancelRequest) (*warrant.Warrant, error) {
	return submit[warrant.Warrant](ctx, c, warrant.IssuanceContract, "Cancel", req.RequestID, req)
}
