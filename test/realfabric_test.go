package test

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	gwidentity "github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/proto"

	scfclient "github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/client/profile"
)

// fabricBinEnv names the directory of the real Fabric binaries (build-fabric.sh's
// output or install-fabric.sh's); the RealFabric tests run only when it is set.
const fabricBinEnv = "FABRIC_BIN"

// nativePortBlock is how many consecutive ports the native network uses, with the
// orgs native addOrg may add.
const nativePortBlock = 55

// requireFabricBin skips the test unless FABRIC_BIN is set.
func requireFabricBin(t *testing.T) {
	t.Helper()
	if os.Getenv(fabricBinEnv) == "" {
		t.Skip("FABRIC_BIN is not set: real Fabric tests need the Fabric binaries (see scripts/network.sh prereq)")
	}
	if testing.Short() {
		t.Skip("brings up a real Fabric network (about a minute)")
	}
}

// nativeNetwork is a native Fabric network of scripts/network.sh.
type nativeNetwork struct {
	dir      string
	basePort int
}

// freeBasePort finds a block of free ports on 127.0.0.1 for a native network.
func freeBasePort(t *testing.T) int {
	t.Helper()
	start := 20000 + (os.Getpid()%100)*nativePortBlock
	for base := start; base < 60000; base += nativePortBlock + 5 {
		if portsFree(base, nativePortBlock) {
			return base
		}
	}
	t.Fatal("no free block of ports for the native network")
	return 0
}

// portsFree reports whether n ports from base can be listened on.
func portsFree(base, n int) bool {
	for port := base; port < base+n; port++ {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil {
			return false
		}
		_ = l.Close()
	}
	return true
}

// networkScript runs scripts/network.sh with args, bounded by a deadline.
func networkScript(t *testing.T, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join("..", "scripts", "network.sh")}, args...)...)
	return cmd.CombinedOutput()
}

// startNative brings up a native network in a temporary directory, with the
// extra flags of `native up` (e.g. --bench), and stops it when the test ends.
func startNative(t *testing.T, flags ...string) *nativeNetwork {
	t.Helper()
	n := &nativeNetwork{dir: filepath.Join(t.TempDir(), "fabric"), basePort: freeBasePort(t)}
	t.Cleanup(func() {
		if t.Failed() {
			logNativeTails(t, n.dir)
		}
		out, err := networkScript(t, "native", "down", "--dir", n.dir)
		if err != nil {
			t.Errorf("native down: %v\n%s", err, out)
		}
	})
	out, err := networkScript(t, append([]string{"native", "up", "--dir", n.dir, "--base-port", strconv.Itoa(n.basePort)}, flags...)...)
	require.NoError(t, err, "native up:\n%s", out)
	return n
}

// dial connects a fabric-gateway client as an identity to its org's peer, through
// the org's connection profile and the user's MSP directory.
func (n *nativeNetwork) dial(id identity) (*client.Gateway, io.Closer, error) {
	return dialProfile(n.dir, id)
}

// dialProfile connects as id to a network whose files (connection profiles and
// crypto material in fabric-samples' layout) are in dir.
func dialProfile(dir string, id identity) (*client.Gateway, io.Closer, error) {
	cfg, err := scfclient.DevnetConfig(dir, id.String())
	if err != nil {
		return nil, nil, err
	}
	p, err := profile.Load(cfg.Profile)
	if err != nil {
		return nil, nil, err
	}
	target, err := p.Target("")
	if err != nil {
		return nil, nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(target.RootPEM) {
		return nil, nil, fmt.Errorf("profile %s: no TLS root of %s", cfg.Profile, target.HostAlias)
	}
	certPEM, err := os.ReadFile(filepath.Join(cfg.MSPDir, "signcerts", "cert.pem"))
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(filepath.Join(cfg.MSPDir, "keystore", "priv_sk"))
	if err != nil {
		return nil, nil, err
	}
	cert, err := gwidentity.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, nil, err
	}
	x509ID, err := gwidentity.NewX509Identity(id.mspID, cert)
	if err != nil {
		return nil, nil, err
	}
	key, err := gwidentity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, err
	}
	sign, err := gwidentity.NewPrivateKeySign(key)
	if err != nil {
		return nil, nil, err
	}
	conn, err := grpc.NewClient(target.Address, grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(roots, target.HostAlias)))
	if err != nil {
		return nil, nil, err
	}
	gw, err := client.Connect(x509ID, client.WithSign(sign), client.WithHash(hash.SHA256), client.WithClientConnection(conn),
		client.WithEvaluateTimeout(30*time.Second), client.WithEndorseTimeout(30*time.Second),
		client.WithSubmitTimeout(30*time.Second), client.WithCommitStatusTimeout(time.Minute))
	if err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	return gw, closers{gw, conn}, nil
}

