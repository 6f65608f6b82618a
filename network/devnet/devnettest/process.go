package devnettest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
)

// Process is one run of "devnet up" on the Runner's directory.
type Process struct {
	runner    *Runner
	cmd       *exec.Cmd
	addresses map[string]string // MSP ID → peer address
	logPath   string            // the process's standard error
	exited    chan struct{}

	mu    sync.Mutex
	conns []*grpc.ClientConn
}

// Start runs "devnet up" and returns once the command printed every peer's
// address and "devnet ready". The process is killed when the test ends, if
// it still runs.
func (r *Runner) Start(t testing.TB) *Process {
	t.Helper()
	r.starts++
	p := &Process{runner: r, addresses: map[string]string{}, exited: make(chan struct{})}
	p.logPath = filepath.Join(r.workDir, fmt.Sprintf("devnet-%d.log", r.starts))
	log, err := os.Create(p.logPath)
	require.NoError(t, err, "devnet log")
	defer log.Close()
	p.cmd = exec.Command(r.binary, "up", "--config", r.configPath, "--dir", r.dir, "--plaintext", "--free-ports")
	p.cmd.Stderr = log
	stdout, err := p.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start(), "start devnet")
	t.Cleanup(p.Kill)
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()

	ready := make(chan error, 1)
	go func() { ready <- p.readEndpoints(stdout) }()
	select {
	case err := <-ready:
		require.NoError(t, err, "devnet output: %s", p.Output())
	case <-time.After(time.Duration(r.timeouts().Startup)):
		require.FailNow(t, "devnet was not ready in time", "waited %s; devnet output: %s", r.timeouts().Startup, p.Output())
	}
	for _, org := range r.cfg.Orgs {
		require.NotEmpty(t, p.addresses[org.MSPID], "address of the peer of %s", org.MSPID)
	}
	return p
}

// readEndpoints reads the lines "peer <MSP ID> <address> ..." up to the
// line "devnet ready ...", then discards the rest of the output.
func (p *Process) readEndpoints(stdout io.Reader) error {
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		line := lines.Text()
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 3 && fields[0] == "peer":
			p.addresses[fields[1]] = fields[2]
		case strings.HasPrefix(line, "devnet ready"):
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return nil
		}
	}
	return errors.Join(errors.New("devnet ended before it was ready"), lines.Err())
}

// PeerAddress is the host:port where the peer of an org serves, or "" for
// an MSP ID without a peer.
func (p *Process) PeerAddress(mspID string) string { return p.addresses[mspID] }

// Output is what the process wrote to its standard error so far: its log
// and the output of the chaincodes it launched.
func (p *Process) Output() string {
	output, err := os.ReadFile(p.logPath)
	if err != nil {
		return fmt.Sprintf("(unreadable: %v)", err)
	}
	return string(output)
}

// Kill ends the process with SIGKILL, waits for it to exit and closes the
// client connections opened with [Process.Connect]. It may be called more
// than once, from any goroutine.
func (p *Process) Kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
	p.closeConns()
}

// Stop closes the client connections, asks the network to stop with SIGTERM
// and requires the process to exit successfully.
func (p *Process) Stop(t testing.TB) {
	t.Helper()
	p.closeConns()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM), "stop devnet")
	select {
	case <-p.exited:
	case <-time.After(time.Duration(p.runner.timeouts().Shutdown)):
		require.FailNow(t, "devnet did not stop in time", "waited %s; devnet output: %s", p.runner.timeouts().Shutdown, p.Output())
	}
	require.True(t, p.cmd.ProcessState.Success(), "devnet exited with %s; output: %s", p.cmd.ProcessState, p.Output())
}

func (p *Process) closeConns() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, conn := range p.conns {
		_ = conn.Close()
	}
	p.conns = nil
}
