package contracts

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Query answers the lookups of R16, each only to those who need to know
// (R20). Every list is indexed and paged with bookmarks; none scans the ledger.
type Query struct{ base }

func (c *Query) setUp(*config) { c.init(warrant.QueryContract, c, nil) }

// GetWarrant returns a warrant by id.
func (c *Query) GetWarrant(ctx contractapi.TransactionContextInterface, id string) (string, error) {
	return lookup(ctx, id, func(r warrant.ReadState, caller warrant.Caller, id string) (*warrant.Warrant, error) {
		return warrant.GetWarrant(r, caller, id)
	})
}

// ListByHolder lists a holder's warrants, optionally of one status, a page at a time.
func (c *Query) ListByHolder(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return query(ctx, request, warrant.ListByHolder)
}

// ListByDebtor lists a debtor's warrants, optionally of one status, a page at a time.
func (c *Query) ListByDebtor(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return query(ctx, request, warrant.ListByDebtor)
}

// Lineage lists the nodes of a root's split tree in pre-order, a page at a time.
func (c *Query) Lineage(ctx contractapi.TransactionContextInterface, request string) (string, error) {
	return query(ctx, request, warrant.Lineage)
}

// RootSummary returns a root's face value, settled, outstanding and overdue amounts
// as of the ledger time of the query.
func (c *Query) RootSummary(ctx contractapi.TransactionContextInterface, rootID string) (string, error) {
	tx, err := txOf(ctx.GetStub())
	if err != nil {
		return "", clientError(err)
	}
	return lookup(ctx, rootID, func(r warrant.ReadState, caller warrant.Caller, rootID string) (*warrant.RootSummary, error) {
		return warrant.GetRootSummary(r, caller, rootID, tx.Time)
	})
}

// LookupInvoice tells whether an invoice is registered: code and number of a
// legacy VAT invoice, or an empty code and the number of a 数电发票 (R6, R20).
func (c *Query) LookupInvoice(ctx contractapi.TransactionContextInterface, code, number string) (string, error) {
	result, err := warrant.LookupInvoice(stubState{ctx.GetStub()}, code, number)
	if err != nil {
		return "", clientError(err)
	}
	return marshal(result)
}

// LookupDocument tells whether a document hash is registered (R6, R20).
func (c *Query) LookupDocument(ctx contractapi.TransactionContextInterface, documentHash string) (string, error) {
	return lookup(ctx, documentHash, func(r warrant.ReadState, _ warrant.Caller, hash string) (*warrant.RegistryEntry, error) {
		return warrant.LookupDocument(r, hash)
	})
}

// LookupRegistryNo tells whether a warrant or pledge registry number exists (R6, R20).
func (c *Query) LookupRegistryNo(ctx contractapi.TransactionContextInterface, registryNo string) (string, error) {
	return lookup(ctx, registryNo, func(r warrant.ReadState, _ warrant.Caller, no string) (*warrant.RegistryEntry, error) {
		return warrant.LookupRegistryNo(r, no)
	})
}

// GetEnterprise returns an onboarded enterprise by credit code: its public register
// entry, with controller and reason for itself and the association (R20).
func (c *Query) GetEnterprise(ctx contractapi.TransactionContextInterface, creditCode string) (string, error) {
	return lookup(ctx, creditCode, func(r warrant.ReadState, caller warrant.Caller, code string) (*warrant.Enterprise, error) {
		return warrant.GetEnterprise(r, caller, code)
	})
}

// RelatedParties lists the enterprises sharing an enterprise's controller, to
// itself and the association (R20).
func (c *Query) RelatedParties(ctx contractapi.TransactionContextInterface, creditCode string) (string, error) {
	return lookup(ctx, creditCode, warrant.RelatedParties)
}

// GetParams returns the chaincode parameters in force.
func (c *Query) GetParams(ctx contractapi.TransactionContextInterface) (string, error) {
	result, err := warrant.GetParams(stubState{ctx.GetStub()})
	if err != nil {
		return "", clientError(err)
	}
	return marshal(result)
}

// GetCreditLine returns a core enterprise's credit line, to the bank that set it,
// the debtor and the association (R20).
func (c *Query) GetCreditLine(ctx contractapi.TransactionContextInterface, debtor string) (string, error) {
	return lookup(ctx, debtor, func(r warrant.ReadState, caller warrant.Caller, debtor string) (*warrant.CreditLine, error) {
		return warrant.GetCreditLine(r, caller, debtor)
	})
}

