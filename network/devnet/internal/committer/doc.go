// Package committer validates and commits the blocks a dev-network peer
// receives from the orderer, in Fabric's order: envelope and header, creator
// signature, transaction ID, duplicate transaction IDs, endorsement policies
// (chaincode-level and state-based, key by key), then MVCC and phantom reads
// in the ledger. It also tells waiting callers when the ledger grows.
//
// As in Fabric, a local failure (a ledger read or write) fails the whole block,
// never one transaction, and stops the committer: a peer whose store failed
// must not commit different transactions than its peers. The genesis block is
// committed as given (it comes from the network's configuration). A later
// config block (one CONFIG transaction) is valid when the orderer signed it and
// its last update, validated against the channel's current configuration,
// produces the configuration it carries; the channel switches to it once the
// block is committed. A CONFIG transaction among others is invalid.
//
// Dependencies: package ledger (the peer's store), protoutil and policy.
package committer
