// Package load drives the warrant chaincode on any Fabric network with many
// concurrent clients and reports what the ledger sustains: committed transactions per
// second, commit latency percentiles, invalid transactions by validation code, and
// how close the throughput comes to the CPU floor that the network's signature work
// alone sets on this machine.
//
// Run measures one operation (split-transfer by default) for a count of transactions
// or a duration, as the identities it is given: every user of a network directory in
// the fabric-samples layout (MembersInDir: the dev network's, or fabric-samples'
// test-network), or those listed in an identities file (MembersInFile). Who acts as
// admin, issuer, financier, verifier, registrar and holders is read from the
// certificates' Fabric CA attributes scf.entity and scf.role. The ledger is prepared
// before the clock starts: the cast is onboarded, a credit line set, and every worker
// gets warrants of its own, so that concurrent split-transfers never touch the same
// keys. A split-transfer run of a duration is warmed up first, untimed, and gets
// warrants for the rate its warm-up reached (with headroom, at most the floor's).
//
// It talks to the network only through the project's client library (package
// client) and uses the warrant domain's request types; it imports neither the dev
// network nor the contracts. Starting a network to load is the caller's business
// (scripts/bench.sh, or test/testnet in tests).
package load
