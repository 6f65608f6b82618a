// Package endorser is a dev-network peer's endorser: it checks a signed
// proposal the way Fabric's endorser does (headers, transaction ID, creator in
// the channel, signature, no replayed transaction ID), simulates it by running
// the chaincode once against the committed state of one ledger height, and
// signs the result.
//
// Its dependencies are small interfaces declared here; the peer package wires
// the ledger, the channel MSP, the chaincode connections and the peer's signer.
package endorser
