package chaincode_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
)

// syncBuffer is a bytes.Buffer safe for the Supervisor's output goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func supervisedInvoke(t *testing.T, s *chaincode.Supervisor, c *client, store *memStore, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	txID, signed, input := c.proposal(t, testChaincode, args...)
	response, _, err := s.Execute(ctx, testChaincode, testChannel, txID, signed, input, store.simulator(txID))
	require.NoError(t, err)
	require.EqualValues(t, 200, response.GetStatus(), response.GetMessage())
	return response.GetPayload()
}

func awaitConnection(t *testing.T, s *chaincode.Supervisor) *chaincode.Connection {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := s.Connection(ctx, testChaincode)
	require.NoError(t, err)
	return conn
}

func TestSupervisorReconnectsToRestartedChaincode(t *testing.T) {
	address := freeAddress(t)
	first := startChaincode(t, address)
	s := chaincode.NewSupervisor(chaincode.WithBackoff(10*time.Millisecond, 100*time.Millisecond))
	defer s.Close()
	require.NoError(t, s.Add(chaincode.Spec{Name: testChaincode, Version: "1.0", Address: address}))
	c, store := newClient(t), newMemStore()

	supervisedInvoke(t, s, c, store, "Put", "k", "v")
	conn := awaitConnection(t, s)
	require.NoError(t, first.Process.Kill())
	_ = first.Wait()
	<-conn.Done()
	require.ErrorIs(t, conn.Err(), chaincode.ErrConnectionClosed)

	startChaincode(t, address)
	require.Equal(t, []byte("v"), supervisedInvoke(t, s, c, store, "Get", "k"))
}

func TestSupervisorLaunchesAndRelaunches(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	script := "echo started; echo $$ > " + pidFile + "; exec " + testccBinary
	output := &syncBuffer{}
	s := chaincode.NewSupervisor(chaincode.WithOutput(output), chaincode.WithBackoff(10*time.Millisecond, 100*time.Millisecond))
	require.NoError(t, s.Add(chaincode.Spec{Name: testChaincode, Version: "1.0", Address: freeAddress(t), Command: []string{"sh", "-c", script}}))
	c, store := newClient(t), newMemStore()

	supervisedInvoke(t, s, c, store, "Put", "k", "v")
	conn := awaitConnection(t, s)
	require.Equal(t, "asset:1.0", conn.ChaincodeID())
	require.Contains(t, output.String(), "[asset] started\n")

	firstPID := readPID(t, pidFile)
	require.NoError(t, syscall.Kill(firstPID, syscall.SIGKILL))
	<-conn.Done()
	require.Equal(t, []byte("v"), supervisedInvoke(t, s, c, store, "Get", "k"))
	secondPID := readPID(t, pidFile)
	require.NotEqual(t, firstPID, secondPID)
	require.Contains(t, output.String(), "relaunching")

	require.NoError(t, s.Close())
	require.ErrorIs(t, syscall.Kill(secondPID, 0), syscall.ESRCH, "chaincode still running after Close")
}

func readPID(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	require.NoError(t, err)
	return pid
}

func TestSupervisorRejections(t *testing.T) {
	s := chaincode.NewSupervisor()
	address := freeAddress(t)
	require.NoError(t, s.Add(chaincode.Spec{Name: testChaincode, Address: address}))

	t.Run("Rejects an incomplete spec", func(t *testing.T) {
		require.Error(t, s.Add(chaincode.Spec{Name: "x"}))
	})

	t.Run("Rejects a name added twice", func(t *testing.T) {
		require.ErrorContains(t, s.Add(chaincode.Spec{Name: testChaincode, Address: address}), "already added")
	})

	t.Run("Rejects an unknown chaincode", func(t *testing.T) {
		_, err := s.Connection(context.Background(), "unknown")
		require.ErrorIs(t, err, chaincode.ErrUnknownChaincode)
	})

	t.Run("Gives up waiting when the context ends", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := s.Connection(ctx, testChaincode)
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})

	t.Run("Rejects use after Close", func(t *testing.T) {
		require.NoError(t, s.Close())
		require.ErrorIs(t, s.Add(chaincode.Spec{Name: "other", Address: address}), chaincode.ErrSupervisorClosed)
		_, err := s.Connection(context.Background(), testChaincode)
		require.ErrorIs(t, err, chaincode.ErrSupervisorClosed)
	})
}
