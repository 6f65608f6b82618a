package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) queryCommands() []*cobra.Command {
	return []*cobra.Command{
		a.lookupByKey("get <warrantId>", "Show a warrant", "  warrantctl -o table get W3F2A9C0D1E2F3A4B5C6D7E8F.001",
			func(ctx context.Context, c *client.Client, id string) (any, error) { return c.GetWarrant(ctx, id) }),
		a.lookupByKey("history <warrantId>", "List every committed change of a warrant, newest first",
			"  warrantctl -o table history W3F2A9C0D1E2F3A4B5C6D7E8F",
			func(ctx context.Context, c *client.Client, id string) (any, error) { return c.History(ctx, id) }),
		a.lookupByKey("enterprise <creditCode>", "Show an onboarded enterprise", "  warrantctl enterprise 91440300908301663N",
			func(ctx context.Context, c *client.Client, code string) (any, error) {
				return c.GetEnterprise(ctx, code)
			}),
		a.lookupByKey("related <creditCode>", "List an enterprise's related parties (same controller, R3)",
			"  warrantctl related 91440300908301663N",
			func(ctx context.Context, c *client.Client, code string) (any, error) {
				return c.RelatedParties(ctx, code)
			}),
		a.lookupByKey("credit-line <debtorCreditCode>", "Show a core enterprise's credit line (R4a)",
			"  warrantctl -o table credit-line 9144030052601815XN",
			func(ctx context.Context, c *client.Client, debtor string) (any, error) {
				return c.GetCreditLine(ctx, debtor)
			}),
		a.lookupByKey("application <applicationId>", "Show a supplier's application", "  warrantctl application A5D1C0FFEE0123456789ABCD",
			func(ctx context.Context, c *client.Client, id string) (any, error) { return c.GetApplication(ctx, id) }),
		a.withQuery(&cobra.Command{Use: "params", GroupID: groupQuery, Short: "Show the chaincode parameters in force",
			Example: "  warrantctl -o table params", Args: cobra.NoArgs},
			func(ctx context.Context, c *client.Client, _ []string) (any, error) { return c.GetParams(ctx) }),
		a.lookupByKey("trade-documents <warrantId>", "Show a warrant's trade documents (parties and the association, R17)",
			"  warrantctl trade-documents W3F2A9C0D1E2F3A4B5C6D7E8F",
			func(ctx context.Context, c *client.Client, id string) (any, error) {
				return c.GetTradeDocuments(ctx, id)
			}),
		a.lookupByKey("financing-terms <warrantId>", "Show the financing terms your bank recorded on a warrant (R17)",
			"  warrantctl --as User1@BankMSP financing-terms W3F2A9C0D1E2F3A4B5C6D7E8F.001",
			func(ctx context.Context, c *client.Client, id string) (any, error) {
				return c.GetFinancingTerms(ctx, id)
			}),
		a.verifyDocumentsCommand(),
		a.listCommand(),
		a.lookupCommand(),
	}
}

// verifyDocumentsCommand checks trade documents or financing terms one holds against
// the hash a warrant records (验真, R17): it prints match true or false, nothing else.
func (a *app) verifyDocumentsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "verify-documents <warrantId>",
		GroupID: groupQuery,
		Short:   "Check trade documents (--trade-file) or financing terms (--terms-file) against a warrant's hash (R17)",
		Example: `  warrantctl verify-documents W3F2A9C0D1E2F3A4B5C6D7E8F --trade-file trade-documents.json
  warrantctl verify-documents W3F2A9C0D1E2F3A4B5C6D7E8F.001 --terms-file loan-terms.json`,
		Args: cobra.ExactArgs(1),
	}
	var tradeFile, termsFile string
	cmd.Flags().StringVar(&tradeFile, tradeFileFlag, "", "trade documents JSON, salt included")
	cmd.Flags().StringVar(&termsFile, termsFileFlag, "", "financing terms JSON, salt included")
	return a.withQuery(cmd, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		switch {
		case (tradeFile == "") == (termsFile == ""):
			return nil, errors.New("give exactly one of --trade-file and --terms-file")
		case tradeFile != "":
			var d warrant.TradeDocuments
			if err := readRequest(nil, tradeFile, &d); err != nil {
				return nil, err
			}
			return c.VerifyTradeDocuments(ctx, args[0], d)
		default:
			var t warrant.FinancingTerms
			if err := readRequest(nil, termsFile, &t); err != nil {
				return nil, err
			}
			return c.VerifyFinancingTerms(ctx, args[0], t)
		}
	})
}

