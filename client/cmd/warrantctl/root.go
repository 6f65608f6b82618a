package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scfledger/warrants/client"
)

// Exit codes: 0 success, 1 any failure, 2 a rejection by the chaincode.
const (
	exitOK       = 0
	exitFailure  = 1
	exitRejected = 2
)

// app holds the global flags and the lazily opened client of one invocation.
type app struct {
	dir       string
	as        string
	profile   string
	cert      string
	key       string
	mspID     string
	channel   string
	chaincode string
	output    string
	timestamp string
	flags     *pflag.FlagSet
	conn      *client.Client
}

// run executes warrantctl with args and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if a.conn != nil {
		_ = a.conn.Close()
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "Error:", err)
	if client.Code(err) != "" {
		return exitRejected
	}
	return exitFailure
}

// Command groups shown by --help.
const (
	groupAdmin    = "admin"
	groupWarrant  = "warrant"
	groupFinance  = "finance"
	groupRegistry = "registry"
	groupQuery    = "query"
)

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "warrantctl",
		Short: "Operate and query supply-chain digital asset warrants",
		Long: `warrantctl calls the warrant chaincode through a Fabric gateway.

By default it acts as User1@CoreEnterpriseMSP on the dev network whose files are in
.devnet (started with "scripts/network.sh dev"). Choose another user with --as, and
another network with --dir (the native Fabric network's: --dir .fabric) or
--profile (a connection profile, with --as or with --cert and --key). Without
--dir, --as and --profile, the fabric-samples environment variables are used when
set (CORE_PEER_ADDRESS, CORE_PEER_LOCALMSPID, CORE_PEER_MSPCONFIGPATH,
CORE_PEER_TLS_ROOTCERT_FILE, or PEER_ENDPOINT, MSP_ID, ...), as the networks'
env-<org>.sh files set them.

Amounts are in fen (1 yuan = 100 fen); tables show them in yuan. Results print as
JSON unless -o table is given. A rejection by the chaincode prints its code and
message and exits with status 2; any other failure exits with status 1.`,
		Example: `  warrantctl --as User1@AssociationMSP onboard --request enterprise.json
  warrantctl issue --debtor 9144030052601815XN --holder 91440300908301663N --amount 100000000 \
      --matures 2026-09-01T00:00:00Z --contract-hash <sha256> \
      --invoice 4403261130:00812345:100000000:91440300908301663N:9144030052601815XN:<sha256>
  warrantctl -o table lineage W3F2A9C0D1E2F3A4B5C6D7E8F`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	flags := root.PersistentFlags()
	a.flags = flags
	flags.StringVar(&a.dir, "dir", ".devnet", "network directory (connection profiles and crypto material): the dev network's or the native Fabric network's")
	flags.StringVar(&a.as, "as", "User1@CoreEnterpriseMSP", "identity to act as, <User>@<MSPID>, found in --dir or beside --profile")
	flags.StringVar(&a.profile, "profile", "", "connection profile (JSON) instead of --dir")
	flags.StringVar(&a.cert, "cert", "", "certificate PEM file or directory (with --profile, instead of --as)")
	flags.StringVar(&a.key, "key", "", "private key PEM file or directory (with --profile)")
	flags.StringVar(&a.mspID, "mspid", "", "MSP ID of --cert (default: the profile's client organization)")
	flags.StringVar(&a.channel, "channel", client.DefaultChannel, "channel name")
	flags.StringVar(&a.chaincode, "chaincode", client.DefaultChaincode, "chaincode name")
	flags.StringVarP(&a.output, "output", "o", "json", "output format: json or table")
	flags.StringVar(&a.timestamp, "timestamp", "", "RFC 3339 time to stamp the proposal with instead of now: the transaction's ledger time (the endorsers refuse one further than their clock skew from their own clocks, R19)")

	root.AddGroup(
		&cobra.Group{ID: groupWarrant, Title: "Warrant operations:"},
		&cobra.Group{ID: groupRegistry, Title: "Verification, registry and regulation:"},
		&cobra.Group{ID: groupFinance, Title: "Custody, financing and settlement:"},
		&cobra.Group{ID: groupAdmin, Title: "Administration:"},
		&cobra.Group{ID: groupQuery, Title: "Queries and events:"},
	)
	for _, add := range []func() []*cobra.Command{
		a.adminCommands, a.memberCommands, a.issuanceCommands, a.registryCommands, a.transferCommands, a.custodyCommands,
		a.financeCommands, a.settlementCommands, a.policyCommands, a.regulatorCommands, a.queryCommands, a.treeCommands, a.eventCommands, a.benchCommands,
	} {
		root.AddCommand(add()...)
	}
	return root
}

// config picks the network and identity: --profile with --cert/--key or --as; else
// --dir and --as; else, when neither is given, the fabric-samples environment
// variables (env-<org>.sh) if set; else --as's default in --dir's default.
func (a *app) config(flags *pflag.FlagSet) (client.Config, error) {
	var cfg client.Config
	var err error
	explicit := flags.Changed("dir") || flags.Changed("as")
	switch {
	case a.profile != "" && (a.cert != "" || a.key != ""):
		if a.cert == "" || a.key == "" {
			return cfg, errors.New("--profile needs both --cert and --key, or --as")
		}
		cfg = client.Config{Profile: a.profile, CertPath: a.cert, KeyPath: a.key, MSPID: a.mspID}
	case a.profile != "":
		if !flags.Changed("as") {
			return cfg, errors.New("--profile needs --cert and --key, or --as <User>@<MSPID>")
		}
		cfg, err = client.ProfileConfig(a.profile, a.as)
	case a.cert != "" || a.key != "":
		return cfg, errors.New("--cert and --key need --profile")
	case !explicit && client.EnvConfigured():
		cfg = client.ConfigFromEnv()
		if !flags.Changed("channel") {
			a.channel = cfg.Channel
		}
		if !flags.Changed("chaincode") {
			a.chaincode = cfg.Chaincode
		}
	default:
		cfg, err = client.DevnetConfig(a.dir, a.as)
	}
	if err != nil {
		return cfg, err
	}
	cfg.Channel, cfg.Chaincode = a.channel, a.chaincode
	return cfg, nil
}

// client connects on first use with the global flags.
func (a *app) client() (*client.Client, error) {
	if a.conn != nil {
		return a.conn, nil
	}
	if a.output != "json" && a.output != "table" {
		return nil, fmt.Errorf("output format %q: want json or table", a.output)
	}
	cfg, err := a.config(a.flags)
	if err != nil {
		return nil, err
	}
	var opts []client.Option
	if a.timestamp != "" {
		at, err := time.Parse(time.RFC3339, a.timestamp)
		if err != nil {
			return nil, fmt.Errorf("--timestamp: %w", err)
		}
		opts = append(opts, client.WithClock(func() time.Time { return at }))
	}
	conn, err := client.Connect(cfg, opts...)
	if err != nil {
		return nil, err
	}
	a.conn = conn
	return conn, nil
}
