package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) custodyCommands() []*cobra.Command {
	return []*cobra.Command{a.depositCommand(), a.releaseCustodyCommand()}
}

func (a *app) depositCommand() *cobra.Command {
	var req warrant.DepositRequest
	cmd := &cobra.Command{
		Use:     "deposit",
		GroupID: groupFinance,
		Short:   "Deposit a warrant with a custodian bank (the holder, 托管, R10)",
		Example: "  warrantctl --as Jinggong@AssociationMSP deposit W3F2A9C0D1E2F3A4B5C6D7E8F --custodian 914403007865797541",
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().StringVar(&req.Custodian, "custodian", "", "credit code of the custodian bank")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		return c.Deposit(ctx, req)
	})
}

func (a *app) releaseCustodyCommand() *cobra.Command {
	var req warrant.ReleaseCustodyRequest
	cmd := &cobra.Command{
		Use:     "release-custody",
		GroupID: groupFinance,
		Short:   "End the custody of a warrant (the custodian, R10)",
		Example: "  warrantctl --as User1@BankMSP release-custody W3F2A9C0D1E2F3A4B5C6D7E8F",
	}
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		return c.ReleaseCustody(ctx, req)
	})
}
