package chaincode_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/devnettest"
	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
)

const (
	testChaincode = "asset"
	testCCPackage = "github.com/scfledger/warrants/network/devnet/internal/testcc"
)

// testccBinary is the test chaincode, built once for all tests.
var testccBinary string

func TestMain(m *testing.M) {
	var err error
	if testccBinary, err = devnettest.BuildCached(testCCPackage); err != nil {
		fmt.Fprintln(os.Stderr, "test chaincode:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// freeAddress returns a loopback address with a port nobody listens on.
func freeAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// startChaincode runs the test chaincode as a server on address; it is
// killed when the test ends.
func startChaincode(t *testing.T, address string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(testccBinary)
	cmd.Env = append(os.Environ(),
		"CHAINCODE_SERVER_ADDRESS="+address,
		"CORE_CHAINCODE_ID_NAME="+testChaincode+":1.0",
		"CORE_PEER_TLS_ENABLED=false",
	)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd
}

// connect dials the chaincode until its server is up.
func connect(t *testing.T, address string, opts ...chaincode.DialOption) *chaincode.Connection {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		conn, err := chaincode.Dial(ctx, address, opts...)
		if err == nil {
			t.Cleanup(func() { _ = conn.Close() })
			return conn
		}
		select {
		case <-ctx.Done():
			require.NoError(t, err, "chaincode server never came up")
		case <-time.After(20 * time.Millisecond):
		}
	}
}
