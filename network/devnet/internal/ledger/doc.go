// Package ledger is the per-peer ledger of the dev network: one Pebble database
// per peer holding the block store, the world state, the history of every key,
// the transaction-id index and a savepoint.
//
// # What it does
//
//   - [Store.CommitBlock] runs Fabric's MVCC and phantom-read checks in block
//     order, applies the writes of valid transactions (value-only writes keep the
//     key's metadata, a delete removes both, every write gets the version
//     {block, tx}), records history and the transaction-id index, writes the
//     TRANSACTIONS_FILTER into the block metadata and stores the block.
//   - [Simulator] mirrors Fabric's transaction simulator: reads see committed
//     state only (no read-your-own-writes), reads, writes, metadata writes and
//     range queries are recorded into a rwset.TxReadWriteSet shaped as Fabric
//     shapes it. One difference: range query results are always recorded as raw
//     reads, never as the Merkle summary Fabric uses past 50 results. Every read
//     of a simulation comes from a Pebble snapshot taken when it began, so a
//     simulation sees one ledger height even while blocks commit (Fabric holds
//     a read lock for the same purpose).
//   - A bounded cache of recently used state records (CLOCK eviction), stamped
//     with the state height, serves simulations at the latest height and the
//     MVCC checks without reaching Pebble.
//   - [BlockHeaderHash] and [BlockDataHash] compute Fabric's block hashes for the
//     orderer; [Store.VerifyChain] re-checks the whole chain.
//
// # Crash safety
//
// A block is committed in two synced Pebble batches: first the block with its
// transaction-id index, then the state and history updates with the savepoint
// (the number of blocks whose state is applied). [Open] replays the stored
// blocks above the savepoint; their TRANSACTIONS_FILTER is final, so only the
// writes of valid transactions are re-applied.
//
// # Store layout
//
//	b <block number, 8 bytes big-endian>         → common.Block proto bytes
//	s <namespace> 0x00 <key>                     → version, metadata, value
//	h <namespace> 0x00 <len(key)> <key> <^block> <^tx> → tx id, timestamp, is_delete, value
//	t <tx id>                                    → block, tx index, validation code
//	m/savepoint                                  → number of blocks whose state is applied
//	p <block> <tx>                               → the tx's stored private write sets (member collections)
//	x <expiring block> <ns$$hcoll> 0x00 <key hash> → block that wrote it (blockToLive of state)
//	y <expiring block> <block> <tx> <ns> 0x00 <coll> → blockToLive of a stored private write set
//	k <ns$$pcoll> 0x00 <key hash> <block> <tx>   → key (private writes stored, for purges)
//
// Private data is state in two namespaces per collection (privdata.go): the
// hashes in <ns>$$h<coll> on every peer, the values in <ns>$$p<coll> on
// member peers. A block's private data goes into the block's synced batch, so
// a replay re-applies it; blockToLive expiry and purges edit the private store
// in the state batch, idempotently.
//
// History keys store the block and transaction numbers inverted so a forward
// scan yields the newest modification first.
//
// # Failures
//
// Every read or write error is returned, never turned into a validation code:
// the committer fails the block and the peer stops. [WithFault] lets tests make
// chosen operations fail.
//
// # Imports
//
// The Fabric protos, Pebble, the standard library, and protoutil (the one
// envelope parser of the dev network).
package ledger
