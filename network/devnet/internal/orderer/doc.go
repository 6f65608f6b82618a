// Package orderer is the dev network's solo ordering service: it accepts
// signed transaction envelopes, cuts them into blocks by count or timeout (or
// at once when the peers have caught up and no other transaction is queued),
// chains the blocks by header hash, stores them in an append-only block file
// (package blockfile, as Fabric's orderer keeps block files), and hands them
// out in order to every peer, which pulls them like a Fabric deliver client. It takes
// channel configuration updates (CONFIG_UPDATE envelopes) as Fabric's orderer
// does: validated against the current configuration, then written as a CONFIG
// transaction in a block of its own.
//
// It imports the block file, the block hash helpers of package ledger, policy
// and protoutil, and nothing else of the dev network; identity checks come in
// through a small interface.
package orderer
