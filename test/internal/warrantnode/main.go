// Command warrantnode runs the default dev network with the warrant
// chaincode served inside the same process, so that the end-to-end tests can
// kill the whole network at any moment and start it again on the same
// directory.
//
// It starts network/devnet's default network in -dir, on free ports and
// without TLS, with the orderer's batch timeout set by -batch-timeout; prints
// one line "peer <MSP ID> <address>" per org, then "ready"; and runs until it
// receives SIGINT or SIGTERM, when it closes the network. It imports the dev
// network, its config and the warrant contracts.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/scfledger/warrants/chaincode/contracts"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "warrantnode:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", "", "network directory, kept across runs")
	batchTimeout := flag.Duration("batch-timeout", 10*time.Millisecond, "orderer batch timeout")
	flag.Parse()
	if *dir == "" {
		return fmt.Errorf("-dir is required")
	}
	cfg := config.Default()
	cfg.Orderer.BatchTimeout = config.Duration(*batchTimeout)
	chaincode, err := contracts.New()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	network, err := devnet.Start(ctx, devnet.Options{
		Config: cfg, Dir: *dir, Plaintext: true, FreePorts: true,
		InProcess: map[string]shim.Chaincode{"warrant": chaincode},
	})
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
