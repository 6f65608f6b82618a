// Package ledger is the per-peer ledger of the dev network: an append-only
// block file (package blockfile), as Fabric keeps its blocks in block files,
// and one Pebble database beside it holding the block index, the world state,
// the history of every key, the transaction-id index and a savepoint.
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
// As in Fabric, the block store is the write-ahead log. A block is committed
// in three steps: the block is appended to the block file, synced; its index
// entry and transaction-id index go into the database in one synced batch,
// which is the point at which the block counts as committed; then the state
// and history updates with the savepoint (the number of blocks whose state is
// applied), not synced. Pebble's log is written in order, so the next block's
// synced batch makes the previous state batch durable too: a crash can lose
// the state of the last block, never a committed block. [Open] cuts from the
// block file a block appended but never indexed (the orderer delivers it
// again), then replays the stored blocks above the savepoint; their
// TRANSACTIONS_FILTER is final, so only the writes of valid transactions are
// re-applied. Block bytes never pass through the database, so they cost no
// database log, memtable, flush or compaction.
//
// # Store layout
//
//	blocks (file)                                → every block's common.Block proto bytes, in order
//	b <block number, 8 bytes big-endian>         → empty: the block is committed
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
// The Fabric protos, Pebble, the standard library, blockfile, and protoutil
// (the one envelope parser of the dev network).
package ledger