// closers closes several things in order.
type closers []io.Closer

// Close closes each and returns the first error.
func (c closers) Close() error {
	var first error
	for _, closer := range c {
		if err := closer.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// chainInfo is a peer's ledger height and the hash of its last block.
type chainInfo struct {
	Height uint64
	Hash   string
}

// peerChainInfo asks the peer of id's org for its channel height and last block
// hash (qscc GetChainInfo).
func peerChainInfo(t *testing.T, dial func(identity) (*client.Gateway, io.Closer, error), channel string, id identity) chainInfo {
	t.Helper()
	gw, closer, err := dial(id)
	require.NoError(t, err)
	defer closer.Close()
	result, err := gw.GetNetwork(channel).GetContract("qscc").EvaluateTransaction("GetChainInfo", channel)
	require.NoError(t, err, "GetChainInfo on the peer of %s", id.mspID)
	var info common.BlockchainInfo
	require.NoError(t, proto.Unmarshal(result, &info))
	return chainInfo{Height: info.GetHeight(), Hash: fmt.Sprintf("%x", info.GetCurrentBlockHash())}
}

// requireSameChain polls, within a bounded deadline, until the peers of every org
// report the same height and last block hash, and returns them.
func requireSameChain(t *testing.T, dial func(identity) (*client.Gateway, io.Closer, error), channel string) chainInfo {
	t.Helper()
	var infos []chainInfo
	deadline := time.Now().Add(30 * time.Second)
	for {
		infos = infos[:0]
		for _, id := range []identity{core, bank, assoc} {
			infos = append(infos, peerChainInfo(t, dial, channel, id))
		}
		if infos[0] == infos[1] && infos[1] == infos[2] {
			return infos[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("peers disagree on the chain: %+v", infos)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestRealFabricDemo brings up the native real Fabric network with scripts/demo.sh,
// runs the whole demo story on it through warrantctl, and checks its outcome and
// that the three peers end at the same height and block hash.
func TestRealFabricDemo(t *testing.T) {
	requireFabricBin(t)
	dir := filepath.Join(t.TempDir(), "fabric")
	base := freeBasePort(t)
	t.Cleanup(func() {
		// demo.sh --keep leaves warrantd running beside the native network.
		if pid, err := os.ReadFile(dir + "-warrantd.pid"); err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil {
				if p, err := os.FindProcess(n); err == nil {
					_ = p.Kill()
				}
			}
		}
		if out, err := networkScript(t, "native", "down", "--dir", dir); err != nil {
			t.Errorf("native down: %v\n%s", err, out)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	demo := exec.CommandContext(ctx, "bash", filepath.Join("..", "scripts", "demo.sh"), "--keep")
	demo.Env = append(os.Environ(), "DEMO_DIR="+dir, "DEMO_BASE_PORT="+strconv.Itoa(base), "DEMO_TENOR_SECONDS=120", "DEMO_FREE_PORTS=1")
	output, err := demo.CombinedOutput()
	require.NoError(t, err, "scripts/demo.sh on the native network failed:\n%s", output)
	require.Contains(t, string(output), "Starting the native Fabric network")
	requireDemoOutcome(t, string(output))

	info := requireSameChain(t, func(id identity) (*client.Gateway, io.Closer, error) { return dialProfile(dir, id) }, "warrants")
	t.Logf("all three peers at height %d, last block %s", info.Height, info.Hash)
	require.Greater(t, info.Height, uint64(5), "blocks beyond the genesis block and the chaincode definition")
}

// logNativeTails logs the last lines of every process log of the native network in
// dir, for a failed test, before the network is stopped and its directory removed.
func logNativeTails(t *testing.T, dir string) {
	logs, _ := filepath.Glob(filepath.Join(dir, "logs", "*.log"))
	for _, path := range logs {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		t.Logf("last lines of %s:\n%s", filepath.Base(path), strings.Join(lines[max(0, len(lines)-15):], "\n"))
	}
}

// TestRealFabricNativeNetwork checks what `scripts/network.sh native up` leaves:
// a connection profile and an environment file per org that warrantctl accepts
// (--dir with --as, --profile with --as, the environment variables alone), and
// that `down` stops every process it started.
func TestRealFabricNativeNetwork(t *testing.T) {
	requireFabricBin(t)
	n := startNative(t)
	bin := filepath.Join(t.TempDir(), "warrantctl")
	build := exec.Command("go", "build", "-o", bin, "../client/cmd/warrantctl")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	orgDir := filepath.Join(n.dir, "organizations", "peerOrganizations", "assoc.example.com")
	run := func(env []string, args ...string) string {
		cmd := exec.Command(bin, append([]string{"-o", "table"}, args...)...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "warrantctl %v: %s", args, out)
		return string(out)
	}
	require.Contains(t, run(nil, "--dir", n.dir, "--as", "Jinggong@AssociationMSP", "params"), "maxParts")
	require.Contains(t, run(nil, "--profile", filepath.Join(orgDir, "connection-association.json"), "--as", "User1@AssociationMSP", "params"), "maxParts")

	envFile, err := os.ReadFile(filepath.Join(orgDir, "env-association.sh"))
	require.NoError(t, err)
	for _, name := range []string{"CORE_PEER_LOCALMSPID", "CORE_PEER_MSPCONFIGPATH", "CORE_PEER_ADDRESS", "CORE_PEER_TLS_ROOTCERT_FILE", "PEER_ENDPOINT", "MSP_ID"} {
		require.Contains(t, string(envFile), "export "+name+"=")
	}
	peerEnv := []string{
		"CORE_PEER_LOCALMSPID=AssociationMSP",
		"CORE_PEER_ADDRESS=localhost:" + strconv.Itoa(n.basePort+30),
		"CORE_PEER_TLS_ROOTCERT_FILE=" + filepath.Join(orgDir, "peers", "peer0.assoc.example.com", "tls", "ca.crt"),
		"CORE_PEER_MSPCONFIGPATH=" + filepath.Join(orgDir, "users", "User1@assoc.example.com", "msp"),
	}
	require.Contains(t, run(peerEnv, "params"), "maxParts")

	pids, err := filepath.Glob(filepath.Join(n.dir, "pids", "*.pid"))
	require.NoError(t, err)
	require.Len(t, pids, 9, "4 CAs, the orderer, 3 peers and the chaincode")
	var running []int
	for _, file := range pids {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		pid, err := strconv.Atoi(string(bytes.TrimSpace(data)))
		require.NoError(t, err)
		running = append(running, pid)
	}
	out, err = networkScript(t, "native", "down", "--dir", n.dir)
	require.NoError(t, err, "%s", out)
	for _, pid := range running {
		_, err := os.Stat(filepath.Join("/proc", strconv.Itoa(pid)))
		require.True(t, os.IsNotExist(err), "process %d still runs after down", pid)
	}
	require.NoDirExists(t, n.dir)
}
