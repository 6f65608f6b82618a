package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

func (a *app) treeCommands() []*cobra.Command {
	lineage := &cobra.Command{
		Use:     "lineage <rootId>",
		GroupID: groupQuery,
		Short:   "Draw a root's split tree: every part, its holder, amount and status (R16)",
		Long: `Draws the split tree of a root warrant: every node with its id, holder, amount
in yuan and status, children under their parent. Unlike other commands it draws
the tree unless -o json is given explicitly, which prints the nodes in pre-order.`,
		Example: "  warrantctl -o table lineage W3F2A9C0D1E2F3A4B5C6D7E8F",
		Args:    cobra.ExactArgs(1),
	}
	summary := &cobra.Command{
		Use:     "summary <rootId>",
		GroupID: groupQuery,
		Short:   "Show a root's face value, settled, outstanding and overdue amounts (R9, R12)",
		Example: "  warrantctl -o table summary W3F2A9C0D1E2F3A4B5C6D7E8F",
		Args:    cobra.ExactArgs(1),
	}
	return []*cobra.Command{
		a.withQuery(lineage, func(ctx context.Context, c *client.Client, args []string) (any, error) {
			nodes, err := c.FullLineage(ctx, args[0])
			if err != nil {
				return nil, err
			}
			if !lineage.Flags().Changed("output") {
				a.output = "table"
			}
			return lineageTree(nodes), nil
		}),
		a.withQuery(summary, func(ctx context.Context, c *client.Client, args []string) (any, error) {
			return c.RootSummary(ctx, args[0])
		}),
	}
}

// lineageTree is a root's nodes in pre-order; as a table it draws the tree.
type lineageTree []warrant.Warrant

// MarshalJSON prints the nodes as a plain list.
func (t lineageTree) MarshalJSON() ([]byte, error) { return marshalList([]warrant.Warrant(t)) }

// writeTable draws the tree with box-drawing characters, children under their parent
// in id order.
func (t lineageTree) writeTable(w io.Writer) error {
	children := map[string][]int{}
	var roots []int
	known := map[string]bool{}
	for _, node := range t {
		known[node.ID] = true
	}
	for i, node := range t {
		if node.ParentID == "" || !known[node.ParentID] {
			roots = append(roots, i)
			continue
		}
		children[node.ParentID] = append(children[node.ParentID], i)
	}
	var b strings.Builder
	var draw func(i int, prefix string, last, top bool)
	draw = func(i int, prefix string, last, top bool) {
		node := t[i]
		branch, next := "├── ", "│   "
		if last {
			branch, next = "└── ", "    "
		}
		if top {
			branch, next = "", ""
		}
		fmt.Fprintf(&b, "%s%s%s  %s  %s  %s%s\n", prefix, branch, node.ID, node.Holder, withYuan(node.Amount), node.Status, flags(node))
		kids := children[node.ID]
		for k, child := range kids {
			draw(child, prefix+next, k == len(kids)-1, false)
		}
	}
	for _, r := range roots {
		draw(r, "", true, true)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// flags renders a node's frozen, pledge and custody marks.
func flags(w warrant.Warrant) string {
	var marks []string
	if w.Frozen {
		marks = append(marks, "frozen")
	}
	if w.Pledge != nil {
		marks = append(marks, "pledged to "+w.Pledge.Pledgee)
	}
	if w.Custodian != "" {
		marks = append(marks, "custody "+w.Custodian)
	}
	if len(marks) == 0 {
		return ""
	}
	return "  [" + strings.Join(marks, ", ") + "]"
}
