// Package orderer is the dev network's solo ordering service: it accepts
// signed transaction envelopes, cuts them into blocks by count or timeout,
// chains the blocks by header hash, stores them, and hands them out in order
// to every peer, which pulls them like a Fabric deliver client. It takes
// channel configuration updates (CONFIG_UPDATE envelopes) as Fabric's orderer
// does: validated against the current configuration, then written as a CONFIG
// transaction in a block of its own.
//
// It imports the block store helpers of package ledger and nothing else of the
// dev network; identity checks come in through a small interface.
package orderer
