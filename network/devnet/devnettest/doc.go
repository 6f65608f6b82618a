// Package devnettest is test support for running a dev network in another
// process, so that a test can kill it with SIGKILL at any moment and start it
// again on the same directory.
//
// A [Runner] builds the devnet command (network/cmd/devnet) once, writes the
// network description it reads and starts "devnet up" on one directory, in
// plaintext on free ports, as often as the test asks. Each start is a
// [Process]: it knows the peers' addresses from the lines the command prints,
// connects clients to them, and is killed with SIGKILL or stopped cleanly
// with SIGTERM. [Build] compiles other commands, such as a chaincode the
// network launches; [Runner.RequireLedgers] checks the ledgers a stopped
// network leaves.
//
// The package may import testing, testify, the Fabric gateway client, gRPC
// and the dev network's config and ledger packages; only tests import it.
package devnettest
