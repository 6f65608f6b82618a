// Package client is the typed Go gateway client of the warrant chaincode, built on the
// fabric-gateway SDK (github.com/hyperledger/fabric-gateway/pkg/client).
//
// # Connecting
//
// [Connect] takes a [Config]: a Fabric connection profile (or a peer endpoint and TLS
// root), an identity (certificate and key files, or an MSP directory) and the channel and
// chaincode names (defaults "warrants" and "warrant"). [ConfigFromEnv] reads the
// environment variables of the fabric-samples applications, and [DevnetConfig] finds a
// user's profile and MSP directory in a dev network directory ("User1@CoreEnterpriseMSP").
// [WithClock] stamps the client's proposals from a clock of its own: the proposal
// timestamp is the transaction's ledger time, which the endorsers accept within their
// clock skew (R19); [Retime] restamps one serialized proposal.
//
// # Operations
//
// Every contract function has a typed method taking and returning the plain data types
// of package chaincode/warrant: mutations are endorsed, submitted and waited for
// (Submit); queries are evaluated on one peer (Evaluate).
//
// # Errors
//
// A rejection by the chaincode comes back as a [*ChaincodeError] wrapping the decoded
// [*warrant.Error] and the gateway error that carried it, so both
// errors.As(err, &*warrant.Error) and errors.As(err, &*EndorseError) work; [Code]
// returns the domain code. A transaction that fails validation returns a
// [*CommitError] with its validation code.
//
// # Retries
//
// A mutation carrying a requestId is idempotent on the ledger (R4b), so when it fails to
// commit on an MVCC or phantom read conflict it is endorsed and submitted again with
// exponential backoff, a bounded number of times ([WithRetry]). Any mutation is tried
// again the same way when the gateway could not plan its endorsement
// ([IsEndorsementUnplanned]: its discovery has lost sight of a peer for a moment), since
// then nothing was endorsed or ordered. Other failures are never retried.
//
// # Events
//
// [Client.ProcessEvents] streams the chaincode's events, decoded, from a checkpoint file:
// each event is checkpointed once its handler returns, so a restarted process resumes
// after the last handled event with no loss and no duplicates.
//
// The package imports the domain types of chaincode/warrant and the connection-profile
// model client/profile, and nothing else of the project: never the contracts nor the
// dev network (test/boundary_test.go checks this for every package under client/).
package client
