package orderer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cockroachdb/pebble/vfs"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/blockfile"
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
	"github.com/scfledger/warrants/network/devnet/internal/policy"
	"github.com/scfledger/warrants/network/devnet/internal/protoutil"
)

// MaxEnvelopeBytes is the largest envelope accepted (Fabric's default AbsoluteMaxBytes).
const MaxEnvelopeBytes = 10 * 1024 * 1024

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("orderer is closed")

// Channel is the orderer's view of the channel's current configuration.
type Channel interface {
	// EvaluatePolicy checks signed data against the channel policy at path
	// (for example /Channel/Writers).
	EvaluatePolicy(path string, signed []policy.SignedData) error
	// ProposeConfigUpdate validates a CONFIG_UPDATE envelope against the
	// configuration and returns the configuration it produces.
	ProposeConfigUpdate(envelope *common.Envelope) (*common.Config, error)
}

// Signer is the orderer's signing identity.
type Signer = protoutil.Signer

// Config holds the orderer's settings.
type Config struct {
	Channel      string
	BatchSize    int
	BatchTimeout time.Duration
	// Dir is where the orderer keeps its blocks.
	Dir string
	// Signer signs every block the orderer cuts.
	Signer Signer
	// Genesis is block 0, written when the store is empty.
	Genesis *common.Block
	// NewChannel reads the channel configuration from the last config block.
	NewChannel func(configBlock *common.Block) (Channel, error)
	// Idle, when set, reports whether the network has no pending work: every
	// peer has committed the blocks below height and no transaction is being
	// endorsed. The orderer then cuts a block as soon as it holds a
	// transaction and none other is queued, rather than after BatchTimeout, so
	// that a transaction on a quiet network does not wait for the timer.
	// Under load other transactions are always on their way, and batches form
	// by size and timeout as without it.
	Idle func(height uint64) bool
}

// writersPolicy is the policy a transaction's creator must satisfy, as
// Fabric's orderer checks on Broadcast.
const writersPolicy = "/Channel/Writers"

// Orderer is a solo ordering service for one channel.
type Orderer struct {
	cfg    Config
	blocks *blockfile.File

	senders  sync.RWMutex // held for reading by Broadcast while it enqueues
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever a block is added or the orderer closes
	height   uint64
	lastHash []byte
	// lastConfig is the number of the last config block, written into every block.
	lastConfig uint64
	channel    Channel
	closed     bool
	failure    error         // a block store failure; once set, no more transactions are taken
	failed     chan struct{} // closed when failure is set

	incoming chan *common.Envelope
	// wake tells the cutter that a reader waits for the next block: the
	// pipeline may have become idle.
	wake chan struct{}
	// configs are accepted CONFIG_UPDATE envelopes, each ordered into a block of its own.
	configs chan *common.Envelope
	stop    chan struct{}
	done    chan struct{}
}

// Open starts an orderer on the store in cfg.Dir, writing the genesis block if
// the store is new.
func Open(cfg Config) (*Orderer, error) {
	if cfg.BatchSize < 1 || cfg.BatchTimeout <= 0 {
		return nil, fmt.Errorf("invalid batch settings: size %d, timeout %s", cfg.BatchSize, cfg.BatchTimeout)
	}
	if cfg.Signer == nil || cfg.NewChannel == nil {
		return nil, errors.New("orderer needs a signer and a channel configuration reader")
	}
	blocks, err := openBlockFile(cfg.Dir)
	if err != nil {
		return nil, err
	}
	o := &Orderer{
		cfg:      cfg,
		blocks:   blocks,
		changed:  make(chan struct{}),
		failed:   make(chan struct{}),
		incoming: make(chan *common.Envelope, 4*cfg.BatchSize),
		wake:     make(chan struct{}, 1),
		configs:  make(chan *common.Envelope, 1),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	if err := o.load(); err != nil {
		_ = blocks.Close()
		return nil, err
	}
	configBlock, err := o.read(o.lastConfig)
	if err != nil {
		_ = blocks.Close()
		return nil, fmt.Errorf("read last config block: %w", err)
	}
	if o.channel, err = cfg.NewChannel(configBlock); err != nil {
		_ = blocks.Close()
		return nil, fmt.Errorf("channel configuration of block %d: %w", o.lastConfig, err)
	}
	go o.cutBlocks()
	return o, nil
}

// blockFileName is the orderer's block file in its directory.
const blockFileName = "blocks"

// openBlockFile opens the block file in dir, refusing a directory that holds
// the database an earlier version of the dev network kept its blocks in.
func openBlockFile(dir string) (*blockfile.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open orderer block store: %w", err)
	}
	path := filepath.Join(dir, blockFileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if old, _ := filepath.Glob(filepath.Join(dir, "MANIFEST-*")); len(old) > 0 {
			return nil, fmt.Errorf("open orderer block store: %s holds blocks in the format of an earlier dev network; remove the network's directory and start again", dir)
		}
	}
	blocks, err := blockfile.Open(vfs.Default, path)
	if err != nil {
		return nil, fmt.Errorf("open orderer block store: %w", err)
	}
	return blocks, nil
}

