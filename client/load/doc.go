// Package load drives the warrant chaincode on the embedded dev network with many
// concurrent clients and reports what the ledger sustains: committed transactions per
// second, commit latency percentiles, invalid transactions by validation code, and
// how close the throughput comes to the CPU floor that the network's signature work
// alone sets on this machine.
//
// Run measures one operation (split-transfer by default) for a count of transactions
// or a duration; StartNetwork starts a dev network of its own with the warrant
// chaincode served in-process. The ledger is prepared before the clock starts: the
// cast is onboarded, a credit line set, and every worker gets warrants of its own, so
// that concurrent split-transfers never touch the same keys.
//
// It imports the dev network (network/devnet), the warrant domain's request types
// (chaincode/warrant), the contracts to serve the chaincode in-process
// (chaincode/contracts) and the fabric-gateway client.
package load
