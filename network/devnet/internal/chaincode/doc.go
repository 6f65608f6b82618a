// Package chaincode is the peer side of the Fabric chaincode shim protocol for
// chaincode-as-a-service (CCaaS): the dev network dials a chaincode's
// shim.ChaincodeServer, opens the /protos.Chaincode/Connect stream and drives
// transactions over it, serving the chaincode's state requests against a
// transaction [Simulator].
//
// # Connections
//
// [Dial] performs the handshake (REGISTER → REGISTERED → READY) and returns a
// [Connection]. [Connection.Execute] sends one TRANSACTION and serves the
// chaincode's requests until it answers COMPLETED or ERROR. Many transactions
// run concurrently on one stream; they are correlated by channel and
// transaction ID, and every chaincode request gets exactly one RESPONSE or
// ERROR, as Fabric's handler does. Like a Fabric v3.1+ peer, READY tells the
// shim it may batch its writes (WRITE_BATCH_STATE) and read many keys in one
// request (GET_STATE_MULTIPLE).
//
// # Supervision
//
// A [Supervisor] keeps one connection per chaincode name. It can launch the
// chaincode as a child process (with the environment contract-api reads to
// start in server mode), redials with backoff when the stream breaks, relaunches
// a launched process that exits, and makes [Supervisor.Execute] wait, bounded by
// its context, until a connection is ready.
//
// # Imports
//
// Only the Fabric protobuf definitions and gRPC. The ledger is reached through
// the [Simulator] interface declared here, so this package never imports the
// ledger package.
package chaincode
