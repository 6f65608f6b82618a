package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// policyCommands are the commands of cross-verification, buyer-paid interest, confirmed
// settlement and the standard export (R30–R33).
func (a *app) policyCommands() []*cobra.Command {
	return []*cobra.Command{a.authorizeAttestorCommand(), a.attestCommand(), a.arrangeInterestCommand(),
		a.confirmSettlementCommand(), a.pendingSettlementsCommand(), a.exportCommand()}
}

func (a *app) authorizeAttestorCommand() *cobra.Command {
	var req warrant.AuthorizeAttestorRequest
	var kinds []string
	cmd := &cobra.Command{
		Use:     "authorize-attestor <creditCode>",
		GroupID: groupRegistry,
		Short:   "Set the attestation kinds an onboarded attestor may attest (admin, R30)",
		Example: "  warrantctl --as User1@AssociationMSP authorize-attestor 914403007362810444 --kind TAX_INVOICE --kind LOGISTICS",
		Args:    cobra.MaximumNArgs(1),
	}
	cmd.Flags().StringArrayVar(&kinds, "kind", nil, "TAX_INVOICE, GOODS_RECEIPT, CONTRACT or LOGISTICS (repeatable)")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		if err := firstArg(args, &req.CreditCode, "credit code"); err != nil {
			return nil, err
		}
		for _, k := range kinds {
			req.Kinds = append(req.Kinds, warrant.AttestationKind(k))
		}
		return c.AuthorizeAttestor(ctx, req)
	})
}

func (a *app) attestCommand() *cobra.Command {
	var req warrant.AttestRequest
	var kind, amount string
	var failed bool
	cmd := &cobra.Command{
		Use:     "attest",
		GroupID: groupRegistry,
		Short:   "Attest an ISSUED warrant's trade as one independent source (attestor, 交叉验证, R30)",
		Example: `  warrantctl --as Shulian@AssociationMSP attest W3F2A9C0D1E2F3A4B5C6D7E8F --kind TAX_INVOICE \
      --amount 100000000 --evidence-hash 9e1f...42
  warrantctl --as User1@CoreEnterpriseMSP attest W3F2A9C0D1E2F3A4B5C6D7E8F --kind GOODS_RECEIPT \
      --failed --reason "goods returned" --evidence-hash 9e1f...42`,
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().StringVar(&kind, "kind", "", "TAX_INVOICE, GOODS_RECEIPT, CONTRACT or LOGISTICS")
	cmd.Flags().StringVar(&amount, "amount", "", "amount of trade the source confirms, in fen")
	cmd.Flags().StringVar(&req.EvidenceHash, "evidence-hash", "", "SHA-256 (hex) of the source's evidence")
	cmd.Flags().BoolVar(&failed, "failed", false, "a negative attestation (needs --reason)")
	cmd.Flags().StringArrayVar(&req.Reasons, "reason", nil, "why the source does not confirm the trade (repeatable)")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		if cmd.Flags().Changed("kind") {
			req.Kind, req.Passed = warrant.AttestationKind(kind), !failed
		}
		if amount != "" {
			fen, err := parseFen("--amount", amount)
			if err != nil {
				return nil, err
			}
			req.ConfirmedAmount = fen
		}
		return c.Attest(ctx, req)
	})
}

func (a *app) arrangeInterestCommand() *cobra.Command {
	var req warrant.ArrangeInterestRequest
	var payer, dayCount string
	cmd := &cobra.Command{
		Use:     "arrange-interest",
		GroupID: groupFinance,
		Short:   "Set who pays a discount's interest, the rate and the day count (the debtor's issuer, 买方付息, R31)",
		Example: "  warrantctl arrange-interest W3F2A9C0D1E2F3A4B5C6D7E8F --payer BUYER --rate-bp 365 --day-count ACT/365",
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().StringVar(&payer, "payer", "", "BUYER (the debtor) or HOLDER")
	cmd.Flags().IntVar(&req.RateBP, "rate-bp", 0, "annual rate in basis points (365 = 3.65%)")
	cmd.Flags().StringVar(&dayCount, "day-count", string(warrant.DayCountAct365), "ACT/365 or ACT/360")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		if payer != "" {
			req.Payer, req.DayCount = warrant.InterestPayer(payer), warrant.DayCount(dayCount)
		}
		return c.ArrangeInterest(ctx, req)
	})
}

