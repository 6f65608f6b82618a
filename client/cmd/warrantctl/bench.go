package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/scfledger/warrants/client/load"
)

func (a *app) benchCommands() []*cobra.Command {
	var opts load.Options
	var asJSON bool
	var identities string
	cmd := &cobra.Command{
		Use:     "bench",
		GroupID: groupQuery,
		Short:   "Measure throughput and latency on a running network",
		Long: `Loads a running network: onboards the enterprises its identities act for,
prepares warrants for every worker (for a --duration of split-transfers, after
an untimed warm-up, as many as the rate it reached needs), then has the workers
submit the chosen operation through the gateway for --duration (or --count
transactions) and
reports committed tx/s, commit latency p50/p95/p99, invalid transactions by
validation code, and the machine's CPU floor for the transaction shape: the sign
and verify rates measured on the spot times the signatures each transaction needs
on the dev network path, with efficiency = tps / floor.

The identities are every user of the network directory --dir (fabric-samples'
layout: a dev network's directory, or fabric-samples' test-network), or those
listed in --identities, a JSON array of {"name", "profile", "mspId", "mspDir" or
"cert" and "key"} with paths relative to the file. Their certificates' Fabric CA
attributes scf.entity and scf.role say who is the admin, the issuer, the
financier, the verifier, the registrar and the holders (at least four).

scripts/bench.sh starts a dev network of its own, runs this command on it and
stops it: one step.

With --json the only output on stdout is one JSON line with the report (tps,
p50_ms, p95_ms, p99_ms, floor_tps, efficiency, ...); progress goes to stderr.`,
		Example: `  warrantctl bench --dir .devnet --json
  warrantctl bench --identities identities.json --op split-transfer --workers 32 --duration 30s
  warrantctl bench --op query --count 5000`,
		Args: cobra.NoArgs,
	}
	flags := cmd.Flags()
	flags.StringVar(&opts.Operation, "op", load.OpSplitTransfer, fmt.Sprintf("operation: one of %v", load.Operations))
	flags.IntVar(&opts.Workers, "workers", load.DefaultWorkers, "concurrent clients, each with its own gateway connection")
	flags.DurationVar(&opts.Duration, "duration", load.DefaultDuration, "how long to submit (ignored with --count)")
	flags.IntVar(&opts.Count, "count", 0, "number of transactions to submit instead of a duration")
	flags.IntVar(&opts.Chain, "chain", load.DefaultChain, "split-transfers per prepared warrant")
	flags.IntVar(&opts.VerifiesPerTx, "verifies-per-tx", load.FabricVerifiesPerTx, fmt.Sprintf("signature verifications per transaction on the loaded network, for the floor: %d on Fabric, %d on the dev network (one process verifies each signature once)", load.FabricVerifiesPerTx, load.SharedVerifiesPerTx))
	flags.StringVar(&identities, "identities", "", "identities file (JSON) instead of the users of --dir")
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
		members, err := a.benchMembers(identities)
		if err != nil {
			return err
		}
		opts.Members = members
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
		fmt.Fprintf(out, "(whole run, preparation included: %s)\n", time.Since(started).Round(time.Second))
		return nil
	}
	return []*cobra.Command{cmd}
}

// benchMembers reads the identities to load the network with, from the
// identities file when given, else from --dir, on the channel and chaincode of
// the global flags.
func (a *app) benchMembers(identities string) ([]load.Member, error) {
	var members []load.Member
	var err error
	if identities != "" {
		members, err = load.MembersInFile(identities)
	} else {
		members, err = load.MembersInDir(a.dir)
	}
	if err != nil {
		return nil, err
	}
	for i := range members {
		members[i].Config.Channel, members[i].Config.Chaincode = a.channel, a.chaincode
	}
	return members, nil
}
