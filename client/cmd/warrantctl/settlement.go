package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) settlementCommands() []*cobra.Command {
	return []*cobra.Command{a.settleCommand(), a.settleRootCommand()}
}

func (a *app) settleCommand() *cobra.Command {
	var req warrant.SettleRequest
	cmd := &cobra.Command{
		Use:     "settle",
		GroupID: groupFinance,
		Short:   "Initiate paying one live leaf at or after maturity; final on the bank's confirmation (the debtor's issuer, 兑付, R12, R32)",
		Example: "  warrantctl settle W3F2A9C0D1E2F3A4B5C6D7E8F.002 --payment-ref CNAPS-20260901-0001 --paying-bank 914403007865797541",
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().StringVar(&req.PaymentRef, "payment-ref", "", "bank transfer or e-CNY payment reference")
	cmd.Flags().StringVar(&req.PayingBank, "paying-bank", "", "credit code of the bank or e-CNY operator that pays and confirms (R32)")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		return c.Settle(ctx, req)
	})
}

func (a *app) settleRootCommand() *cobra.Command {
	var req warrant.SettleRootRequest
	var all bool
	cmd := &cobra.Command{
		Use:     "settle-root <rootId>",
		GroupID: groupFinance,
		Short:   "Pay every live leaf of a root, a page at a time (the debtor's issuer, 清分, R12)",
		Example: `  warrantctl settle-root W3F2A9C0D1E2F3A4B5C6D7E8F --payment-ref CNAPS-20260901-0002 --paying-bank 914403007865797541 --all`,
		Args:    cobra.MaximumNArgs(1),
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b); with --all, page n uses <key>/n")
	cmd.Flags().StringVar(&req.PaymentRef, "payment-ref", "", "bank transfer or e-CNY payment reference")
	cmd.Flags().StringVar(&req.PayingBank, "paying-bank", "", "credit code of the bank or e-CNY operator that pays and confirms (R32)")
	cmd.Flags().IntVar(&req.PageSize, "page-size", 0, "leaves per transaction (0: default)")
	cmd.Flags().StringVar(&req.Bookmark, "bookmark", "", "continue from this bookmark")
	cmd.Flags().BoolVar(&all, "all", false, "repeat until every page is settled; prints the last page")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		if err := firstArg(args, &req.RootID, "root id"); err != nil {
			return nil, err
		}
		key := req.RequestID
		for page := 1; ; page++ {
			if all && key != "" {
				req.RequestID = fmt.Sprintf("%s/%d", key, page)
			}
			result, err := c.SettleRoot(ctx, req)
			if err != nil || !all || result.NextBookmark == "" {
				return result, err
			}
			req.Bookmark = result.NextBookmark
		}
	})
}
