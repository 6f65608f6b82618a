package peer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/committer"
	"github.com/scfledger/warrants/network/devnet/internal/endorser"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/privdata"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// maxMessageBytes is the gRPC message limit, Fabric's 100 MiB.
const maxMessageBytes = 100 * 1024 * 1024

// Signer is the peer's signing identity.
type Signer interface {
	Serialize() []byte
	Sign(message []byte) ([]byte, error)
}

// BlockSource hands out the channel's blocks in order, waiting for new ones.
type BlockSource interface {
	Block(ctx context.Context, number uint64) (*common.Block, error)
	// Height is the number of blocks cut so far.
	Height() uint64
}

// Orderer takes transactions for ordering.
type Orderer interface {
	Broadcast(ctx context.Context, envelope *common.Envelope) error
}

// Config describes one peer.
type Config struct {
	MSPID string
	// Listener is where the peer serves gRPC; Address is how others reach it.
	Listener net.Listener
	Address  string
	// LedgerDir holds the peer's ledger.
	LedgerDir string
	Signer    Signer
	// TLS is the server TLS configuration; nil serves plaintext.
	TLS *tls.Config
	// Channel is the channel's configuration; when nil, NewChannel reads it
	// from the last config block the peer has (the genesis block for a new peer).
	Channel    *channel.Channel
	NewChannel func(configBlock *common.Block) (*channel.Channel, error)
	Chaincodes endorser.ChaincodeRunner
	Blocks     BlockSource
	Orderer    Orderer
	// Logger receives the peer's log lines; nil discards them.
	Logger *log.Logger
	// EndorsementTimeout bounds each endorsement a gateway asks for.
	EndorsementTimeout time.Duration
	// LedgerOptions adjust how the ledger opens (tests inject faults with them).
	LedgerOptions []ledger.Option
	// Collections are the chaincodes' private data collections (nil: none).
	Collections *privdata.Registry
	// Transient is the peer's transient store, and Distributor hands private
	// data to the member peers' transient stores.
	Transient   *privdata.TransientStore
	Distributor *privdata.Distributor
}

// Peer is a running dev-network peer.
type Peer struct {
	cfg       Config
	ledger    *ledger.Store
	endorser  *endorser.Endorser
	committer *committer.Committer
	server    *grpc.Server
	gateway   gatewayService

	cancel  context.CancelFunc
	workers sync.WaitGroup

	failOnce sync.Once
	done     chan struct{} // closed when the peer failed
	err      error         // why; set before done closes
}

// New opens the peer's ledger and builds its services. Call Connect once all
// peers exist, then Start.
func New(cfg Config) (*Peer, error) {
	if cfg.Logger == nil {
		cfg.Logger = log.New(io.Discard, "", 0)
	}
	if cfg.EndorsementTimeout == 0 {
		cfg.EndorsementTimeout = time.Duration(config.DefaultTimeouts.Endorsement)
	}
	options := cfg.LedgerOptions
	if cfg.Collections != nil && cfg.Collections.Expires() {
		options = append(options[:len(options):len(options)], ledger.WithBlockToLive(cfg.Collections.BlockToLive))
	}
	store, err := ledger.Open(cfg.LedgerDir, options...)
	if err != nil {
		return nil, fmt.Errorf("peer %s: %w", cfg.Address, err)
	}
	p := &Peer{cfg: cfg, ledger: store, done: make(chan struct{})}
	if p.cfg.Channel == nil {
		if p.cfg.Channel, err = p.readChannel(); err != nil {
			_ = store.Close()
			return nil, fmt.Errorf("peer %s: %w", cfg.Address, err)
		}
		cfg = p.cfg
	}
	endorserConfig := endorser.Config{
		Channel:    cfg.Channel.Name(),
		Signer:     cfg.Signer,
		Identities: cfg.Channel,
		Ledger:     store,
		NewSimulator: func(txID string) (endorser.Simulator, error) {
			return simulator{store.NewSimulator(txID)}, nil
		},
		Chaincodes: cfg.Chaincodes,
		Versions:   cfg.Channel.Version,
		MSPID:      cfg.MSPID,
	}
	committerConfig := committer.Config{
		Channel:         cfg.Channel.Name(),
		Ledger:          store,
		Verifier:        cfg.Channel,
		ChaincodePolicy: cfg.Channel.ChaincodePolicy,
		KeyPolicy:       cfg.Channel.KeyPolicy,
		MSPID:           cfg.MSPID,
		Configs:         cfg.Channel,
	}
	if cfg.Collections != nil && cfg.Transient != nil && cfg.Distributor != nil {
		endorserConfig.Collections, endorserConfig.Distributor = cfg.Collections, cfg.Distributor
		committerConfig.Collections = cfg.Collections
		committerConfig.PrivateData = privdata.PeerPrivateData{Own: cfg.Transient, Distributor: cfg.Distributor}
	}
	p.endorser = endorser.New(endorserConfig)
	p.committer = committer.New(committerConfig)
	return p, nil
}

