// Package gateway is the Fabric Gateway gRPC service a dev-network peer
// serves, so that the unmodified fabric-gateway client can evaluate, endorse,
// submit, wait for commit and read chaincode events exactly as it does against
// a Fabric v2.5 peer.
//
// # Behaviour
//
// Evaluate runs a proposal on the gateway's own peer. Endorse runs it on the
// local peer first, asks a Planner which organizations' endorsements satisfy
// the policies the transaction touches, collects the others in parallel and
// returns the unsigned transaction envelope. Submit hands the signed envelope
// to the orderer. CommitStatus waits until a transaction commits and returns
// its validation code. ChaincodeEvents streams the events of valid
// transactions, one response per block that has matching events.
//
// Failures are gRPC status errors with the codes and messages Fabric's gateway
// uses; failures of individual endorsers are attached as gateway.ErrorDetail
// values, which the client surfaces in EndorseError and its siblings.
//
// # Dependencies
//
// Everything the service needs (endorsers, planner, orderer, ledger, commit
// notifications, signature verification) is a small interface declared in
// server.go and injected through Config; all of them are required. The
// package imports the Fabric protobuf definitions, gRPC and
// network/devnet/protoutil only.
//
// # Use
//
//	server := gateway.NewServer(gateway.Config{Channel: "mychannel", Local: local, Peers: peers, ...})
//	gp.RegisterGatewayServer(grpcServer, server)
package gateway
