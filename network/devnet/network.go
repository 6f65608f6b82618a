package devnet

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	pb "github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
	"github.com/scfledger/warrants/network/devnet/internal/channel"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/orderer"
	"github.com/scfledger/warrants/network/devnet/internal/peer"
	"github.com/scfledger/warrants/network/devnet/internal/privdata"
)

// Options tell Start how to run a network.
type Options struct {
	// Config describes the network; nil means config.Default().
	Config *config.Network
	// Dir keeps crypto material, ledgers and blocks, reused on restart. Empty
	// means a temporary directory removed by Close.
	Dir string
	// Plaintext serves gRPC without TLS.
	Plaintext bool
	// FreePorts listens on free loopback ports instead of the configured ones.
	FreePorts bool
	// InProcess runs these chaincodes as CCaaS servers inside this process,
	// overriding the address or command of the chaincode of the same name.
	InProcess map[string]shim.Chaincode
	// ChaincodeOutput receives launched chaincodes' output; nil discards it.
	ChaincodeOutput io.Writer
	// Logger receives the network's log lines; nil discards them.
	Logger *log.Logger
}

// Network is a running dev network.
type Network struct {
	config    *config.Network
	timeouts  config.Timeouts
	dir       string
	temporary bool
	plaintext bool
	material  *crypto.Material
	orderer   *orderer.Orderer
	freePorts bool
	// members guards what AddOrg and RemoveOrg change: the peers, their
	// chaincode supervisors and addresses, the description and the material.
	members sync.RWMutex
	peers   []*peer.Peer
	// addresses are the peers' addresses, by MSP ID.
	addresses map[string]string
	// supervisors keep each peer's chaincode connections, in peer order.
	supervisors []*chaincode.Supervisor
	// shared is what every peer is built with, a peer added later included.
	shared  peerShared
	closers []func() error
	// ledgerOptions adjust each org's peer ledger (tests inject faults).
	ledgerOptions map[string][]ledger.Option

	closing  chan struct{} // closed when Close begins; ends the watchers
	closeOne sync.Once
	watchers sync.WaitGroup
	stopOnce sync.Once
	done     chan struct{} // closed when the network stopped
	err      error         // why; set before done closes
}

// ErrClosed is the [Network.Err] of a network stopped by Close.
var ErrClosed = errors.New("network closed")

// Start brings up a network and returns once every peer serves and every
// chaincode is connected. Close it when done.
func Start(ctx context.Context, opts Options) (*Network, error) {
	return start(ctx, opts, nil)
}

// start is Start with options for the peers' ledgers, by MSP ID.
func start(ctx context.Context, opts Options, ledgerOptions map[string][]ledger.Option) (_ *Network, err error) {
	cfg := opts.Config
	if cfg == nil {
		cfg = config.Default()
	}
	if err := cfg.LoadCollectionFiles(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = log.New(io.Discard, "", 0)
	}
	n := &Network{
		config: cfg, timeouts: cfg.Timeouts.WithDefaults(), dir: opts.Dir, plaintext: opts.Plaintext, freePorts: opts.FreePorts,
		addresses: map[string]string{}, ledgerOptions: ledgerOptions,
		closing: make(chan struct{}), done: make(chan struct{}),
	}
	if n.dir == "" {
		if n.dir, err = os.MkdirTemp("", "devnet-"); err != nil {
			return nil, fmt.Errorf("create network directory: %w", err)
		}
		n.temporary = true
	}
	defer func() {
		if err != nil {
			_ = n.Close()
		}
	}()
	if n.material, err = crypto.Generate(n.dir, crypto.SpecsOf(cfg)); err != nil {
		return nil, fmt.Errorf("generate crypto material: %w", err)
	}
	if err := n.startOrderer(); err != nil {
		return nil, err
	}
	chaincodeAddresses, err := n.startInProcessChaincodes(opts.InProcess)
	if err != nil {
		return nil, err
	}
	if err := n.startPeers(opts, chaincodeAddresses); err != nil {
		return nil, err
	}
	n.watch()
	if err := n.writeProfiles(); err != nil {
		return nil, err
	}
	if err := n.writeEnvFiles(); err != nil {
		return nil, err
	}
	if err := n.waitReady(ctx); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *Network) startOrderer() error {
	genesis, err := genesisBlock(n.config, n.material)
	if err != nil {
		return err
	}
	ordererOrg, err := n.material.Org(n.config.Orderer.MSPID)
	if err != nil {
		return err
	}
	signer, err := ordererOrg.NodeSigner()
	if err != nil {
		return err
	}
	idle := n.pipelineIdle
	if n.config.Orderer.WaitForBatch {
		idle = nil
	}
	n.orderer, err = orderer.Open(orderer.Config{
		Channel:      n.config.Channel,
		BatchSize:    n.config.Orderer.BatchSize,
		BatchTimeout: time.Duration(n.config.Orderer.BatchTimeout),
		Dir:          filepath.Join(n.dir, "orderer"),
		Signer:       signer,
		Genesis:      genesis,
		NewChannel: func(block *common.Block) (orderer.Channel, error) {
			return channel.FromBlock(block, n.config.MSPIDs(), nil)
		},
		Idle: idle,
	})
	if err != nil {
		return fmt.Errorf("start orderer: %w", err)
	}
	return nil
}