// readChannel reads the channel configuration from the peer's last config
// block, or from the orderer's genesis block when the ledger is empty.
func (p *Peer) readChannel() (*channel.Channel, error) {
	if p.cfg.NewChannel == nil {
		return nil, errors.New("no channel and no way to read its configuration")
	}
	var block *common.Block
	var err error
	if height := p.ledger.Height(); height == 0 {
		block, err = p.cfg.Blocks.Block(context.Background(), 0)
	} else {
		var last *common.Block
		if last, err = p.ledger.GetBlock(height - 1); err == nil {
			var index uint64
			if height > 1 {
				index, err = protoutil.LastConfigIndex(last)
			}
			if err == nil {
				block, err = p.ledger.GetBlock(index)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read last config block: %w", err)
	}
	return p.cfg.NewChannel(block)
}

// checkACL checks one signed request against the channel ACL of resource.
// A channel without configuration (channel.New, in unit tests) has no ACLs.
func (p *Peer) checkACL(resource string, identity, data, signature []byte) error {
	if p.cfg.Channel.Config() == nil {
		return nil
	}
	return p.cfg.Channel.CheckACL(resource, []policy.SignedData{{Identity: identity, Data: data, Signature: signature}})
}

// Channel is the peer's view of the channel configuration.
func (p *Peer) Channel() *channel.Channel { return p.cfg.Channel }

// MSPID is the peer's organisation.
func (p *Peer) MSPID() string { return p.cfg.MSPID }

// Address is where the peer serves gRPC.
func (p *Peer) Address() string { return p.cfg.Address }

// Ledger is the peer's ledger.
func (p *Peer) Ledger() *ledger.Store { return p.ledger }

// Endorser is the peer's endorser.
func (p *Peer) Endorser() *endorser.Endorser { return p.endorser }

// Start serves gRPC and begins pulling blocks; peers are every peer of the
// channel (this one included), which the gateway asks for endorsements.
func (p *Peer) Start(peers []*Peer) {
	p.SetPeers(peers)
	// WaitForHandlers makes Stop wait for running handlers, which use the ledger.
	options := []grpc.ServerOption{grpc.MaxRecvMsgSize(maxMessageBytes), grpc.MaxSendMsgSize(maxMessageBytes), grpc.WaitForHandlers(true)}
	if p.cfg.TLS != nil {
		options = append(options, grpc.Creds(credentials.NewTLS(p.cfg.TLS)))
	}
	p.server = grpc.NewServer(options...)
	gp.RegisterGatewayServer(p.server, &p.gateway)
	pb.RegisterEndorserServer(p.server, endorserService{p})
	pb.RegisterDeliverServer(p.server, deliverService{p})

	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.workers.Add(2)
	go func() {
		defer p.workers.Done()
		if err := p.server.Serve(p.cfg.Listener); err != nil {
			p.fail(fmt.Errorf("serve gRPC: %w", err))
		}
	}()
	go func() {
		defer p.workers.Done()
		if err := p.deliver(ctx); err != nil && !errors.Is(err, context.Canceled) {
			p.fail(err)
		}
	}()
}

// Done is closed when the peer fails: its ledger could not commit a block,
// its block source broke or its server stopped serving. A failed peer endorses
// nothing more (its state is frozen at the last block it committed).
func (p *Peer) Done() <-chan struct{} { return p.done }

// Err is the error that stopped the peer, nil while it runs.
func (p *Peer) Err() error {
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}

// fail records the peer's first fatal error, loudly, and closes Done.
func (p *Peer) fail(err error) {
	p.failOnce.Do(func() {
		p.err = fmt.Errorf("peer %s: %w", p.cfg.Address, err)
		p.cfg.Logger.Printf("FATAL %v", p.err)
		p.committer.Halt(p.err)
		close(p.done)
	})
}

// WaitForHeight returns once the peer committed block h, or with an error
// when ctx ends or the peer fails.
func (p *Peer) WaitForHeight(ctx context.Context, h uint64) error {
	return p.committer.WaitForHeight(ctx, h)
}

// serving returns an error once the peer failed: nothing is endorsed on state
// that no longer follows the chain.
func (p *Peer) serving() error {
	if err := p.Err(); err != nil {
		return status.Error(codes.Unavailable, err.Error())
	}
	return nil
}

// deliver pulls blocks from the orderer from the ledger's height on, and commits them.
func (p *Peer) deliver(ctx context.Context) error {
	for {
		number := p.ledger.Height()
		block, err := p.cfg.Blocks.Block(ctx, number)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("receive block %d: %w", number, err)
		}
		// Fabric's peers join with the genesis block as given; every later
		// block must carry the orderer's signature.
		if number > 0 {
			if err := p.cfg.Channel.VerifyBlock(block); err != nil {
				return fmt.Errorf("refuse block from the orderer: %w", err)
			}
		}
		if _, err := p.committer.Commit(block); err != nil {
			return err
		}
	}
}

// Close stops the peer (see Stop) and closes its ledger.
func (p *Peer) Close() error {
	p.Stop()
	return p.ledger.Close()
}

// Stop stops serving and pulling blocks, waiting for every request in
// progress, but keeps the ledger open: other peers' gateways may still be
// asking this peer's endorser, so a network stops all its peers before it
// closes any ledger.
func (p *Peer) Stop() {
	if p.server != nil {
		p.server.Stop()
	}
	if p.cancel != nil {
		p.cancel()
	}
	p.workers.Wait()
}

// endorserService serves Fabric's Endorser gRPC service from the peer's endorser.
type endorserService struct {
	peer *Peer
}

func (s endorserService) ProcessProposal(ctx context.Context, signed *pb.SignedProposal) (*pb.ProposalResponse, error) {
	if err := s.peer.serving(); err != nil {
		return nil, err
	}
	return s.peer.processProposal(ctx, signed)
}

// caughtUpEndorser asks a peer for an endorsement only once that peer has
// committed every block the orderer has cut, as Fabric's gateway prefers peers
// at the highest ledger height. Without it, a client that submits right after
// another org's client saw a commit could be endorsed on stale state by a peer
// a few milliseconds behind.
type caughtUpEndorser struct {
	peer   *Peer
	height func() uint64
}

func (e caughtUpEndorser) ProcessProposal(ctx context.Context, signed *pb.SignedProposal) (*pb.ProposalResponse, error) {
	if err := e.peer.serving(); err != nil {
		return nil, err
	}
	if height := e.height(); height > 0 {
		if err := e.peer.WaitForHeight(ctx, height-1); err != nil {
			return nil, fmt.Errorf("peer %s did not reach block height %d: %w", e.peer.cfg.Address, height, err)
		}
	}
	if err := e.peer.serving(); err != nil {
		return nil, err
	}
	return e.peer.processProposal(ctx, signed)
}