// load finds the chain's height and last hash, or writes the genesis block.
func (o *Orderer) load() error {
	n := o.blocks.Len()
	if n == 0 {
		if o.cfg.Genesis == nil {
			return errors.New("empty orderer block store and no genesis block")
		}
		return o.append(o.cfg.Genesis)
	}
	last, err := o.read(n - 1)
	if err != nil {
		return fmt.Errorf("read last block: %w", err)
	}
	if last.GetHeader().GetNumber() != n-1 {
		return fmt.Errorf("block file holds block %d in place %d: %w", last.GetHeader().GetNumber(), n-1, blockfile.ErrCorrupt)
	}
	o.height = n
	o.lastHash = ledger.BlockHeaderHash(last.GetHeader())
	if o.height > 1 {
		if o.lastConfig, err = protoutil.LastConfigIndex(last); err != nil {
			return fmt.Errorf("last config of block %d: %w", o.height-1, err)
		}
	}
	return nil
}

// append stores a block durably, then publishes it.
func (o *Orderer) append(block *common.Block) error {
	data, err := proto.Marshal(block)
	if err != nil {
		return fmt.Errorf("marshal block %d: %w", block.GetHeader().GetNumber(), err)
	}
	if number := block.GetHeader().GetNumber(); number != o.blocks.Len() {
		return fmt.Errorf("store block %d: the block file holds %d blocks", number, o.blocks.Len())
	}
	if err := o.blocks.Append(data); err != nil {
		return fmt.Errorf("store block %d: %w", block.GetHeader().GetNumber(), err)
	}
	o.mu.Lock()
	o.height = block.GetHeader().GetNumber() + 1
	o.lastHash = ledger.BlockHeaderHash(block.GetHeader())
	close(o.changed)
	o.changed = make(chan struct{})
	o.mu.Unlock()
	return nil
}

// Failed is closed when the orderer fails: it could not store a block and
// takes no more transactions. Err says why.
func (o *Orderer) Failed() <-chan struct{} { return o.failed }

// Err is the block store failure that stopped the orderer, nil while it runs.
func (o *Orderer) Err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.failure
}

// Broadcast checks an envelope and queues it for ordering. An error means the
// orderer rejected it (bad request or shutting down).
//
// A CONFIG_UPDATE envelope is validated against the current configuration
// (see Channel.ProposeConfigUpdate) and, once ordered, validated again and
// written as a CONFIG transaction in a block of its own, which every later
// block names as its last config.
func (o *Orderer) Broadcast(ctx context.Context, envelope *common.Envelope) error {
	isConfigUpdate, err := o.check(envelope)
	if err != nil {
		return err
	}
	// Close waits for senders holding this lock, so an envelope accepted here is
	// always ordered before the orderer stops.
	o.senders.RLock()
	defer o.senders.RUnlock()
	o.mu.Lock()
	failure, closed := o.failure, o.closed
	o.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if failure != nil {
		return fmt.Errorf("status=SERVICE_UNAVAILABLE: %w", failure)
	}
	queue := o.incoming
	if isConfigUpdate {
		queue = o.configs
	}
	select {
	case queue <- envelope:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("broadcast: %w", ctx.Err())
	}
}