// GetApplication returns a supplier's application by id, to the applicant, the
// debtor and the association (R20).
func (c *Query) GetApplication(ctx contractapi.TransactionContextInterface, id string) (string, error) {
	return lookup(ctx, id, func(r warrant.ReadState, caller warrant.Caller, id string) (*warrant.Application, error) {
		return warrant.GetApplication(r, caller, id)
	})
}

// VerifyTradeDocuments tells whether trade documents (JSON TradeDocuments, salt
// included) are those whose hash a warrant's root records: match or no match,
// nothing else (R17). Anyone holding the documents may ask.
func (c *Query) VerifyTradeDocuments(ctx contractapi.TransactionContextInterface, warrantID, documents string) (string, error) {
	d, err := warrant.DecodeRequest[warrant.TradeDocuments]([]byte(documents))
	if err != nil {
		return "", clientError(err)
	}
	result, err := warrant.VerifyTradeDocuments(stubState{ctx.GetStub()}, warrantID, d)
	if err != nil {
		return "", clientError(err)
	}
	return marshal(result)
}

// VerifyFinancingTerms tells whether financing terms (JSON FinancingTerms, salt
// included) are those whose hash a warrant's pledge or factoring records: match or
// no match, nothing else (R17).
func (c *Query) VerifyFinancingTerms(ctx contractapi.TransactionContextInterface, warrantID, terms string) (string, error) {
	t, err := warrant.DecodeRequest[warrant.FinancingTerms]([]byte(terms))
	if err != nil {
		return "", clientError(err)
	}
	result, err := warrant.VerifyFinancingTerms(stubState{ctx.GetStub()}, warrantID, t)
	if err != nil {
		return "", clientError(err)
	}
	return marshal(result)
}

// GetTradeDocuments returns a warrant's trade documents from the trade documents
// collection, to the parties of its tree and the association (R17, R20).
func (c *Query) GetTradeDocuments(ctx contractapi.TransactionContextInterface, warrantID string) (string, error) {
	return lookup(ctx, warrantID, func(r warrant.ReadState, caller warrant.Caller, id string) (*warrant.TradeDocuments, error) {
		return warrant.GetTradeDocuments(r, stubState{ctx.GetStub()}, caller, id)
	})
}

// GetFinancingTerms returns the financing terms recorded on a warrant, from the
// financing bank's implicit collection, to that bank only (R17). Evaluate it on a
// peer of the bank's org: no other peer holds the terms.
func (c *Query) GetFinancingTerms(ctx contractapi.TransactionContextInterface, warrantID string) (string, error) {
	return lookup(ctx, warrantID, func(r warrant.ReadState, caller warrant.Caller, id string) (*warrant.FinancingTerms, error) {
		return warrant.GetFinancingTerms(r, stubState{ctx.GetStub()}, caller, id)
	})
}

// HistoryEntry is one committed change of a warrant.
type HistoryEntry struct {
	TxID      string           `json:"txId"`
	Timestamp time.Time        `json:"timestamp"`
	Deleted   bool             `json:"deleted,omitempty"`
	Warrant   *warrant.Warrant `json:"warrant,omitempty"`
}

// History lists every committed change of a warrant, newest first, to those
// who may read the warrant (R16, R20).
func (c *Query) History(ctx contractapi.TransactionContextInterface, id string) (string, error) {
	caller, err := callerOf(ctx)
	if err != nil {
		return "", clientError(err)
	}
	if _, err := warrant.GetWarrant(stubState{ctx.GetStub()}, caller, id); err != nil {
		return "", clientError(err)
	}
	key, err := warrant.WarrantKey(id)
	if err != nil {
		return "", clientError(err)
	}
	iterator, err := ctx.GetStub().GetHistoryForKey(key)
	if err != nil {
		return "", clientError(fmt.Errorf("read history: %w", err))
	}
	defer iterator.Close()
	entries := []HistoryEntry{}
	for iterator.HasNext() {
		modification, err := iterator.Next()
		if err != nil {
			return "", clientError(fmt.Errorf("read history: %w", err))
		}
		entry := HistoryEntry{TxID: modification.GetTxId(), Timestamp: modification.GetTimestamp().AsTime().UTC(), Deleted: modification.GetIsDelete()}
		if !entry.Deleted {
			entry.Warrant = &warrant.Warrant{}
			if err := json.Unmarshal(modification.GetValue(), entry.Warrant); err != nil {
				return "", clientError(fmt.Errorf("decode history: %w", err))
			}
		}
		entries = append(entries, entry)
	}
	return marshal(entries)
}
