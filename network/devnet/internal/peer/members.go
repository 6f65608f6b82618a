package peer

import (
	"context"
	"sync/atomic"

	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc"

	"github.com/scfledger/warrants/network/devnet/internal/gateway"
)

// gatewayService serves the peer's current gateway. SetPeers replaces it
// when an org's peer joins the network or leaves it; requests already
// running finish on the gateway they started on.
type gatewayService struct {
	current atomic.Pointer[gateway.Server]
}

var _ gp.GatewayServer = (*gatewayService)(nil)

func (g *gatewayService) Endorse(ctx context.Context, r *gp.EndorseRequest) (*gp.EndorseResponse, error) {
	return g.current.Load().Endorse(ctx, r)
}

func (g *gatewayService) Submit(ctx context.Context, r *gp.SubmitRequest) (*gp.SubmitResponse, error) {
	return g.current.Load().Submit(ctx, r)
}

func (g *gatewayService) CommitStatus(ctx context.Context, r *gp.SignedCommitStatusRequest) (*gp.CommitStatusResponse, error) {
	return g.current.Load().CommitStatus(ctx, r)
}

func (g *gatewayService) Evaluate(ctx context.Context, r *gp.EvaluateRequest) (*gp.EvaluateResponse, error) {
	return g.current.Load().Evaluate(ctx, r)
}

func (g *gatewayService) ChaincodeEvents(r *gp.SignedChaincodeEventsRequest, stream grpc.ServerStreamingServer[gp.ChaincodeEventsResponse]) error {
	return g.current.Load().ChaincodeEvents(r, stream)
}

// SetPeers tells the peer's gateway which peers it may ask for endorsements:
// every peer of the channel, this one included. A network calls it on every
// peer when an org's peer joins or leaves.
func (p *Peer) SetPeers(peers []*Peer) {
	gatewayPeers := make([]gateway.Peer, len(peers))
	var local gateway.Peer
	for i, other := range peers {
		endorser := caughtUpEndorser{peer: other, height: p.cfg.Blocks.Height}
		gatewayPeers[i] = gateway.Peer{MSPID: other.cfg.MSPID, Address: other.cfg.Address, Endorser: endorser}
		if other == p {
			local = gatewayPeers[i]
		}
	}
	p.gateway.current.Store(gateway.NewServer(gateway.Config{
		Channel:            p.cfg.Channel.Name(),
		Local:              local,
		Peers:              gatewayPeers,
		Planner:            &planner{local: p.cfg.MSPID, channel: p.cfg.Channel, ledger: p.ledger, collections: p.cfg.Collections},
		Orderer:            p.cfg.Orderer,
		Ledger:             p.ledger,
		Notifier:           p.committer,
		Verifier:           p.cfg.Channel,
		ACL:                p.checkACL,
		EndorsementTimeout: p.cfg.EndorsementTimeout,
	}))
}
