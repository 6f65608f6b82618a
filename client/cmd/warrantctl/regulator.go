package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) regulatorCommands() []*cobra.Command {
	return []*cobra.Command{
		a.freezeCommand("freeze", "Freeze a warrant, optionally its live subtree (regulator, R13)",
			func(c *client.Client, ctx context.Context, req warrant.FreezeRequest) (any, error) {
				return c.Freeze(ctx, req)
			}),
		a.freezeCommand("unfreeze", "Lift a freeze (regulator, R13)",
			func(c *client.Client, ctx context.Context, req warrant.FreezeRequest) (any, error) {
				return c.Unfreeze(ctx, req)
			}),
	}
}

func (a *app) freezeCommand(use, short string, call func(*client.Client, context.Context, warrant.FreezeRequest) (any, error)) *cobra.Command {
	var req warrant.FreezeRequest
	cmd := &cobra.Command{
		Use:     use,
		GroupID: groupRegistry,
		Short:   short,
		Example: "  warrantctl --as User1@AssociationMSP " + use + ` W3F2A9C0D1E2F3A4B5C6D7E8F --subtree --reason "court order (2026)粤0304执123号"`,
	}
	cmd.Flags().StringVar(&req.Reason, "reason", "", "regulatory or court order")
	cmd.Flags().BoolVar(&req.Subtree, "subtree", false, "also the warrant's live descendants, a page at a time")
	cmd.Flags().IntVar(&req.PageSize, "page-size", 0, "subtree page size (0: default)")
	cmd.Flags().StringVar(&req.Bookmark, "bookmark", "", "continue a subtree from this bookmark")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		return call(c, ctx, req)
	})
}
