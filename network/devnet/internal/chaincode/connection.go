package chaincode

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// Connection is one established chaincode stream. Its methods are safe for
// concurrent use; any number of transactions may execute at once.
type Connection struct {
	chaincodeID string
	namespace   string
	conn        *grpc.ClientConn
	stream      peer.Chaincode_ConnectClient
	cancel      context.CancelFunc

	sendMu sync.Mutex

	mu  sync.Mutex
	txs map[string]*transaction

	done      chan struct{}
	closeOnce sync.Once
	err       error
}

// Dial connects to the chaincode server at address, opens the
// /protos.Chaincode/Connect stream and completes the handshake: it waits for
// the chaincode's REGISTER and answers REGISTERED then READY. ctx bounds the
// dial and the handshake only, not the connection's lifetime.
func Dial(ctx context.Context, address string, opts ...DialOption) (*Connection, error) {
	cfg := &dialConfig{}
	for _, opt := range opts {
		opt(cfg)
	}
	conn, err := grpc.NewClient(address, cfg.grpcOptions()...)
	if err != nil {
		return nil, fmt.Errorf("create chaincode client for %s: %w", address, err)
	}
	streamCtx, cancel := context.WithCancel(context.Background())
	c := &Connection{conn: conn, cancel: cancel, txs: map[string]*transaction{}, done: make(chan struct{})}

	// The stream outlives ctx, so ctx cancels it only while the handshake runs.
	stop := context.AfterFunc(ctx, cancel)
	err = c.handshake(streamCtx, cfg)
	if !stop() && err == nil {
		err = ctx.Err()
	}
	if err != nil {
		cancel()
		_ = conn.Close()
		return nil, fmt.Errorf("connect to chaincode at %s: %w", address, err)
	}
	go c.receive()
	return c, nil
}

func (c *Connection) handshake(ctx context.Context, cfg *dialConfig) error {
	stream, err := peer.NewChaincodeClient(c.conn).Connect(ctx)
	if err != nil {
		return fmt.Errorf("open stream: %w", err)
	}
	c.stream = stream
	msg, err := stream.Recv()
	if err != nil {
		return fmt.Errorf("receive REGISTER: %w", err)
	}
	if msg.GetType() != peer.ChaincodeMessage_REGISTER {
		return fmt.Errorf("expected REGISTER, received %s", msg.GetType())
	}
	id := &peer.ChaincodeID{}
	if err := proto.Unmarshal(msg.GetPayload(), id); err != nil {
		return fmt.Errorf("unmarshal REGISTER chaincode ID: %w", err)
	}
	if id.GetName() == "" {
		return errors.New("REGISTER carries no chaincode ID")
	}
	if cfg.chaincodeID != "" && id.GetName() != cfg.chaincodeID {
		return fmt.Errorf("peer will not accept external chaincode connection %s (expected %s)", id.GetName(), cfg.chaincodeID)
	}
	c.chaincodeID = id.GetName()
	c.namespace = cfg.namespaceFor(id.GetName())
	if err := c.send(&peer.ChaincodeMessage{Type: peer.ChaincodeMessage_REGISTERED}); err != nil {
		return err
	}
	ready, err := readyPayload()
	if err != nil {
		return err
	}
	return c.send(&peer.ChaincodeMessage{Type: peer.ChaincodeMessage_READY, Payload: ready})
}

// ChaincodeID returns the ID the chaincode registered with.
func (c *Connection) ChaincodeID() string { return c.chaincodeID }

// Namespace returns the ledger namespace the chaincode's state lives in.
func (c *Connection) Namespace() string { return c.namespace }

// Done is closed when the connection ends; Err then says why.
func (c *Connection) Done() <-chan struct{} { return c.done }

// Err returns why the connection ended, or nil while it is open.
func (c *Connection) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

// Close ends the stream; transactions still running fail with
// [ErrConnectionClosed].
func (c *Connection) Close() error {
	c.shutdown(fmt.Errorf("%w: closed by the peer", ErrConnectionClosed))
	return nil
}

func (c *Connection) shutdown(reason error) {
	c.closeOnce.Do(func() {
		c.err = reason
		close(c.done)
		c.cancel()
		_ = c.conn.Close()
	})
}

// send serialises writes to the stream, which gRPC requires.
func (c *Connection) send(msg *peer.ChaincodeMessage) error {
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	if err := c.stream.Send(msg); err != nil {
		return fmt.Errorf("send %s for transaction %s: %w", msg.GetType(), shortTxID(msg.GetTxid()), err)
	}
	return nil
}

// receive is the single reader of the stream: it hands every message to the
// transaction it belongs to until the stream breaks.
func (c *Connection) receive() {
	for {
		msg, err := c.stream.Recv()
		if err != nil {
			c.shutdown(fmt.Errorf("%w: chaincode %s stream broke: %v", ErrConnectionClosed, c.chaincodeID, err))
			return
		}
		c.dispatch(msg)
	}
}

func (c *Connection) dispatch(msg *peer.ChaincodeMessage) {
	if msg.GetType() == peer.ChaincodeMessage_KEEPALIVE {
		return
	}
	isReply := msg.GetType() == peer.ChaincodeMessage_COMPLETED || msg.GetType() == peer.ChaincodeMessage_ERROR
	c.mu.Lock()
	tx := c.txs[txKey(msg.GetChannelId(), msg.GetTxid())]
	c.mu.Unlock()
	if tx != nil {
		select {
		case tx.inbox <- msg:
			return
		case <-tx.finished:
		}
	}
	if isReply {
		return // the transaction already gave up waiting
	}
	// Every request must be answered, or the shim waits forever.
	_ = c.send(errorMessage(msg, errors.New("no ledger context")))
}

func (c *Connection) register(tx *transaction) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := txKey(tx.channel, tx.txID)
	if c.txs[key] != nil {
		return fmt.Errorf("txid: %s(%s) exists", tx.txID, tx.channel)
	}
	c.txs[key] = tx
	return nil
}

func (c *Connection) unregister(tx *transaction) {
	c.mu.Lock()
	delete(c.txs, txKey(tx.channel, tx.txID))
	c.mu.Unlock()
	close(tx.finished)
	tx.closeQueries()
}

func (c *Connection) closedErr() error {
	<-c.done
	return c.err
}

func txKey(channel, txID string) string { return channel + "\x00" + txID }

func shortTxID(txID string) string {
	if len(txID) < 8 {
		return txID
	}
	return txID[:8]
}