// pipelineIdle reports whether no work is pending behind or before the
// orderer: every peer has committed the blocks below height and none is
// endorsing a proposal (whose transaction would soon reach the orderer).
func (n *Network) pipelineIdle(height uint64) bool {
	n.members.RLock()
	defer n.members.RUnlock()
	for _, p := range n.peers {
		if p.Ledger().Height() < height || p.Endorser().Busy() {
			return false
		}
	}
	return true
}

// startInProcessChaincodes serves the given chaincodes on free loopback ports,
// each on its own gRPC server speaking the chaincode-as-a-service protocol.
func (n *Network) startInProcessChaincodes(chaincodes map[string]shim.Chaincode) (map[string]string, error) {
	addresses := map[string]string{}
	for name, implementation := range chaincodes {
		definition, err := n.config.Chaincode(name)
		if err != nil {
			return nil, err
		}
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("serve chaincode %s: %w", name, err)
		}
		server := grpc.NewServer()
		pb.RegisterChaincodeServer(server, &shim.ChaincodeServer{CCID: name + ":" + definition.Version, CC: implementation})
		go func() { _ = server.Serve(listener) }()
		n.closers = append(n.closers, func() error { server.Stop(); return nil })
		addresses[name] = listener.Addr().String()
	}
	return addresses, nil
}

// peerShared is what every peer of the network is built with.
type peerShared struct {
	opts Options
	// inProcess are the addresses of the chaincodes served in this process.
	inProcess map[string]string
	// members is the channel as the collections' policies see it: AddOrg and
	// RemoveOrg keep it at the orderer's configuration.
	members     *channel.Channel
	collections *privdata.Registry
	distributor *privdata.Distributor
}

func (n *Network) startPeers(opts Options, inProcess map[string]string) error {
	// Collection member policies are compiled against the channel's members
	// as its last configuration gives them, and follow AddOrg and RemoveOrg.
	configBlock, err := n.orderer.ConfigBlock(context.Background())
	if err != nil {
		return fmt.Errorf("private data collections: config block: %w", err)
	}
	members, err := n.newPeerChannel(configBlock)
	if err != nil {
		return fmt.Errorf("private data collections: %w", err)
	}
	collections, err := privdata.New(n.config, members.CurrentDeserializer())
	if err != nil {
		return fmt.Errorf("private data collections: %w", err)
	}
	transient := map[string]*privdata.TransientStore{}
	for _, org := range n.config.Orgs {
		transient[org.MSPID] = privdata.NewTransientStore()
	}
	distributor := privdata.NewDistributor(collections, n.config.MSPIDs(), transient, n.peerServing, n.peerPrivateData)
	n.shared = peerShared{opts: opts, inProcess: inProcess, members: members, collections: collections, distributor: distributor}
	for _, org := range n.config.Orgs {
		p, err := n.newPeer(org, transient[org.MSPID])
		if err != nil {
			return err
		}
		n.peers = append(n.peers, p)
	}
	for _, p := range n.peers {
		p.Start(n.peers)
	}
	return nil
}

