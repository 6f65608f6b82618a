package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// memberCommands manage the consortium's member orgs (R34).
func (a *app) memberCommands() []*cobra.Command {
	return []*cobra.Command{a.initLedgerCommand(), a.registerMemberCommand(),
		a.memberStatusCommand("suspend-member", "Suspend a member org: its identities can then write nothing (admin, R34)",
			func(c *client.Client, ctx context.Context, req warrant.MemberStatusRequest) (any, error) {
				return c.SuspendMember(ctx, req)
			}),
		a.memberStatusCommand("reinstate-member", "Lift a member org's suspension (admin, R34)",
			func(c *client.Client, ctx context.Context, req warrant.MemberStatusRequest) (any, error) {
				return c.ReinstateMember(ctx, req)
			}),
		a.lookupByKey("member <mspId>", "Show a member org of the consortium (R34)", "  warrantctl member Bank2MSP",
			func(ctx context.Context, c *client.Client, mspID string) (any, error) { return c.GetMember(ctx, mspID) }),
		a.membersCommand(),
	}
}

func (a *app) initLedgerCommand() *cobra.Command {
	var req warrant.InitLedgerRequest
	cmd := &cobra.Command{
		Use:     "init-ledger",
		GroupID: groupAdmin,
		Short:   "Register the association as the first member org, once (admin of the configured association MSP, R34)",
		Example: "  warrantctl --as User1@AssociationMSP init-ledger --name 深圳市供应链金融协会",
		Args:    cobra.NoArgs,
	}
	cmd.Flags().StringVar(&req.Name, "name", "", "the association's display name")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, _ []string) (any, error) {
		return c.InitLedger(ctx, req)
	})
}

func (a *app) registerMemberCommand() *cobra.Command {
	var req warrant.RegisterMemberRequest
	var kind string
	cmd := &cobra.Command{
		Use:     "register-member <mspId>",
		GroupID: groupAdmin,
		Short:   "Register a member org: MSP ID, kind (CORE_ENTERPRISE, BANK, ASSOCIATION), name (admin, R34)",
		Example: "  warrantctl --as User1@AssociationMSP register-member Bank2MSP --kind BANK --name 深圳南山商业银行",
		Args:    cobra.MaximumNArgs(1),
	}
	cmd.Flags().StringVar(&kind, "kind", "", "CORE_ENTERPRISE, BANK or ASSOCIATION")
	cmd.Flags().StringVar(&req.Name, "name", "", "display name")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		if err := firstArg(args, &req.MSPID, "MSP ID"); err != nil {
			return nil, err
		}
		if kind != "" {
			req.Kind = warrant.MemberKind(strings.ToUpper(kind))
		}
		return c.RegisterMember(ctx, req)
	})
}

func (a *app) memberStatusCommand(use, short string, call func(*client.Client, context.Context, warrant.MemberStatusRequest) (any, error)) *cobra.Command {
	var req warrant.MemberStatusRequest
	cmd := &cobra.Command{
		Use:     use + " <mspId>",
		GroupID: groupAdmin,
		Short:   short,
		Example: "  warrantctl --as User1@AssociationMSP " + use + ` Bank2MSP --reason "licence review"`,
		Args:    cobra.MaximumNArgs(1),
	}
	cmd.Flags().StringVar(&req.Reason, "reason", "", "why")
	return a.withRequest(cmd, &req, func(ctx context.Context, c *client.Client, args []string) (any, error) {
		if err := firstArg(args, &req.MSPID, "MSP ID"); err != nil {
			return nil, err
		}
		return call(c, ctx, req)
	})
}

func (a *app) membersCommand() *cobra.Command {
	var req warrant.ListMembersRequest
	var all bool
	cmd := &cobra.Command{
		Use:     "members",
		GroupID: groupQuery,
		Short:   "List the member orgs of the consortium, a page at a time (R34)",
		Example: "  warrantctl -o table members --all",
		Args:    cobra.NoArgs,
	}
	cmd.Flags().IntVar(&req.PageSize, "page-size", 0, "items per page (0: default, at most 100)")
	cmd.Flags().StringVar(&req.Bookmark, "bookmark", "", "continue from this bookmark")
	cmd.Flags().BoolVar(&all, "all", false, "read every page")
	return a.withQuery(cmd, func(ctx context.Context, c *client.Client, _ []string) (any, error) {
		var merged warrant.MemberPage
		for {
			page, err := c.ListMembers(ctx, req)
			if err != nil || !all {
				return page, err
			}
			merged.Items = append(merged.Items, page.Items...)
			if page.NextBookmark == "" {
				return &merged, nil
			}
			req.Bookmark = page.NextBookmark
		}
	})
}
