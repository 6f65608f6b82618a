package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/client"
)

func (a *app) eventCommands() []*cobra.Command {
	var checkpoint, name string
	var fromBlock uint64
	var limit int
	cmd := &cobra.Command{
		Use:     "events",
		GroupID: groupQuery,
		Short:   "Stream the chaincode's events (R15), resuming from a checkpoint file",
		Long: `Streams the warrant chaincode's events until interrupted (or --limit events).
With --checkpoint, each printed event is recorded in the file, and a later run with
the same file resumes after it: no event is lost or printed twice. JSON output is
one event per line; table output is one line per event.`,
		Example: `  warrantctl events --checkpoint warrant-events.json
  warrantctl events --name warrant.transferred -o table --limit 10`,
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVar(&checkpoint, "checkpoint", "", "checkpoint file (created if absent)")
	cmd.Flags().Uint64Var(&fromBlock, "from-block", 0, "first block when the checkpoint is empty")
	cmd.Flags().StringVar(&name, "name", "", "only events of this name, e.g. warrant.issued")
	cmd.Flags().IntVar(&limit, "limit", 0, "stop after this many printed events (0: never)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		c, err := a.client()
		if err != nil {
			return err
		}
		ctx, cancel := context.WithCancel(cmd.Context())
		defer cancel()
		out := cmd.OutOrStdout()
		printed := 0
		return c.ProcessEvents(ctx, checkpoint, func(_ context.Context, e client.Event) error {
			if name != "" && e.Name != name {
				return nil
			}
			if a.output == "table" {
				p := e.Payload
				fmt.Fprintf(out, "%d\t%s\t%-28s %s %s %s\n", e.BlockNumber, e.TransactionID, e.Name, p.WarrantID, p.Status, p.RegistryNo)
			} else {
				line, err := json.Marshal(struct {
					client.Event
					Payload json.RawMessage `json:"payload"`
				}{e, e.Raw})
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "%s\n", line)
			}
			if printed++; limit > 0 && printed >= limit {
				cancel()
			}
			return nil
		}, client.FromBlock(fromBlock))
	}
	return []*cobra.Command{cmd}
}
