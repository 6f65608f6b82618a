package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) issuanceCommands() []*cobra.Command {
	return []*cobra.Command{a.issueCommand(), a.applyCommand(), a.confirmCommand(), a.declineCommand(), a.cancelCommand()}
}

// termsFlags binds the terms shared by issue and apply; the returned function parses
// the composite flags (maturity and invoices) into the request when they were given.
func termsFlags(fs *pflag.FlagSet, requestID, debtor *string, amount *int64, maturesAt *time.Time, trade *warrant.Trade) func() error {
	var matures string
	var invoices []string
	fs.StringVar(requestID, "request-id", "", "idempotency key, e.g. the ERP document number (R4b)")
	fs.StringVar(debtor, "debtor", "", "credit code of the core enterprise that owes")
	fs.Int64Var(amount, "amount", 0, "face value in fen")
	fs.StringVar(&matures, "matures", "", "maturity, RFC 3339 or a date")
	fs.StringVar(&trade.ContractHash, "contract-hash", "", "SHA-256 (hex) of the trade contract")
	fs.StringArrayVar(&invoices, "invoice", nil, "invoice code:number:amount:seller:buyer:documentHash (repeatable)")
	return func() error {
		if matures != "" {
			t, err := parseTime("matures", matures)
			if err != nil {
				return err
			}
			*maturesAt = t
		}
		if len(invoices) > 0 {
			parsed, err := parseInvoices(invoices)
			if err != nil {
				return err
			}
			trade.Invoices = parsed
		}
		return nil
	}
}

func (a *app) issueCommand() *cobra.Command {
	var req warrant.IssueRequest
	cmd := &cobra.Command{
		Use:     "issue",
		GroupID: groupWarrant,
		Short:   "Issue a warrant to its first holder (issuer of the debtor, R4)",
		Example: `  warrantctl issue --request-id PO-2026-0815 --debtor 9144030052601815XN \
      --holder 91440300908301663N --amount 100000000 --matures 2026-09-01 \
      --contract-hash 5f1c...e9 \
      --invoice 4403261130:00812345:58000000:91440300908301663N:9144030052601815XN:7a3b...01 \
      --invoice 4403261130:00812346:42000000:91440300908301663N:9144030052601815XN:c04d...9f
  warrantctl issue --request issue.json --trade-file trade-documents.json`,
		Args: cobra.NoArgs,
	}
	parse := termsFlags(cmd.Flags(), &req.RequestID, &req.Debtor, &req.Amount, &req.MaturesAt, &req.Trade)
	cmd.Flags().StringVar(&req.Holder, "holder", "", "credit code of the first holder")
	documents := tradeFileFlags(cmd.Flags())
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, _ []string) (any, error) {
		if err := parse(); err != nil {
			return nil, err
		}
		var err error
		if req.Documents, err = documents(); err != nil {
			return nil, err
		}
		return c.Issue(ctx, req)
	})
}

func (a *app) applyCommand() *cobra.Command {
	var req warrant.ApplyRequest
	cmd := &cobra.Command{
		Use:     "apply",
		GroupID: groupWarrant,
		Short:   "Apply, as a supplier, for a warrant the debtor then confirms (R4)",
		Example: `  warrantctl --as Jinggong@AssociationMSP apply --debtor 9144030052601815XN --amount 5000000 \
      --matures 2026-09-01 --contract-hash 5f1c...e9 \
      --invoice 4403261130:00812399:5000000:91440300908301663N:9144030052601815XN:1d2e...77`,
		Args: cobra.NoArgs,
	}
	parse := termsFlags(cmd.Flags(), &req.RequestID, &req.Debtor, &req.Amount, &req.MaturesAt, &req.Trade)
	documents := tradeFileFlags(cmd.Flags())
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, _ []string) (any, error) {
		if err := parse(); err != nil {
			return nil, err
		}
		var err error
		if req.Documents, err = documents(); err != nil {
			return nil, err
		}
		return c.Apply(ctx, req)
	})
}

func (a *app) decisionCommand(use, short, example string,
	call func(*client.Client, context.Context, warrant.ApplicationDecisionRequest) (any, error)) *cobra.Command {
	var req warrant.ApplicationDecisionRequest
	cmd := &cobra.Command{Use: use + " <applicationId>", GroupID: groupWarrant, Short: short, Example: example, Args: cobra.MaximumNArgs(1)}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().StringVar(&req.Reason, "reason", "", "reason, recorded on the application")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		if err := firstArg(args, &req.ApplicationID, "application id"); err != nil {
			return nil, err
		}
		return call(c, ctx, req)
	})
}

func (a *app) confirmCommand() *cobra.Command {
	return a.decisionCommand("confirm", "Confirm a supplier's application, issuing the warrant (确权)",
		"  warrantctl confirm A5D1C0FFEE0123456789ABCD",
		func(c *client.Client, ctx context.Context, req warrant.ApplicationDecisionRequest) (any, error) {
			return c.ConfirmApplication(ctx, req)
		})
}

func (a *app) declineCommand() *cobra.Command {
	return a.decisionCommand("decline", "Decline a supplier's application",
		`  warrantctl decline A5D1C0FFEE0123456789ABCD --reason "no such delivery"`,
		func(c *client.Client, ctx context.Context, req warrant.ApplicationDecisionRequest) (any, error) {
			return c.DeclineApplication(ctx, req)
		})
}

func (a *app) cancelCommand() *cobra.Command {
	var req warrant.CancelRequest
	cmd := &cobra.Command{
		Use:     "cancel <warrantId>",
		GroupID: groupWarrant,
		Short:   "Cancel a warrant that was never registered (the debtor, R14)",
		Example: `  warrantctl cancel W3F2A9C0D1E2F3A4B5C6D7E8F --reason "issued in error"`,
		Args:    cobra.MaximumNArgs(1),
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().StringVar(&req.Reason, "reason", "", "why the warrant is cancelled")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		if err := firstArg(args, &req.WarrantID, "warrant id"); err != nil {
			return nil, err
		}
		return c.Cancel(ctx, req)
	})
}