func (a *app) confirmSettlementCommand() *cobra.Command {
	var req warrant.ConfirmSettlementRequest
	var channel string
	var payments []string
	cmd := &cobra.Command{
		Use:     "confirm-settlement",
		GroupID: groupFinance,
		Short:   "Confirm, as the paying bank or e-CNY operator, that a SETTLING leaf was paid (paymentbank, R32)",
		Example: `  warrantctl --as User1@BankMSP confirm-settlement W3F2A9C0D1E2F3A4B5C6D7E8F.002 --channel ECNY \
      --payment 914413003909960334:ECNY-HENGDA:30000000:ECNY-20260901-0001:0021000000000001:0021000000000002`,
	}
	cmd.Flags().StringVar(&req.RequestID, "request-id", "", "idempotency key (R4b)")
	cmd.Flags().StringVar(&channel, "channel", "", "BANK_TRANSFER or ECNY")
	cmd.Flags().StringArrayVar(&payments, "payment", nil,
		"payee:account:amount:reference[:payerWallet:payeeWallet] per payee share, in order (repeatable)")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		if channel != "" {
			req.Channel = warrant.PaymentChannel(channel)
		}
		for _, p := range payments {
			payment, err := parsePayment(p)
			if err != nil {
				return nil, err
			}
			req.Payments = append(req.Payments, payment)
		}
		return c.ConfirmSettlement(ctx, req)
	})
}

// parsePayment reads payee:account:amount:reference[:payerWallet:payeeWallet].
func parsePayment(s string) (warrant.ConfirmedPayment, error) {
	f := strings.Split(s, ":")
	if len(f) != 4 && len(f) != 6 {
		return warrant.ConfirmedPayment{}, fmt.Errorf("--payment %q: want payee:account:amount:reference[:payerWallet:payeeWallet]", s)
	}
	amount, err := parseFen("payment amount", f[2])
	if err != nil {
		return warrant.ConfirmedPayment{}, err
	}
	p := warrant.ConfirmedPayment{Payee: f[0], PayeeAccount: f[1], Amount: amount, PaymentRef: f[3]}
	if len(f) == 6 {
		p.PayerWallet, p.PayeeWallet = f[4], f[5]
	}
	return p, nil
}

func (a *app) pendingSettlementsCommand() *cobra.Command {
	var req warrant.PendingSettlementsRequest
	cmd := &cobra.Command{
		Use:     "pending-settlements <rootId>",
		GroupID: groupQuery,
		Short:   "List a root's settlements awaiting the paying bank, overdue past the window (R32)",
		Example: "  warrantctl -o table pending-settlements W3F2A9C0D1E2F3A4B5C6D7E8F",
		Args:    cobra.ExactArgs(1),
	}
	cmd.Flags().IntVar(&req.PageSize, "page-size", 0, "items per page (0: default)")
	cmd.Flags().StringVar(&req.Bookmark, "bookmark", "", "continue from this bookmark")
	return a.withQuery(cmd, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		req.RootID = args[0]
		return c.PendingSettlements(ctx, req)
	})
}

func (a *app) exportCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:     "export <rootId>",
		GroupID: groupQuery,
		Short:   "Write a root and its lineage in the published warrant standard (R33)",
		Example: "  warrantctl export W3F2A9C0D1E2F3A4B5C6D7E8F --out warrant.json",
		Args:    cobra.ExactArgs(1),
	}
	cmd.Flags().StringVar(&out, "out", "", "write the export to this file instead of printing it")
	return a.withQuery(cmd, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		export, err := c.Export(ctx, args[0])
		if err != nil || out == "" {
			return export, err
		}
		data, err := json.MarshalIndent(export, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("encode export: %w", err)
		}
		if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
			return nil, fmt.Errorf("write export: %w", err)
		}
		return map[string]any{"written": out, "standard": export.Standard, "nodes": len(export.Lineage)}, nil
	})
}