// newPeer builds an org's peer with its own chaincode processes and its
// transient store; Start runs it.
func (n *Network) newPeer(org config.Org, transient *privdata.TransientStore) (*peer.Peer, error) {
	opts, inProcess := n.shared.opts, n.shared.inProcess
	orgMaterial, err := n.material.Org(org.MSPID)
	if err != nil {
		return nil, err
	}
	signer, err := orgMaterial.NodeSigner()
	if err != nil {
		return nil, err
	}
	listener, err := n.listen(org.PeerPort)
	if err != nil {
		return nil, fmt.Errorf("peer of %s: %w", org.MSPID, err)
	}
	address := listener.Addr().String()
	_, port, _ := net.SplitHostPort(address)
	// Peers name each other by host alias, as in Fabric's error details.
	endpoint := net.JoinHostPort(org.PeerHost(), port)
	supervisor := chaincode.NewSupervisor(
		chaincode.WithOutput(opts.ChaincodeOutput),
		chaincode.WithBackoff(config.ChaincodeReconnectMin, config.ChaincodeReconnectMax),
		chaincode.WithTimeouts(time.Duration(n.timeouts.ChaincodeDial), time.Duration(n.timeouts.ChaincodeStop)),
	)
	for _, cc := range n.config.Chaincodes {
		spec := chaincode.Spec{Name: cc.Name, Version: cc.Version, Address: cc.Address}
		switch {
		case inProcess[cc.Name] != "":
			spec.Address = inProcess[cc.Name]
		case len(cc.Command) > 0:
			// Each peer launches its own chaincode process, as each org runs
			// its own chaincode server in Fabric.
			if spec.Address, err = freeAddress(); err != nil {
				_ = listener.Close()
				_ = supervisor.Close()
				return nil, err
			}
			spec.Command = cc.Command
			spec.Env = chaincodeEnv(org.MSPID, cc.Env)
		}
		if err := supervisor.Add(spec); err != nil {
			_ = listener.Close()
			_ = supervisor.Close()
			return nil, fmt.Errorf("peer of %s: %w", org.MSPID, err)
		}
	}
	var serverTLS *tls.Config
	if !n.plaintext {
		serverTLS = &tls.Config{Certificates: []tls.Certificate{orgMaterial.Node.TLSCert}, MinVersion: tls.VersionTLS12}
	}
	p, err := peer.New(peer.Config{
		MSPID:      org.MSPID,
		Listener:   listener,
		Address:    endpoint,
		LedgerDir:  filepath.Join(n.dir, "ledgers", org.PeerHost()),
		Signer:     signer,
		TLS:        serverTLS,
		NewChannel: n.newPeerChannel,
		Chaincodes: supervisor,
		Blocks:     n.orderer,
		Orderer:    n.orderer,
		Logger:     opts.Logger,

		EndorsementTimeout: time.Duration(n.timeouts.Endorsement),
		LedgerOptions:      n.ledgerOptions[org.MSPID],
		Collections:        n.shared.collections,
		Transient:          transient,
		Distributor:        n.shared.distributor,
	})
	if err != nil {
		_ = listener.Close()
		_ = supervisor.Close()
		return nil, err
	}
	n.closers = append(n.closers, supervisor.Close)
	n.supervisors = append(n.supervisors, supervisor)
	n.addresses[org.MSPID] = address
	return p, nil
}

// peerServing reports whether an org's peer is up (it can take private data).
func (n *Network) peerServing(mspID string) bool {
	for _, p := range n.peerList() {
		if p.MSPID() == mspID {
			return p.Err() == nil
		}
	}
	return false
}

// peerPrivateData is the private data store of an org's peer (nil before it exists).
func (n *Network) peerPrivateData(mspID string) privdata.PrivateStore {
	for _, p := range n.peerList() {
		if p.MSPID() == mspID {
			return p.Ledger()
		}
	}
	return nil
}

// peerList is the network's peers now.
func (n *Network) peerList() []*peer.Peer {
	n.members.RLock()
	defer n.members.RUnlock()
	return slices.Clone(n.peers)
}

// chaincodeEnv is the environment of a peer's chaincode process: the peer's
// MSP ID, as the shim's GetMSPID reads it, and the chaincode's extra
// variables, sorted.
func chaincodeEnv(mspID string, extra map[string]string) []string {
	env := []string{"CORE_PEER_LOCALMSPID=" + mspID}
	for _, name := range slices.Sorted(maps.Keys(extra)) {
		env = append(env, name+"="+extra[name])
	}
	return env
}

// newPeerChannel reads a peer's view of the channel from a config block.
func (n *Network) newPeerChannel(block *common.Block) (*channel.Channel, error) {
	return channel.FromBlock(block, n.config.MSPIDs(), chaincodeDefinitions(n.config))
}

func (n *Network) listen(port int) (net.Listener, error) {
	address := fmt.Sprintf("127.0.0.1:%d", port)
	if port == 0 || n.freePorts {
		address = "127.0.0.1:0"
	}
	listener, err := net.Listen("tcp", address)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", address, err)
	}
	return listener, nil
}

