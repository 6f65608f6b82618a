package gateway

import (
	"context"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// Endorser processes a proposal like a peer's Endorser service.
type Endorser interface {
	ProcessProposal(ctx context.Context, sp *peer.SignedProposal) (*peer.ProposalResponse, error)
}

// Peer is the endorsing peer of one organization.
type Peer struct {
	// MSPID is the organization the peer belongs to.
	MSPID string
	// Address is reported in error details, as Fabric reports an endorser's endpoint.
	Address string
	// Endorser runs proposals on the peer.
	Endorser Endorser
}

// Planner returns the organizations (MSP IDs) whose endorsements satisfy the
// chaincode's endorsement policy and any key-level policies touched by the
// transaction, given the local peer's proposal response; local org first.
// With a nil response it plans for the chaincode policy alone.
type Planner interface {
	Plan(ctx context.Context, chaincode string, first *peer.ProposalResponse) ([]string, error)
}

// Orderer accepts transactions for ordering; an error means it rejected one.
type Orderer interface {
	Broadcast(ctx context.Context, env *common.Envelope) error
}

// Ledger is the read side of the gateway peer's channel ledger.
type Ledger interface {
	// Height is the number of committed blocks.
	Height() uint64
	// GetBlock returns a committed block, its TRANSACTIONS_FILTER metadata set.
	GetBlock(num uint64) (*common.Block, error)
	// TxStatus returns a transaction's validation code and block number.
	// A transaction must be found here once Height counts its block.
	TxStatus(txID string) (peer.TxValidationCode, uint64, bool, error)
}

// Notifier lets a caller wait until the ledger height exceeds h; it returns
// at once if it already does, and with the context's error when it ends first.
type Notifier interface {
	WaitForHeight(ctx context.Context, h uint64) error
}

// Verifier checks that identity (a serialized msp.SerializedIdentity) belongs
// to the channel, may read it, and signed data.
type Verifier interface {
	VerifySigned(identity, data, signature []byte) error
}

// Config holds what a Server serves and the dependencies it calls.
type Config struct {
	// Channel is the one channel the network runs.
	Channel string
	// Local is the gateway's own peer.
	Local Peer
	// Peers are the endorsing peers of all organizations, the local one included.
	Peers []Peer
	// Planner chooses the organizations that must endorse a transaction.
	Planner Planner
	// Orderer receives submitted transactions.
	Orderer Orderer
	// Ledger is the local peer's ledger.
	Ledger Ledger
	// Notifier signals new blocks on the local peer.
	Notifier Notifier
	// Verifier checks signed commit status and chaincode events requests.
	Verifier Verifier
	// ACL, when set, checks a signed request against the channel ACL of a
	// resource (gateway/CommitStatus, gateway/ChaincodeEvents).
	ACL func(resource string, identity, data, signature []byte) error
	// EndorsementTimeout bounds each call to an endorser; zero means no bound
	// other than the request's own deadline.
	EndorsementTimeout time.Duration
}

// Server implements gateway.GatewayServer for one peer of the dev network.
type Server struct {
	cfg   Config
	peers map[string]Peer
}

var _ gp.GatewayServer = (*Server)(nil)

// NewServer returns a gateway service configured with cfg. Register it on a
// gRPC server with gateway.RegisterGatewayServer.
func NewServer(cfg Config) *Server {
	peers := make(map[string]Peer, len(cfg.Peers)+1)
	for _, p := range cfg.Peers {
		peers[p.MSPID] = p
	}
	if _, ok := peers[cfg.Local.MSPID]; !ok {
		peers[cfg.Local.MSPID] = cfg.Local
	}
	return &Server{cfg: cfg, peers: peers}
}

// callEndorser runs a proposal on one peer, bounded by the endorsement timeout.
func (s *Server) callEndorser(ctx context.Context, p Peer, sp *peer.SignedProposal) (*peer.ProposalResponse, error) {
	if s.cfg.EndorsementTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.EndorsementTimeout)
		defer cancel()
	}
	return p.Endorser.ProcessProposal(ctx, sp)
}

// endorserResult is the outcome of one endorser call.
type endorserResult struct {
	peer     Peer
	response *peer.ProposalResponse
	err      error
}

// callEndorserAsync runs callEndorser in a goroutine and delivers its result
// on a buffered channel, so that a caller giving up on ctx leaks nothing.
func (s *Server) callEndorserAsync(ctx context.Context, p Peer, sp *peer.SignedProposal, results chan<- endorserResult) {
	go func() {
		response, err := s.callEndorser(ctx, p, sp)
		results <- endorserResult{peer: p, response: response, err: err}
	}()
}
