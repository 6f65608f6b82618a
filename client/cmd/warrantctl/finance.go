package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) financeCommands() []*cobra.Command {
	return []*cobra.Command{a.requestFinancingCommand(), a.pledgeCommand(),
		a.bankCommand("release-pledge", "Release your pledge on a warrant (the financier, R11)", false,
			func(c *client.Client, ctx context.Context, req warrant.BankWarrantRequest) (any, error) {
				return c.ReleasePledge(ctx, req)
			}),
		a.bankCommand("factor", "Buy a warrant: the bank becomes its holder (the financier, 保理, R11)", true,
			func(c *client.Client, ctx context.Context, req warrant.BankWarrantRequest) (any, error) {
				return c.Factor(ctx, req)
			}),
	}
}

func (a *app) requestFinancingCommand() *cobra.Command {
	var req warrant.FinancingRequest
	cmd := &cobra.Command{
		Use:     "request-financing",
		GroupID: groupFinance,
		Short:   "Ask a financier bank to finance a warrant (the holder, R11)",
		Example: "  warrantctl --as Hengda@AssociationMSP request-financing W3F2A9C0D1E2F3A4B5C6D7E8F.001 --financier 914403007865797541",
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().StringVar(&req.Financier, "financier", "", "credit code of the bank")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		return c.RequestFinancing(ctx, req)
	})
}

func (a *app) pledgeCommand() *cobra.Command {
	var req warrant.PledgeRequest
	cmd := &cobra.Command{
		Use:     "pledge",
		GroupID: groupFinance,
		Short:   "Take a registered pledge on a warrant (the financier, 质押, R11)",
		Example: `  warrantctl --as User1@BankMSP pledge W3F2A9C0D1E2F3A4B5C6D7E8F.001 --amount 25000000
  warrantctl --as User1@BankMSP pledge W3F2A9C0D1E2F3A4B5C6D7E8F.001 --amount 25000000 --terms-file loan-terms.json`,
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().Int64Var(&req.Amount, "amount", 0, "secured amount in fen")
	terms := termsFileFlags(cmd.Flags())
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		hash, err := terms(ctx, c)
		if err != nil {
			return nil, err
		}
		if hash != "" {
			req.TermsHash = hash
		}
		return c.Pledge(ctx, req)
	})
}

// bankCommand is a bank's command on one warrant; withTerms adds --terms-file (R17).
func (a *app) bankCommand(use, short string, withTerms bool, call func(*client.Client, context.Context, warrant.BankWarrantRequest) (any, error)) *cobra.Command {
	var req warrant.BankWarrantRequest
	cmd := &cobra.Command{
		Use:     use,
		GroupID: groupFinance,
		Short:   short,
		Example: "  warrantctl --as User1@BankMSP " + use + " W3F2A9C0D1E2F3A4B5C6D7E8F.001",
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	terms := func(context.Context, *client.Client) (string, error) { return "", nil }
	if withTerms {
		terms = termsFileFlags(cmd.Flags())
	}
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		hash, err := terms(ctx, c)
		if err != nil {
			return nil, err
		}
		if hash != "" {
			req.TermsHash = hash
		}
		return call(c, ctx, req)
	})
}
