package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/client/load"
	"github.com/scfledger/warrants/network/devnet"
)

func (a *app) benchCommands() []*cobra.Command {
	var opts load.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "bench",
		GroupID: groupQuery,
		Short:   "Measure throughput and latency on a dev network of its own",
		Long: `Starts a dev network of its own (temporary directory, free ports, the warrant
chaincode), prepares warrants for every worker, then has the workers submit the
chosen operation through the gateway for --duration (or --count transactions) and
reports committed tx/s, commit latency p50/p95/p99, invalid transactions by
validation code, and the machine's CPU floor for the transaction shape: the sign
and verify rates measured on the spot times the signatures each transaction needs
on the dev network path, with efficiency = tps / floor.

With --json the only output on stdout is one JSON line with the report (tps,
p50_ms, p95_ms, p99_ms, floor_tps, efficiency, ...); progress goes to stderr.`,
		Example: `  warrantctl bench --json
  warrantctl bench --op split-transfer --workers 32 --duration 30s
  warrantctl bench --op query --count 5000`,
		Args: cobra.NoArgs,
	}
	flags := cmd.Flags()
	flags.StringVar(&opts.Operation, "op", load.OpSplitTransfer, fmt.Sprintf("operation: one of %v", load.Operations))
	flags.IntVar(&opts.Workers, "workers", load.DefaultWorkers, "concurrent clients, each with its own gateway connection")
	flags.DurationVar(&opts.Duration, "duration", load.DefaultDuration, "how long to submit (ignored with --count)")
	flags.IntVar(&opts.Count, "count", 0, "number of transactions to submit instead of a duration")
	flags.IntVar(&opts.Chain, "chain", load.DefaultChain, "split-transfers per prepared warrant")
	flags.BoolVar(&asJSON, "json", false, "print only the report, as one JSON line")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if opts.Count > 0 {
			opts.Duration = 0
		}
		var progress io.Writer = cmd.ErrOrStderr()
		if asJSON && cmd.ErrOrStderr() == os.Stderr {
			progress = os.Stderr
		}
		opts.Progress = progress
		devnet.TuneGC()
		started := time.Now()
		report, err := load.Run(cmd.Context(), opts)
		if err != nil {
			return err
		}
		out := cmd.OutOrStdout()
		if asJSON {
			line, err := report.JSON()
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%s\n", line)
			return nil
		}
		fmt.Fprintln(out, report.String())
		fmt.Fprintf(out, "(whole run, network start and preparation included: %s)\n", time.Since(started).Round(time.Second))
		return nil
	}
	return []*cobra.Command{cmd}
}