// check validates an envelope on Broadcast and reports whether it is a
// CONFIG_UPDATE.
func (o *Orderer) check(envelope *common.Envelope) (bool, error) {
	if size := proto.Size(envelope); size > MaxEnvelopeBytes {
		return false, fmt.Errorf("status=BAD_REQUEST: message payload is %d bytes and exceeds maximum allowed %d bytes", size, MaxEnvelopeBytes)
	}
	header, err := protoutil.UnpackHeader(envelope)
	if err != nil {
		return false, fmt.Errorf("status=BAD_REQUEST: %w", err)
	}
	if header.ChannelHeader.GetChannelId() != o.cfg.Channel {
		return false, fmt.Errorf("status=NOT_FOUND: channel %q does not exist", header.ChannelHeader.GetChannelId())
	}
	isConfigUpdate := header.Type() == common.HeaderType_CONFIG_UPDATE
	if header.Type() != common.HeaderType_ENDORSER_TRANSACTION && !isConfigUpdate {
		return false, fmt.Errorf("status=BAD_REQUEST: unsupported header type %d", header.ChannelHeader.GetType())
	}
	channel := o.currentChannel()
	signed := []policy.SignedData{{Identity: header.SignatureHeader.GetCreator(), Data: envelope.GetPayload(), Signature: envelope.GetSignature()}}
	if err := channel.EvaluatePolicy(writersPolicy, signed); err != nil {
		return false, fmt.Errorf("status=FORBIDDEN: implicit policy evaluation failed - the Writers policy is not satisfied: %w", err)
	}
	if isConfigUpdate {
		if _, err := channel.ProposeConfigUpdate(envelope); err != nil {
			return false, fmt.Errorf("status=BAD_REQUEST: error applying config update to existing channel '%s': %w", o.cfg.Channel, err)
		}
	}
	return isConfigUpdate, nil
}

// currentChannel is the channel configuration envelopes are checked against.
func (o *Orderer) currentChannel() Channel {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.channel
}

// cutBlocks collects envelopes into batches and writes a block when a batch is
// full or its first envelope has waited BatchTimeout.
func (o *Orderer) cutBlocks() {
	defer close(o.done)
	var batch []*common.Envelope
	timer := time.NewTimer(o.cfg.BatchTimeout)
	timer.Stop()
	cut := func() {
		if len(batch) == 0 {
			return
		}
		if err := o.appendBatch(batch); err != nil {
			// A store failure is fatal for a solo orderer: it stops taking transactions.
			o.fail(err)
		}
		batch = nil
		timer.Stop()
	}
	for {
		select {
		case envelope := <-o.incoming:
			if len(batch) == 0 {
				timer.Reset(o.cfg.BatchTimeout)
			}
			batch = append(batch, envelope)
			if len(batch) >= o.cfg.BatchSize || (len(o.incoming) == 0 && o.idle()) {
				cut()
			}
		case <-o.wake:
			if len(batch) > 0 && o.idle() {
				cut()
			}
		case <-timer.C:
			cut()
		case update := <-o.configs:
			// As Fabric's block cutter: what is pending goes first, then the
			// config transaction alone. Envelopes already queued were accepted
			// before the update, whichever channel the select read first.
			for queued := len(o.incoming); queued > 0; queued-- {
				batch = append(batch, <-o.incoming)
				if len(batch) >= o.cfg.BatchSize {
					cut()
				}
			}
			cut()
			o.orderConfig(update)
		case <-o.stop:
			// Envelopes already accepted are ordered before stopping.
			for {
				select {
				case envelope := <-o.incoming:
					batch = append(batch, envelope)
					if len(batch) >= o.cfg.BatchSize {
						cut()
					}
				case update := <-o.configs:
					cut()
					o.orderConfig(update)
				default:
					cut()
					return
				}
			}
		}
	}
}

// idle reports whether the pipeline behind the orderer has caught up with it.
func (o *Orderer) idle() bool {
	return o.cfg.Idle != nil && o.cfg.Idle(o.Height())
}

// fail records a block store failure: the orderer takes no more transactions.
func (o *Orderer) fail(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failure == nil {
		o.failure = err
		close(o.failed)
	}
}

// orderConfig validates an ordered CONFIG_UPDATE again, against the
// configuration it now meets (an earlier update may have changed it), and
// writes its CONFIG transaction in a block of its own. An update no longer
// valid is dropped, as Fabric's orderer drops it.
func (o *Orderer) orderConfig(update *common.Envelope) {
	next, err := o.currentChannel().ProposeConfigUpdate(update)
	if err != nil {
		return
	}
	if err := o.appendConfig(update, next); err != nil {
		o.fail(err)
	}
}

