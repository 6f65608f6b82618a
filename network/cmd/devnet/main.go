// Command devnet runs the embedded Fabric-compatible dev network.
//
//	devnet up     [--config FILE] [--dir DIR] [--plaintext] [--free-ports]
//	devnet reset  [--dir DIR]
//	devnet status [--config FILE] [--dir DIR]
//
// "up" generates crypto material on first use, starts the orderer, one peer per
// org and the configured chaincodes, prints the endpoints and a line
// "devnet ready", and runs until SIGINT or SIGTERM. When the network fails (a
// peer cannot commit a block, the orderer cannot store one) it stops and exits
// with status 1 and the error.
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
  devnet up     [--config FILE] [--dir DIR] [--plaintext] [--free-ports]
  devnet reset  [--dir DIR]
  devnet status [--config FILE] [--dir DIR]

Without --config the project's network is used: OrdererMSP, CoreEnterpriseMSP,
BankMSP and AssociationMSP on channel "warrants" with chaincode "warrant".
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
	verb := args[0]
	flags := flag.NewFlagSet("devnet "+verb, flag.ContinueOnError)
	flags.SetOutput(stderr)
	configPath := flags.String("config", "", "network description (YAML); default: the project's network")
	dir := flags.String("dir", defaultDir(), "directory for crypto material, ledgers and blocks")
	plaintext := flags.Bool("plaintext", false, "serve gRPC without TLS")
	freePorts := flags.Bool("free-ports", false, "listen on free ports instead of the configured ones")
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	switch verb {
	case "up":
		cfg, err := loadConfig(*configPath)
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
		cfg, err := loadConfig(*configPath)
		if err != nil {
			return err
		}
		return status(cfg, *dir, stdout)
	default:
		return fmt.Errorf("unknown command %q (want up, reset or status)", verb)
	}
}

func defaultDir() string {
	if dir := os.Getenv("DEVNET_DIR"); dir != "" {
		return dir
	}
	return filepath.Join(".devnet")
}

func loadConfig(path string) (*config.Network, error) {
	if path == "" {
		return config.Default(), nil
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
	fmt.Fprintf(stdout, "devnet ready in %s\n", time.Since(started).Round(time.Millisecond))
	select {
	case <-ctx.Done():
	case <-network.Done():
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