// lookupByKey is a query taking one positional key.
func (a *app) lookupByKey(use, short, example string, call func(context.Context, *client.Client, string) (any, error)) *cobra.Command {
	cmd := &cobra.Command{Use: use, GroupID: groupQuery, Short: short, Example: example, Args: cobra.ExactArgs(1)}
	return a.withQuery(cmd, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		return call(ctx, c, args[0])
	})
}

func (a *app) listCommand() *cobra.Command {
	var req warrant.ListRequest
	var holder, debtor, status string
	var all bool
	cmd := &cobra.Command{
		Use:     "list",
		GroupID: groupQuery,
		Short:   "List a holder's or a debtor's warrants, a page at a time (R16)",
		Example: `  warrantctl -o table list --holder 91440300908301663N --status ACTIVE
  warrantctl list --debtor 9144030052601815XN --all`,
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVar(&holder, "holder", "", "credit code of the holder")
	cmd.Flags().StringVar(&debtor, "debtor", "", "credit code of the debtor")
	cmd.Flags().StringVar(&status, "status", "", "only this status (ACTIVE, PENDING_ACCEPTANCE, ...)")
	cmd.Flags().IntVar(&req.PageSize, "page-size", 0, "items per page (0: default, at most 100)")
	cmd.Flags().StringVar(&req.Bookmark, "bookmark", "", "continue from this bookmark")
	cmd.Flags().BoolVar(&all, "all", false, "read every page")
	return a.withQuery(cmd, func(ctx context.Context, c *client.Client, _ []string) (any, error) {
		list := c.ListByHolder
		switch {
		case (holder == "") == (debtor == ""):
			return nil, errors.New("give exactly one of --holder and --debtor")
		case holder != "":
			req.Party = holder
		default:
			req.Party, list = debtor, c.ListByDebtor
		}
		req.Status = warrant.Status(strings.ToUpper(status))
		var merged warrant.WarrantPage
		for {
			page, err := list(ctx, req)
			if err != nil {
				return nil, err
			}
			if !all {
				return page, nil
			}
			merged.Items = append(merged.Items, page.Items...)
			if page.NextBookmark == "" {
				return &merged, nil
			}
			req.Bookmark = page.NextBookmark
		}
	})
}

func (a *app) lookupCommand() *cobra.Command {
	var invoice, document, registryNo string
	cmd := &cobra.Command{
		Use:     "lookup",
		GroupID: groupQuery,
		Short:   "Whether an invoice, a document hash or a registry number is registered, and its public entry (R16, R20)",
		Example: `  warrantctl lookup --invoice 4403261130:00812345
  warrantctl lookup --invoice :26442000000000812345
  warrantctl lookup --document 7a3b...01
  warrantctl lookup --registry-no DJ20260302-1A2B3C4D5E6F`,
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVar(&invoice, "invoice", "", "invoice code:number (an empty code for a 数电发票)")
	cmd.Flags().StringVar(&document, "document", "", "document SHA-256 (hex)")
	cmd.Flags().StringVar(&registryNo, "registry-no", "", "registry number")
	cmd.MarkFlagsMutuallyExclusive("invoice", "document", "registry-no")
	cmd.MarkFlagsOneRequired("invoice", "document", "registry-no")
	return a.withQuery(cmd, func(ctx context.Context, c *client.Client, _ []string) (any, error) {
		switch {
		case invoice != "":
			code, number, ok := strings.Cut(invoice, ":")
			if !ok {
				return nil, fmt.Errorf("--invoice %q: want code:number", invoice)
			}
			return c.LookupInvoice(ctx, code, number)
		case document != "":
			return c.LookupDocument(ctx, document)
		default:
			return c.LookupRegistryNo(ctx, registryNo)
		}
	})
}