// appendConfig writes the CONFIG transaction of an update, signed by the
// orderer, in its own block, and reads the channel configuration from it.
func (o *Orderer) appendConfig(update *common.Envelope, next *common.Config) error {
	envelope, err := protoutil.NewConfigTransaction(o.cfg.Channel, &common.ConfigEnvelope{Config: next, LastUpdate: update}, o.cfg.Signer)
	if err != nil {
		return err
	}
	block, err := o.newBlock([]*common.Envelope{envelope}, true)
	if err != nil {
		return err
	}
	number := block.GetHeader().GetNumber()
	channel, err := o.cfg.NewChannel(block)
	if err != nil {
		return fmt.Errorf("channel configuration of block %d: %w", number, err)
	}
	if err := o.append(block); err != nil {
		return err
	}
	o.mu.Lock()
	o.lastConfig, o.channel = number, channel
	o.mu.Unlock()
	return nil
}

// newBlock is the next block, holding envelopes, chained to the last block
// and signed by the orderer; a config block names itself as last config.
func (o *Orderer) newBlock(envelopes []*common.Envelope, config bool) (*common.Block, error) {
	data := &common.BlockData{Data: make([][]byte, len(envelopes))}
	for i, envelope := range envelopes {
		bytes, err := proto.Marshal(envelope)
		if err != nil {
			return nil, fmt.Errorf("marshal envelope: %w", err)
		}
		data.Data[i] = bytes
	}
	o.mu.Lock()
	number, previous, lastConfig := o.height, o.lastHash, o.lastConfig
	o.mu.Unlock()
	if config {
		lastConfig = number
	}
	block := &common.Block{
		Header:   &common.BlockHeader{Number: number, PreviousHash: previous, DataHash: ledger.BlockDataHash(data)},
		Data:     data,
		Metadata: &common.BlockMetadata{Metadata: make([][]byte, len(common.BlockMetadataIndex_name))},
	}
	if err := protoutil.SignBlock(block, lastConfig, o.cfg.Signer); err != nil {
		return nil, err
	}
	return block, nil
}

func (o *Orderer) appendBatch(batch []*common.Envelope) error {
	block, err := o.newBlock(batch, false)
	if err != nil {
		return err
	}
	return o.append(block)
}

// Height is the number of blocks in the chain.
func (o *Orderer) Height() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.height
}

// Block returns block number, waiting until it is cut or ctx ends.
func (o *Orderer) Block(ctx context.Context, number uint64) (*common.Block, error) {
	for {
		o.mu.Lock()
		if o.closed {
			o.mu.Unlock()
			return nil, ErrClosed
		}
		if number < o.height {
			// Read under the lock so that Close cannot close the store meanwhile.
			defer o.mu.Unlock()
			return o.read(number)
		}
		changed := o.changed
		o.mu.Unlock()
		// A reader waiting for the next block may leave the pipeline idle.
		select {
		case o.wake <- struct{}{}:
		default:
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (o *Orderer) read(number uint64) (*common.Block, error) {
	value, err := o.blocks.Read(number)
	if err != nil {
		return nil, fmt.Errorf("read block %d: %w", number, err)
	}
	block := &common.Block{}
	if err := proto.Unmarshal(value, block); err != nil {
		return nil, fmt.Errorf("unmarshal block %d: %w", number, err)
	}
	return block, nil
}

// Close orders what was already accepted, then stops and closes the store.
func (o *Orderer) Close() error {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return nil
	}
	o.closed = true
	o.mu.Unlock()
	// Wait for senders already past the closed check; the cutter keeps
	// taking their envelopes meanwhile, and drains the rest after stop.
	o.senders.Lock()
	o.senders.Unlock() // a barrier: no sender is left inside
	close(o.stop)
	<-o.done
	o.mu.Lock()
	defer o.mu.Unlock()
	close(o.changed)
	o.changed = make(chan struct{})
	return o.blocks.Close()
}

// ConfigBlock is the last config block, whose configuration the orderer
// checks envelopes against: what `peer channel fetch config` fetches.
func (o *Orderer) ConfigBlock(ctx context.Context) (*common.Block, error) {
	o.mu.Lock()
	number := o.lastConfig
	o.mu.Unlock()
	return o.Block(ctx, number)
}
