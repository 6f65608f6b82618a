package test

import (
	"bufio"
	"bytes"
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

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	signing "github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// buildWarrantNode builds the warrantnode command into dir and returns its path.
func buildWarrantNode(t *testing.T, dir string) string {
	t.Helper()
	binary := filepath.Join(dir, "warrantnode")
	output, err := exec.Command("go", "build", "-o", binary, "./internal/warrantnode").CombinedOutput()
	require.NoError(t, err, "build warrantnode: %s", output)
	return binary
}

// warrantNode is the network running in a warrantnode process.
type warrantNode struct {
	cmd       *exec.Cmd
	dir       string
	addresses map[string]string
	stderr    *lockedBuffer
	exited    chan struct{}
}

// lockedBuffer is a buffer a process writes while the test may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startWarrantNode starts the network on dir and waits until it is ready.
func startWarrantNode(t *testing.T, binary, dir string) *warrantNode {
	t.Helper()
	node := &warrantNode{dir: dir, addresses: map[string]string{}, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	node.cmd = exec.Command(binary, "-dir", dir)
	node.cmd.Stderr = node.stderr
	stdout, err := node.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, node.cmd.Start())
	t.Cleanup(node.kill)

	ready := make(chan error, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			fields := strings.Fields(lines.Text())
			switch {
			case len(fields) == 3 && fields[0] == "peer":
				node.addresses[fields[1]] = fields[2]
			case len(fields) == 1 && fields[0] == "ready":
				ready <- nil
				_, _ = io.Copy(io.Discard, stdout)
				return
			}
		}
		ready <- errors.New("warrantnode ended before it was ready")
	}()
	go func() {
		_ = node.cmd.Wait()
		close(node.exited)
	}()
	select {
	case err := <-ready:
		require.NoError(t, err, "stderr: %s", node.stderr)
	case <-time.After(2 * time.Minute):
		require.FailNow(t, "warrantnode was not ready within two minutes", "stderr: %s", node.stderr)
	}
	return node
}

// chain drives the warrant chaincode on the node; its connections close with
// the node's kill or stop only through the chain's own close.
func (n *warrantNode) chain(t *testing.T) *chain {
	return newChainWith(t, testConfig().Channel, n.dial, nil)
}

// dial connects a user to its org's peer without TLS, reading the user's
// credentials from the fabric-samples layout under the network directory.
func (n *warrantNode) dial(id identity) (*client.Gateway, io.Closer, error) {
	org, err := testConfig().Org(id.mspID)
	if err != nil {
		return nil, nil, err
	}
	mspDir := filepath.Join(n.dir, "organizations", "peerOrganizations", org.Domain, "users", id.user+"@"+org.Domain, "msp")
	certPEM, err := os.ReadFile(filepath.Join(mspDir, "signcerts", "cert.pem"))
	if err != nil {
		return nil, nil, fmt.Errorf("certificate of %s: %w", id, err)
	}
	keyPEM, err := os.ReadFile(filepath.Join(mspDir, "keystore", "priv_sk"))
	if err != nil {
		return nil, nil, fmt.Errorf("key of %s: %w", id, err)
	}
	cert, err := signing.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, nil, err
	}
	x509ID, err := signing.NewX509Identity(id.mspID, cert)
	if err != nil {
		return nil, nil, err
	}
	key, err := signing.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, err
	}
	sign, err := signing.NewPrivateKeySign(key)
	if err != nil {
		return nil, nil, err
	}
	conn, err := grpc.NewClient(n.addresses[id.mspID], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, nil, fmt.Errorf("dial peer of %s: %w", id.mspID, err)
	}
	gw, err := client.Connect(x509ID, client.WithSign(sign), client.WithHash(hash.SHA256), client.WithClientConnection(conn),
		client.WithEvaluateTimeout(30*time.Second), client.WithEndorseTimeout(30*time.Second),
		client.WithSubmitTimeout(30*time.Second), client.WithCommitStatusTimeout(30*time.Second))
	if err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("connect %s: %w", id, err)
	}
	return gw, conn, nil
}

// kill ends the node with SIGKILL and waits for it to exit.
func (n *warrantNode) kill() {
	_ = n.cmd.Process.Signal(syscall.SIGKILL)
	<-n.exited
}

// stop asks the node to close the network and waits for it to exit cleanly.
func (n *warrantNode) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, n.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-n.exited:
	case <-time.After(time.Minute):
		require.FailNow(t, "warrantnode did not stop")
	}
	require.True(t, n.cmd.ProcessState.Success(), "stderr: %s", n.stderr)
}