// chaincodePorts is where chaincode servers' ports are picked: below Linux's
// default ephemeral range (32768–60999), from which the kernel hands out the
// ports of every listener on port 0 (the peers and orderers of networks
// started with FreePorts) and of outgoing connections. A port picked there
// could be taken by one of those between the pick and the chaincode process
// listening on it (or relaunching on it); below it only another pick can.
const chaincodePortLow, chaincodePortHigh = 20000, 32768

// freeAddress finds a free loopback port for a chaincode server: a random
// port of chaincodePorts that can be bound now, else one the kernel picks.
func freeAddress() (string, error) {
	for range 64 {
		port := chaincodePortLow + rand.IntN(chaincodePortHigh-chaincodePortLow)
		if address, err := listenable(net.JoinHostPort("127.0.0.1", strconv.Itoa(port))); err == nil {
			return address, nil
		}
	}
	address, err := listenable("127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	return address, nil
}

// listenable listens on address and closes the listener, returning the
// address it got.
func listenable(address string) (string, error) {
	listener, err := net.Listen("tcp", address)
	if err != nil {
		return "", err
	}
	got := listener.Addr().String()
	return got, listener.Close()
}

// waitReady waits until every peer has caught up with the orderer and every
// chaincode is connected.
func (n *Network) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(n.timeouts.Startup))
	defer cancel()
	// A failure while starting ends the wait at once.
	go func() {
		select {
		case <-n.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	failed := func(err error) error {
		if failure := n.Err(); failure != nil {
			return failure
		}
		return err
	}
	if height := n.orderer.Height(); height > 0 {
		for _, p := range n.peers {
			if err := p.WaitForHeight(ctx, height-1); err != nil {
				return failed(fmt.Errorf("peer %s did not catch up with the orderer: %w", p.Address(), err))
			}
		}
	}
	for _, cc := range n.config.Chaincodes {
		for _, supervisor := range n.supervisors {
			if _, err := supervisor.Connection(ctx, cc.Name); err != nil {
				return failed(err)
			}
		}
	}
	return nil
}

// watch stops the network when a peer or the orderer fails.
func (n *Network) watch() {
	for _, p := range n.peers {
		n.watchFailure(p.Done(), p.Err)
	}
	n.watchFailure(n.orderer.Failed(), func() error { return fmt.Errorf("orderer: %w", n.orderer.Err()) })
}

// watchFailure stops the network with err() once failed is closed.
func (n *Network) watchFailure(failed <-chan struct{}, err func() error) {
	n.watchers.Add(1)
	go func() {
		defer n.watchers.Done()
		select {
		case <-failed:
			n.stop(err())
		case <-n.closing:
		}
	}()
}

// stop records why the network stopped (the first reason stays), stops every
// peer serving, then closes Done: after a failure, no peer endorses or answers
// on a network whose state no longer advances everywhere, from the moment Done
// says it stopped.
func (n *Network) stop(err error) {
	n.stopOnce.Do(func() {
		n.err = err
		if !errors.Is(err, ErrClosed) {
			for _, p := range n.peerList() {
				p.Stop()
			}
		}
		close(n.done)
	})
}

// Done is closed when the network stops: a peer or the orderer failed (a
// ledger could not commit a block, a block store could not be written), or
// Close was called. Err then says why.
func (n *Network) Done() <-chan struct{} { return n.done }

// Err is nil while the network runs. Once Done is closed, it is the failure
// that stopped the network, or ErrClosed after Close.
func (n *Network) Err() error {
	select {
	case <-n.done:
		return n.err
	default:
		return nil
	}
}

// Close stops the peers, the chaincodes and the orderer, and removes a
// temporary directory.
func (n *Network) Close() error {
	n.closeOne.Do(func() { close(n.closing) })
	n.watchers.Wait()
	n.stop(ErrClosed)
	var errs []error
	// Every peer stops serving before any ledger closes: a peer's gateway
	// endorses on the other peers in-process.
	peers := n.peerList()
	for _, p := range peers {
		p.Stop()
	}
	for i := len(n.closers) - 1; i >= 0; i-- {
		errs = append(errs, n.closers[i]())
	}
	for _, p := range peers {
		errs = append(errs, p.Close())
	}
	if n.orderer != nil {
		errs = append(errs, n.orderer.Close())
	}
	if n.temporary {
		errs = append(errs, os.RemoveAll(n.dir))
	}
	return errors.Join(errs...)
}
