// Command devnet runs the embedded Fabric-compatible dev network.
//
//	devnet up     [--config FILE | --network NAME] [--dir DIR] [--plaintext] [--free-ports]
//	devnet reset  [--dir DIR]
//	devnet status [--config FILE | --network NAME] [--dir DIR]
//	devnet addorg    ORG [--dir DIR] [--signers MSP,...]
//	devnet removeorg ORG [--dir DIR] [--signers MSP,...]
//
// "up" generates crypto material on first use, starts the orderer, one peer per
// org and the configured chaincodes, prints the endpoints and a line
// "devnet ready", and runs until SIGINT or SIGTERM. When the network fails (a
// peer cannot commit a block, the orderer cannot store one) it stops and exits
// with status 1 and the error.
//
// "addorg" and "removeorg" change the members of the network running in DIR
// (through its admin socket, DIR/devnet.sock): ORG is an org of the
// consortium description (bank2, core2, or its MSP ID). The running network
// computes the channel config update, has it signed by the admins of a
// majority of the current members (or of --signers), submits it to its
// orderer, and, for addorg, starts the org's peer, which catches up from the
// orderer's blocks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

const usage = `devnet runs a Fabric-compatible network in one process, without Docker.

Usage:
  devnet up     [--config FILE | --network NAME] [--dir DIR] [--plaintext] [--free-ports]
  devnet reset  [--dir DIR]
  devnet status [--config FILE | --network NAME] [--dir DIR]
  devnet addorg    ORG [--dir DIR] [--signers MSP,...]
  devnet removeorg ORG [--dir DIR] [--signers MSP,...]

Without --config the network named by --network (or DEVNET_NETWORK) is used:
"default", the project's three orgs (OrdererMSP, CoreEnterpriseMSP, BankMSP and
AssociationMSP on channel "warrants" with chaincode "warrant"), or "consortium",
which adds a second bank (Bank2MSP) and a second core enterprise
(CoreEnterprise2MSP).

addorg and removeorg change the members of the network "devnet up" runs in DIR,
by a channel config update through its orderer signed by the admins of a
majority of the current members (or of --signers); ORG is an org of the
consortium: bank2, core2, or its MSP ID. addorg starts the org's peer, which
catches up from the orderer's blocks.
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "devnet:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	verb, args := args[0], args[1:]
	var org string
	if (verb == "addorg" || verb == "removeorg") && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		org, args = args[0], args[1:]
	}
	flags := flag.NewFlagSet("devnet "+verb, flag.ContinueOnError)
	flags.SetOutput(stderr)
	configPath := flags.String("config", "", "network description (YAML); default: the network --network names")
	networkName := flags.String("network", os.Getenv("DEVNET_NETWORK"), "default or consortium (env DEVNET_NETWORK)")
	dir := flags.String("dir", defaultDir(), "directory for crypto material, ledgers and blocks")
	plaintext := flags.Bool("plaintext", false, "serve gRPC without TLS")
	freePorts := flags.Bool("free-ports", false, "listen on free ports instead of the configured ones")
	signers := flags.String("signers", "", "addorg, removeorg: MSP IDs whose admins sign, comma separated (default: a majority)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	switch verb {
	case "up":
		cfg, err := loadConfig(*configPath, *networkName)
		if err != nil {
			return err
		}
		return up(cfg, *dir, *plaintext, *freePorts, stdout)
	case "reset":
		if err := os.RemoveAll(*dir); err != nil {
			return fmt.Errorf("reset: %w", err)
		}
		fmt.Fprintf(stdout, "removed %s\n", *dir)
		return nil
	case "status":
		cfg, err := loadConfig(*configPath, *networkName)
		if err != nil {
			return err
		}
		return status(cfg, *dir, stdout)
	case "addorg", "removeorg":
		if org == "" {
			return fmt.Errorf("%s needs an org of the consortium: bank2, core2 or an MSP ID", verb)
		}
		change := OrgChange{Org: org}
		if *signers != "" {
			change.Signers = strings.Split(*signers, ",")
		}
		return orgCommand(verb, *dir, change, stdout)
	default:
		return fmt.Errorf("unknown command %q (want up, reset, status, addorg or removeorg)", verb)
	}
}

func defaultDir() string {
	if dir := os.Getenv("DEVNET_DIR"); dir != "" {
		return dir
	}
	return filepath.Join(".devnet")
}

func loadConfig(path, name string) (*config.Network, error) {
	if path == "" {
		return config.Named(name)
	}
	return config.Load(path)
}

func up(cfg *config.Network, dir string, plaintext, freePorts bool, stdout io.Writer) error {
	devnet.TuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	started := time.Now()
	network, err := devnet.Start(ctx, devnet.Options{
		Config:          cfg,
		Dir:             dir,
		Plaintext:       plaintext,
		FreePorts:       freePorts,
		ChaincodeOutput: os.Stderr,
		Logger:          log.New(os.Stderr, "devnet ", log.LstdFlags),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "channel   %s (height %d)\n", cfg.Channel, network.Height())
	for _, org := range cfg.Orgs {
		address, _ := network.PeerAddress(org.MSPID)
		profile, _ := network.ProfilePath(org.MSPID)
		fmt.Fprintf(stdout, "peer      %-18s %s  %s (host alias %s)\n", org.MSPID, address, profile, org.PeerHost())
	}
	for _, cc := range cfg.Chaincodes {
		fmt.Fprintf(stdout, "chaincode %s %s, policy %q%s\n", cc.Name, cc.Version, cc.EndorsementPolicy, collectionNames(cc.Collections.Config))
	}
	fmt.Fprintf(stdout, "crypto    %s\n", filepath.Join(network.Dir(), "organizations"))
	stopAdmin, err := serveAdmin(network)
	if err != nil {
		_ = closeWithin(network, cfg.Timeouts.WithDefaults().Shutdown)
		return err
	}
	defer stopAdmin()
	fmt.Fprintf(stdout, "admin     %s (devnet addorg|removeorg)\n", adminSocket(network.Dir()))
	fmt.Fprintf(stdout, "devnet ready in %s\n", time.Since(started).Round(time.Millisecond))
	select {
	case <-ctx.Done():
		stopAdmin()
	case <-network.Done():
		stopAdmin()
		failure := network.Err()
		fmt.Fprintf(stdout, "devnet failed: %v\n", failure)
		_ = closeWithin(network, cfg.Timeouts.WithDefaults().Shutdown)
		return fmt.Errorf("network failed: %w", failure)
	}
	fmt.Fprintln(stdout, "devnet stopping")
	if err := closeWithin(network, cfg.Timeouts.WithDefaults().Shutdown); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	fmt.Fprintln(stdout, "devnet stopped")
	return nil
}

// closeWithin closes the network, giving up after the shutdown timeout.
func closeWithin(network *devnet.Network, timeout config.Duration) error {
	closed := make(chan error, 1)
	go func() { closed <- network.Close() }()
	select {
	case err := <-closed:
		return err
	case <-time.After(time.Duration(timeout)):
		return fmt.Errorf("network did not stop within %s", time.Duration(timeout))
	}
}

func status(cfg *config.Network, dir string, stdout io.Writer) error {
	info, err := os.Stat(filepath.Join(dir, "organizations"))
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stdout, "no network in %s (run: devnet up --dir %s)\n", dir, dir)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "network in %s, crypto generated %s\n", dir, info.ModTime().UTC().Format(time.RFC3339))
	for _, org := range cfg.Orgs {
		fmt.Fprintf(stdout, "peer      %-18s 127.0.0.1:%d  ledger %s\n", org.MSPID, org.PeerPort, filepath.Join(dir, "ledgers", org.PeerHost()))
	}
	return nil
}

// collectionNames lists a chaincode's private data collections for the
// start-up summary ("" when it has none).
func collectionNames(collections []config.Collection) string {
	if len(collections) == 0 {
		return ""
	}
	names := make([]string, len(collections))
	for i, c := range collections {
		names[i] = c.Name
	}
	return ", collections " + strings.Join(names, ", ")
}
