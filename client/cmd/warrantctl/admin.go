package main

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) adminCommands() []*cobra.Command {
	return []*cobra.Command{a.onboardCommand(), a.updateEnterpriseCommand(),
		a.enterpriseStatusCommand("suspend", "Suspend an enterprise; its operations are then rejected (admin, R3)",
			func(c *client.Client, ctx context.Context, req warrant.EnterpriseStatusRequest) (any, error) {
				return c.SuspendEnterprise(ctx, req)
			}),
		a.enterpriseStatusCommand("reinstate", "Lift an enterprise's suspension (admin, R3)",
			func(c *client.Client, ctx context.Context, req warrant.EnterpriseStatusRequest) (any, error) {
				return c.ReinstateEnterprise(ctx, req)
			}),
		a.setParamsCommand(), a.setCreditLineCommand()}
}

// roles converts a comma-separated list into roles.
func roles(list string) []warrant.Role {
	var out []warrant.Role
	for _, r := range strings.Split(list, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, warrant.Role(r))
		}
	}
	return out
}

func (a *app) onboardCommand() *cobra.Command {
	var req warrant.OnboardEnterpriseRequest
	var roleList string
	cmd := &cobra.Command{
		Use:     "onboard",
		GroupID: groupAdmin,
		Short:   "Onboard an enterprise: credit code, name, org, roles, controller (admin, R3)",
		Example: `  warrantctl --as User1@AssociationMSP onboard --credit-code 91440300908301663N \
      --name 深圳精工模具有限公司 --mspid-of AssociationMSP --roles holder --controller chen-family`,
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVar(&req.CreditCode, "credit-code", "", "unified social credit code (18 characters)")
	cmd.Flags().StringVar(&req.Name, "name", "", "registered name")
	cmd.Flags().StringVar(&req.MSPID, "mspid-of", "", "MSP ID of the enterprise's org")
	cmd.Flags().StringVar(&roleList, "roles", "", "comma-separated roles (issuer, holder, custodian, financier, ...)")
	cmd.Flags().StringVar(&req.Controller, "controller", "", "ultimate controlling party (same controller = related parties)")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, _ []string) (any, error) {
		if roleList != "" {
			req.Roles = roles(roleList)
		}
		return c.OnboardEnterprise(ctx, req)
	})
}

func (a *app) updateEnterpriseCommand() *cobra.Command {
	var req warrant.UpdateEnterpriseRequest
	var roleList string
	cmd := &cobra.Command{
		Use:     "update-enterprise <creditCode>",
		GroupID: groupAdmin,
		Short:   "Change an enterprise's name, roles or controller (admin, R3)",
		Example: "  warrantctl --as User1@AssociationMSP update-enterprise 91440300908301663N --roles holder --controller chen-holdings",
		Args:    cobra.MaximumNArgs(1),
	}
	cmd.Flags().StringVar(&req.Name, "name", "", "new name")
	cmd.Flags().StringVar(&roleList, "roles", "", "new comma-separated roles")
	cmd.Flags().StringVar(&req.Controller, "controller", "", "new controller")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		if err := firstArg(args, &req.CreditCode, "credit code"); err != nil {
			return nil, err
		}
		if roleList != "" {
			req.Roles = roles(roleList)
		}
		return c.UpdateEnterprise(ctx, req)
	})
}

func (a *app) enterpriseStatusCommand(use, short string, call func(*client.Client, context.Context, warrant.EnterpriseStatusRequest) (any, error)) *cobra.Command {
	var req warrant.EnterpriseStatusRequest
	cmd := &cobra.Command{
		Use:     use + " <creditCode>",
		GroupID: groupAdmin,
		Short:   short,
		Example: "  warrantctl --as User1@AssociationMSP " + use + ` 92440300082462814A --reason "KYC review"`,
		Args:    cobra.MaximumNArgs(1),
	}
	cmd.Flags().StringVar(&req.Reason, "reason", "", "why")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		if err := firstArg(args, &req.CreditCode, "credit code"); err != nil {
			return nil, err
		}
		return call(c, ctx, req)
	})
}

func (a *app) setParamsCommand() *cobra.Command {
	var req warrant.Params
	flagged := warrant.DefaultParams()
	cmd := &cobra.Command{
		Use:     "set-params",
		GroupID: groupAdmin,
		Short:   "Change chaincode parameters; unset flags keep the values in force (admin)",
		Example: "  warrantctl --as User1@AssociationMSP set-params --max-tenor-days 180 --acceptance-window-days 5",
		Args:    cobra.NoArgs,
	}
	fs := cmd.Flags()
	fs.Int64Var(&flagged.AmountCap, "amount-cap", flagged.AmountCap, "largest face value in fen (R4)")
	fs.IntVar(&flagged.MaxTenorDays, "max-tenor-days", flagged.MaxTenorDays, "longest tenor in days (R4)")
	fs.Int64Var(&flagged.MinUnit, "min-unit", flagged.MinUnit, "smallest part in fen (R7)")
	fs.IntVar(&flagged.MaxParts, "max-parts", flagged.MaxParts, "most parts per split (R7)")
	fs.IntVar(&flagged.MaxDepth, "max-depth", flagged.MaxDepth, "deepest split level (R7)")
	fs.IntVar(&flagged.AcceptanceWindowDays, "acceptance-window-days", flagged.AcceptanceWindowDays, "days to accept an offer (R8)")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, _ []string) (any, error) {
		if !fs.Changed("request") {
			current, err := c.GetParams(ctx)
			if err != nil {
				return nil, err
			}
			req = *current
			req.UpdatedAt = time.Time{}
			fs.Visit(func(f *pflag.Flag) {
				switch f.Name {
				case "amount-cap":
					req.AmountCap = flagged.AmountCap
				case "max-tenor-days":
					req.MaxTenorDays = flagged.MaxTenorDays
				case "min-unit":
					req.MinUnit = flagged.MinUnit
				case "max-parts":
					req.MaxParts = flagged.MaxParts
				case "max-depth":
					req.MaxDepth = flagged.MaxDepth
				case "acceptance-window-days":
					req.AcceptanceWindowDays = flagged.AcceptanceWindowDays
				}
			})
		}
		return c.SetParams(ctx, req)
	})
}

func (a *app) setCreditLineCommand() *cobra.Command {
	var req warrant.SetCreditLineRequest
	cmd := &cobra.Command{
		Use:     "set-credit-line",
		GroupID: groupAdmin,
		Short:   "Set a core enterprise's issuance line (bank financier, 授信, R4a)",
		Example: "  warrantctl --as User1@BankMSP set-credit-line --debtor 9144030052601815XN --limit 50000000000",
		Args:    cobra.NoArgs,
	}
	cmd.Flags().StringVar(&req.Debtor, "debtor", "", "credit code of the core enterprise")
	cmd.Flags().Int64Var(&req.Limit, "limit", 0, "line in fen")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, _ []string) (any, error) {
		return c.SetCreditLine(ctx, req)
	})
}
