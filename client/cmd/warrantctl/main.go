// Command warrantctl calls the warrant chaincode from a terminal: one subcommand per
// operation and query, on the dev network in .devnet or any network reached through
// a connection profile. Run "warrantctl --help" for the list.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
