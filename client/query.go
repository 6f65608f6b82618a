package client

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// HistoryEntry is one committed change of a warrant, as the query contract's History
// returns it.
type HistoryEntry struct {
	TxID      string           `json:"txId"`
	Timestamp time.Time        `json:"timestamp"`
	Deleted   bool             `json:"deleted,omitempty"`
	Warrant   *warrant.Warrant `json:"warrant,omitempty"`
}

// GetWarrant returns a warrant by id.
func (c *Client) GetWarrant(ctx context.Context, id string) (*warrant.Warrant, error) {
	return evaluate[warrant.Warrant](ctx, c, warrant.QueryContract, "GetWarrant", id)
}

// ListByHolder lists a holder's warrants, optionally of one status, a page at a time.
func (c *Client) ListByHolder(ctx context.Context, req warrant.ListRequest) (*warrant.WarrantPage, error) {
	return evaluateRequest[warrant.WarrantPage](ctx, c, warrant.QueryContract, "ListByHolder", req)
}

// ListByDebtor lists a debtor's warrants, optionally of one status, a page at a time.
func (c *Client) ListByDebtor(ctx context.Context, req warrant.ListRequest) (*warrant.WarrantPage, error) {
	return evaluateRequest[warrant.WarrantPage](ctx, c, warrant.QueryContract, "ListByDebtor", req)
}

// Lineage lists one page of the nodes of a root's split tree in pre-order.
func (c *Client) Lineage(ctx context.Context, req warrant.LineageRequest) (*warrant.WarrantPage, error) {
	return evaluateRequest[warrant.WarrantPage](ctx, c, warrant.QueryContract, "Lineage", req)
}

// FullLineage reads every page of a root's lineage.
func (c *Client) FullLineage(ctx context.Context, rootID string) ([]warrant.Warrant, error) {
	var nodes []warrant.Warrant
	req := warrant.LineageRequest{RootID: rootID, PageSize: warrant.MaxPageSize}
	for {
		page, err := c.Lineage(ctx, req)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, page.Items...)
		if page.NextBookmark == "" {
			return nodes, nil
		}
		req.Bookmark = page.NextBookmark
	}
}

// RootSummary returns a root's face value, settled, outstanding and overdue amounts as
// of the ledger time of the query.
func (c *Client) RootSummary(ctx context.Context, rootID string) (*warrant.RootSummary, error) {
	return evaluate[warrant.RootSummary](ctx, c, warrant.QueryContract, "RootSummary", rootID)
}

// LookupInvoice tells whether an invoice is registered (code "" for a 数电发票),
// with the public entry of its warrant.
func (c *Client) LookupInvoice(ctx context.Context, code, number string) (*warrant.RegistryEntry, error) {
	return evaluate[warrant.RegistryEntry](ctx, c, warrant.QueryContract, "LookupInvoice", code, number)
}

// LookupDocument tells whether a document hash is registered, with the public entry.
func (c *Client) LookupDocument(ctx context.Context, documentHash string) (*warrant.RegistryEntry, error) {
	return evaluate[warrant.RegistryEntry](ctx, c, warrant.QueryContract, "LookupDocument", documentHash)
}

// LookupRegistryNo tells whether a warrant or pledge registry number exists, with the
// public entry of its warrant.
func (c *Client) LookupRegistryNo(ctx context.Context, registryNo string) (*warrant.RegistryEntry, error) {
	return evaluate[warrant.RegistryEntry](ctx, c, warrant.QueryContract, "LookupRegistryNo", registryNo)
}

// VerifyTradeDocuments tells whether trade documents (salt included) are those whose
// hash a warrant's root records: match or not, nothing else (R17).
func (c *Client) VerifyTradeDocuments(ctx context.Context, warrantID string, documents warrant.TradeDocuments) (*warrant.VerifyResult, error) {
	data, err := json.Marshal(documents)
	if err != nil {
		return nil, fmt.Errorf("encode trade documents: %w", err)
	}
	return evaluate[warrant.VerifyResult](ctx, c, warrant.QueryContract, "VerifyTradeDocuments", warrantID, string(data))
}

// VerifyFinancingTerms tells whether financing terms (salt included) are those a
// warrant's pledge or factoring records: match or not, nothing else (R17).
func (c *Client) VerifyFinancingTerms(ctx context.Context, warrantID string, terms warrant.FinancingTerms) (*warrant.VerifyResult, error) {
	data, err := json.Marshal(terms)
	if err != nil {
		return nil, fmt.Errorf("encode financing terms: %w", err)
	}
	return evaluate[warrant.VerifyResult](ctx, c, warrant.QueryContract, "VerifyFinancingTerms", warrantID, string(data))
}

// GetTradeDocuments returns a warrant's trade documents to the parties of its tree and
// the association (R17, R20).
func (c *Client) GetTradeDocuments(ctx context.Context, warrantID string) (*warrant.TradeDocuments, error) {
	return evaluate[warrant.TradeDocuments](ctx, c, warrant.QueryContract, "GetTradeDocuments", warrantID)
}

// GetFinancingTerms returns the financing terms recorded on a warrant to the bank that
// recorded them, read on its own org's peer (R17).
func (c *Client) GetFinancingTerms(ctx context.Context, warrantID string) (*warrant.FinancingTerms, error) {
	return evaluate[warrant.FinancingTerms](ctx, c, warrant.QueryContract, "GetFinancingTerms", warrantID)
}

// GetEnterprise returns an onboarded enterprise by credit code.
func (c *Client) GetEnterprise(ctx context.Context, creditCode string) (*warrant.Enterprise, error) {
	return evaluate[warrant.Enterprise](ctx, c, warrant.QueryContract, "GetEnterprise", creditCode)
}

// RelatedParties lists the credit codes of the enterprises sharing an enterprise's
// controller.
func (c *Client) RelatedParties(ctx context.Context, creditCode string) ([]string, error) {
	codes, err := evaluate[[]string](ctx, c, warrant.QueryContract, "RelatedParties", creditCode)
	if err != nil {
		return nil, err
	}
	return *codes, nil
}

// GetParams returns the chaincode parameters in force.
func (c *Client) GetParams(ctx context.Context) (*warrant.Params, error) {
	return evaluate[warrant.Params](ctx, c, warrant.QueryContract, "GetParams")
}

// GetCreditLine returns a core enterprise's credit line.
func (c *Client) GetCreditLine(ctx context.Context, debtor string) (*warrant.CreditLine, error) {
	return evaluate[warrant.CreditLine](ctx, c, warrant.QueryContract, "GetCreditLine", debtor)
}

// GetApplication returns a supplier's application by id.
func (c *Client) GetApplication(ctx context.Context, id string) (*warrant.Application, error) {
	return evaluate[warrant.Application](ctx, c, warrant.QueryContract, "GetApplication", id)
}

// History lists every committed change of a warrant, newest first.
func (c *Client) History(ctx context.Context, id string) ([]HistoryEntry, error) {
	entries, err := evaluate[[]HistoryEntry](ctx, c, warrant.QueryContract, "History", id)
	if err != nil {
		return nil, err
	}
	return *entries, nil
}
