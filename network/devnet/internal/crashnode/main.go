// Command crashnode runs a dev network in a process of its own, so that the
// dev network's tests can kill it at any moment and start it again on the
// same directory.
//
// It starts the network described by -config in -dir, on free ports and
// without TLS, prints one line "peer <MSP ID> <address>" per org, then
// "ready", and runs until it receives SIGINT or SIGTERM, when it closes the
// network. It imports only the devnet package and its config.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "crashnode:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", "", "network directory, kept across runs")
	configPath := flag.String("config", "", "network description (YAML)")
	flag.Parse()
	if *dir == "" || *configPath == "" {
		return fmt.Errorf("both -dir and -config are required")
	}
	cfg, err := config.Load(*configPath)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	network, err := devnet.Start(ctx, devnet.Options{Config: cfg, Dir: *dir, Plaintext: true, FreePorts: true})
	if err != nil {
		return fmt.Errorf("start network: %w", err)
	}
	for _, org := range cfg.Orgs {
		address, err := network.PeerAddress(org.MSPID)
		if err != nil {
			_ = network.Close()
			return err
		}
		fmt.Printf("peer %s %s\n", org.MSPID, address)
	}
	fmt.Println("ready")
	<-ctx.Done()
	if err := network.Close(); err != nil {
		return fmt.Errorf("close network: %w", err)
	}
	return nil
}
