// Package peer assembles one dev-network peer: its ledger, endorser and
// committer, a deliver loop that pulls blocks from the orderer, and a gRPC
// server (TLS by default) serving the Fabric Gateway, Endorser and Deliver services.
//
// It wires the single-purpose packages of the dev network together and holds
// no protocol logic of its own beyond endorsement planning. A peer that fails
// (a block it cannot commit, a block source that breaks) reports it through
// Done and Err and endorses nothing more.
package peer
