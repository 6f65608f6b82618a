// Package test holds the project's end-to-end reliability suites: they drive
// the warrant chaincode (chaincode/contracts) on the embedded dev network
// (network/devnet) over the real gRPC path, with the unmodified
// fabric-gateway client, as an ERP system would.
//
// The suites are tests only (files *_test.go):
//
//   - double spend: many clients race to split, pledge or settle the same
//     warrant; exactly one transaction commits and R9 conservation holds;
//   - unauthorized matrix: every mutating contract function against every
//     identity of the default network that R2/R3 do not allow; each call is
//     refused and nothing reaches the ledger;
//   - bad input: malformed, oversized, overflowing and Unicode-spoofed
//     requests are refused with INVALID_ARGUMENT (R18) and write nothing;
//   - forgery and replay: forged or tampered envelopes never commit, and a
//     replayed transaction is marked DUPLICATE_TXID without a second effect;
//   - deep lineages: splits down to the deepest lineage the parameters allow
//     leave every warrant addressable;
//   - crash under load: the network runs in a process of its own (the
//     devnet command, launching the warrant chaincode) and is killed with
//     SIGKILL while clients split and issue warrants; no acknowledged
//     transaction is lost, every root conserves its face value and every
//     peer's hash chain verifies.
//
// Each suite has a short variant, run by default, and a long one run when the
// environment variable SCF_LONG is 1.
//
// Every suite starts its network through the one harness, test/testnet (or,
// for the crash suites, the devnet command through devnettest), and reads
// chaincode errors with the client library's decoder (client.Code). The
// boundary test checks the project's import direction on every package.
//
// The package may import the chaincode (contracts and warrant), the dev
// network and the Fabric client libraries; nothing imports it.
package test
