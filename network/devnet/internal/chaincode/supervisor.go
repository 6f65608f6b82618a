package chaincode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/scfledger/warrants/network/devnet/config"
)

// Spec describes one chaincode a [Supervisor] manages.
type Spec struct {
	// Name is the chaincode name, which is also its ledger namespace.
	Name string
	// Version is the chaincode version; a launched chaincode registers as Name:Version.
	Version string
	// Address is the host:port the chaincode server listens on.
	Address string
	// Command, when set, is launched (and relaunched when it exits) with
	// CHAINCODE_SERVER_ADDRESS, CORE_CHAINCODE_ID_NAME and CORE_PEER_TLS_ENABLED=false.
	Command []string
	// Env holds extra NAME=value entries for the launched command.
	Env []string
	// ChaincodeID is the ID the chaincode must register with. A launched
	// chaincode defaults to Name:Version; otherwise an empty ID is not checked.
	ChaincodeID string
	// DialOptions are added to every dial (for example [WithTLS]).
	DialOptions []DialOption
}

// registerID is the ID the chaincode is told to register with when launched.
func (s Spec) registerID() string {
	switch {
	case s.ChaincodeID != "":
		return s.ChaincodeID
	case s.Version != "":
		return s.Name + ":" + s.Version
	default:
		return s.Name
	}
}

// SupervisorOption configures a [Supervisor].
type SupervisorOption func(*Supervisor)

// WithOutput sends the output of launched chaincodes to w, each line prefixed
// with "[name] ". Without it, or with a nil w, the output is discarded.
func WithOutput(w io.Writer) SupervisorOption {
	return func(s *Supervisor) {
		if w != nil {
			s.output = w
		}
	}
}

// WithBackoff sets the first and the longest wait between reconnection (and
// relaunch) attempts; the wait doubles after each failure.
func WithBackoff(first, longest time.Duration) SupervisorOption {
	return func(s *Supervisor) { s.minBackoff, s.maxBackoff = first, longest }
}

// WithTimeouts sets how long one connection attempt may take (dial) and how
// long a launched chaincode may take to exit after SIGTERM (stop).
func WithTimeouts(dial, stop time.Duration) SupervisorOption {
	return func(s *Supervisor) { s.dialTimeout, s.stopGrace = dial, stop }
}

// Supervisor keeps one connection per chaincode name, redialling with backoff
// when a stream breaks, and optionally launches the chaincode processes.
type Supervisor struct {
	output     io.Writer
	outMu      sync.Mutex
	minBackoff time.Duration
	maxBackoff time.Duration
	// dialTimeout bounds one connection attempt; stopGrace is how long a
	// launched chaincode may take to exit after SIGTERM.
	dialTimeout time.Duration
	stopGrace   time.Duration

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu         sync.Mutex
	chaincodes map[string]*supervised
}

// NewSupervisor returns a Supervisor managing no chaincode yet.
func NewSupervisor(opts ...SupervisorOption) *Supervisor {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Supervisor{
		output:      io.Discard,
		minBackoff:  config.ChaincodeReconnectMin,
		maxBackoff:  config.ChaincodeReconnectMax,
		dialTimeout: time.Duration(config.DefaultTimeouts.ChaincodeDial),
		stopGrace:   time.Duration(config.DefaultTimeouts.ChaincodeStop),
		ctx:         ctx,
		cancel:      cancel,
		chaincodes:  map[string]*supervised{},
	}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Add starts managing a chaincode: it launches the command if there is one
// and connects in the background. It fails for an incomplete spec, a name
// already managed, or after Close.
func (s *Supervisor) Add(spec Spec) error {
	if spec.Name == "" || spec.Address == "" {
		return errors.New("add chaincode: name and address are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		return fmt.Errorf("add chaincode %s: %w", spec.Name, ErrSupervisorClosed)
	}
	if s.chaincodes[spec.Name] != nil {
		return fmt.Errorf("add chaincode %s: already added", spec.Name)
	}
	if len(spec.Command) > 0 && spec.ChaincodeID == "" {
		spec.ChaincodeID = spec.registerID()
	}
	m := &supervised{spec: spec, changed: make(chan struct{})}
	s.chaincodes[spec.Name] = m
	if len(spec.Command) > 0 {
		s.wg.Add(1)
		go s.keepRunning(m)
	}
	s.wg.Add(1)
	go s.keepConnected(m)
	return nil
}

// Connection waits, bounded by ctx, until the named chaincode is connected.
func (s *Supervisor) Connection(ctx context.Context, name string) (*Connection, error) {
	s.mu.Lock()
	m := s.chaincodes[name]
	s.mu.Unlock()
	if m == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownChaincode, name)
	}
	for {
		conn, changed, lastErr := m.state()
		if conn != nil && conn.Err() == nil {
			return conn, nil
		}
		select {
		case <-changed:
		case <-s.ctx.Done():
			return nil, fmt.Errorf("chaincode %s: %w", name, ErrSupervisorClosed)
		case <-ctx.Done():
			if lastErr != nil {
				return nil, fmt.Errorf("chaincode %s is not connected (last error: %v): %w", name, lastErr, ctx.Err())
			}
			return nil, fmt.Errorf("chaincode %s is not connected: %w", name, ctx.Err())
		}
	}
}

