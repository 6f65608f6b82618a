package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) transferCommands() []*cobra.Command {
	return []*cobra.Command{a.splitCommand(), a.offerCommand("accept", "Accept a part offered to you (the recipient, R8)",
		func(c *client.Client, ctx context.Context, req warrant.OfferRequest) (any, error) {
			return c.Accept(ctx, req)
		}),
		a.offerCommand("reject", "Reject a part offered to you; it goes back to the sender (R8)",
			func(c *client.Client, ctx context.Context, req warrant.OfferRequest) (any, error) {
				return c.Reject(ctx, req)
			}),
		a.offerCommand("reclaim", "Take back an offer not accepted in the acceptance window (the sender, R8)",
			func(c *client.Client, ctx context.Context, req warrant.OfferRequest) (any, error) {
				return c.Reclaim(ctx, req)
			}),
	}
}

// warrantCommand is a mutation naming one warrant by its positional argument.
func (a *app) warrantCommand(cmd *cobra.Command, warrantID *string, req any,
	call func(context.Context, *client.Client) (any, error)) *cobra.Command {
	cmd.Use += " <warrantId>"
	cmd.Args = cobra.MaximumNArgs(1)
	return a.withRequest(cmd, req, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		if err := firstArg(args, warrantID, "warrant id"); err != nil {
			return nil, err
		}
		return call(ctx, c)
	})
}

func (a *app) splitCommand() *cobra.Command {
	var req warrant.SplitTransferRequest
	var parts []string
	cmd := &cobra.Command{
		Use:     "split",
		Aliases: []string{"split-transfer", "transfer"},
		GroupID: groupWarrant,
		Short:   "Split a warrant and offer parts to recipients; the rest stays with you (R7)",
		Example: `  warrantctl --as Jinggong@AssociationMSP split W3F2A9C0D1E2F3A4B5C6D7E8F \
      --part 914413003909960334:30000000 --part 92440300082462814A:20000000`,
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().StringArrayVar(&parts, "part", nil, "recipient:amount in fen (repeatable)")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		if len(parts) > 0 {
			parsed, err := parseParts(parts)
			if err != nil {
				return nil, err
			}
			req.Parts = parsed
		}
		return c.SplitTransfer(ctx, req)
	})
}

func (a *app) offerCommand(use, short string, call func(*client.Client, context.Context, warrant.OfferRequest) (any, error)) *cobra.Command {
	var req warrant.OfferRequest
	cmd := &cobra.Command{
		Use:     use,
		GroupID: groupWarrant,
		Short:   short,
		Example: "  warrantctl --as Hengda@AssociationMSP " + use + " W3F2A9C0D1E2F3A4B5C6D7E8F.001",
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		return call(c, ctx, req)
	})
}
