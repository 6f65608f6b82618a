// Package committer validates and commits the blocks a dev-network peer
// receives from the orderer, in Fabric's order: envelope and header, creator
// signature, transaction ID, duplicate transaction IDs, endorsement policies
// (chaincode-level and state-based, key by key), then MVCC and phantom reads
// in the ledger. It also tells waiting callers when the ledger grows.
//
// Dependencies: package ledger (the peer's store), protoutil and policy.
package committer
