// Package devnet runs a whole Fabric-compatible network inside one process:
// crypto for every org in the fabric-samples layout, a solo orderer, one peer
// per org with its own ledger and signing identity, chaincodes run as
// unmodified chaincode-as-a-service servers, and the Fabric Gateway service on
// every peer, so that the unmodified fabric-gateway client works against it.
//
// Start brings a network up from a [config.Network]; Network.Connect returns a
// fabric-gateway client connection for any enrolled user. A peer or the
// orderer failing after start (a ledger that cannot commit a block) stops the
// network: Network.Done closes and Network.Err says why. Network.AddOrg and
// RemoveOrg change the channel's members on the running network by a
// configuration update through its orderer. The command
// network/cmd/devnet is a thin wrapper around this package and exits with that
// error.
//
// It imports nothing of the project's chaincode (it runs any chaincode) and, of
// the client side, only the connection-profile model client/profile, which it
// writes for every org (test/boundary_test.go checks both).
package devnet