// Execute waits for the named chaincode's connection and runs one transaction
// on it (see [Connection.Execute]).
func (s *Supervisor) Execute(ctx context.Context, name, channel, txID string, signedProposal *peer.SignedProposal, input *peer.ChaincodeInput, sim Simulator) (*peer.Response, *peer.ChaincodeEvent, error) {
	conn, err := s.Connection(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	return conn.Execute(ctx, channel, txID, signedProposal, input, sim)
}

// Close closes every connection and stops every launched chaincode.
func (s *Supervisor) Close() error {
	s.cancel()
	s.wg.Wait()
	return nil
}

// keepConnected dials the chaincode, waits for the stream to break and dials
// again, until the Supervisor closes.
func (s *Supervisor) keepConnected(m *supervised) {
	defer s.wg.Done()
	opts := append([]DialOption{WithNamespace(m.spec.Name), WithChaincodeID(m.spec.ChaincodeID)}, m.spec.DialOptions...)
	backoff := s.minBackoff
	for {
		ctx, cancel := context.WithTimeout(s.ctx, s.dialTimeout)
		conn, err := Dial(ctx, m.spec.Address, opts...)
		cancel()
		if err != nil {
			m.set(nil, err)
			if !s.sleep(backoff) {
				return
			}
			backoff = min(2*backoff, s.maxBackoff)
			continue
		}
		backoff = s.minBackoff
		m.set(conn, nil)
		select {
		case <-conn.Done():
			m.set(nil, conn.Err())
		case <-s.ctx.Done():
			m.set(nil, ErrSupervisorClosed)
			_ = conn.Close()
			return
		}
	}
}

// keepRunning launches the chaincode command and relaunches it when it
// exits, until the Supervisor closes; then it stops the process.
func (s *Supervisor) keepRunning(m *supervised) {
	defer s.wg.Done()
	backoff := s.minBackoff
	for {
		p, err := startProcess(m.spec, s.output, &s.outMu, s.stopGrace)
		if err != nil {
			s.report(m.spec.Name, err.Error())
		} else {
			select {
			case <-p.exited:
				s.report(m.spec.Name, fmt.Sprintf("chaincode process exited (%v); relaunching", p.err))
			case <-s.ctx.Done():
				p.stop()
				return
			}
		}
		if !s.sleep(backoff) {
			return
		}
		backoff = min(2*backoff, s.maxBackoff)
	}
}

func (s *Supervisor) report(name, text string) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	_, _ = fmt.Fprintf(s.output, "[%s] %s\n", name, text)
}

// sleep waits d and reports false if the Supervisor closed meanwhile.
func (s *Supervisor) sleep(d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// supervised is the connection state of one chaincode.
type supervised struct {
	spec Spec

	mu      sync.Mutex
	conn    *Connection
	lastErr error
	changed chan struct{} // closed and replaced on every change
}

func (m *supervised) set(conn *Connection, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.conn, m.lastErr = conn, err
	close(m.changed)
	m.changed = make(chan struct{})
}

func (m *supervised) state() (*Connection, <-chan struct{}, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.conn, m.changed, m.lastErr
}
