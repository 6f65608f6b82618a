package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) registryCommands() []*cobra.Command {
	return []*cobra.Command{a.verifyCommand(), a.registerCommand()}
}

func (a *app) verifyCommand() *cobra.Command {
	var req warrant.VerifyRequest
	var failed bool
	cmd := &cobra.Command{
		Use:     "verify",
		GroupID: groupRegistry,
		Short:   "Record the verification of a warrant's trade background (verifier, 验真, R5)",
		Example: `  warrantctl --as User1@AssociationMSP verify W3F2A9C0D1E2F3A4B5C6D7E8F --evidence-hash 9e1f...42
  warrantctl --as User1@AssociationMSP verify W3F2A9C0D1E2F3A4B5C6D7E8F --evidence-hash 9e1f...42 \
      --failed --reason "invoice 00812346 was voided"`,
	}
	cmd.Flags().StringVar(&req.EvidenceHash, "evidence-hash", "", "SHA-256 (hex) of the off-chain evidence")
	cmd.Flags().BoolVar(&failed, "failed", false, "record a failed check (needs --reason)")
	cmd.Flags().StringArrayVar(&req.Reasons, "reason", nil, "why the check failed (repeatable)")
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		if cmd.Flags().Changed("failed") || cmd.Flags().Changed("evidence-hash") {
			req.Passed = !failed
		}
		return c.Verify(ctx, req)
	})
}

func (a *app) registerCommand() *cobra.Command {
	var req warrant.RegisterRequest
	cmd := &cobra.Command{
		Use:     "register",
		GroupID: groupRegistry,
		Short:   "Register a verified warrant, making it ACTIVE (registrar, 登记, R6)",
		Example: "  warrantctl --as User1@AssociationMSP register W3F2A9C0D1E2F3A4B5C6D7E8F",
	}
	return a.warrantCommand(cmd, &req.WarrantID, &req, func(ctx context.Context, c *client.Client) (any, error) {
		return c.Register(ctx, req)
	})
}
