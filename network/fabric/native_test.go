package fabric_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scfledger/warrants/network/devnet/config"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// nativeHelpers sources the helpers of scripts/network.sh native in a bash -c script.
const nativeHelpers = `source network/fabric/scripts/utils.sh && source network/fabric/scripts/envvar.sh &&
source network/fabric/fabric-ca/registerEnroll.sh && source network/fabric/scripts/profiles.sh &&
source network/fabric/scripts/native.sh && `

func TestNativeConfigtxNamesOnlyLocalhostAndTheBasePorts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := append(baseEnv(t), "ROOT_DIR="+repoRoot(t), "FABRIC_DIR="+filepath.Join(repoRoot(t), "network", "fabric"))
	out, code := runScript(t, repoRoot(t), env, "bash", "-c", nativeHelpers+`nativeLayout "$1" 30000 && writeNativeConfigtx`, "bash", dir)
	require.Zero(t, code, out)

	data, err := os.ReadFile(filepath.Join(dir, "configtx", "configtx.yaml"))
	require.NoError(t, err)
	require.NotContains(t, string(data), "example.com:", "no Docker host:port is left")
	var file configtxFile
	require.NoError(t, yaml.Unmarshal(data, &file))
	profile := file.Profiles[channelProfile]
	require.Equal(t, []string{"localhost:30000"}, profile.Orderer.Organizations[0].OrdererEndpoints)
	require.Equal(t, []consenter{{Host: "localhost", Port: 30000,
		ClientTLSCert: profile.Orderer.EtcdRaft.Consenters[0].ClientTLSCert,
		ServerTLSCert: profile.Orderer.EtcdRaft.Consenters[0].ServerTLSCert}}, profile.Orderer.EtcdRaft.Consenters)
	for i, org := range profile.Application.Organizations {
		require.Equal(t, []anchorPeer{{Host: "localhost", Port: 30010 + 10*i}}, org.AnchorPeers, org.ID)
		require.Equal(t, network(t).Orgs[i].MSPID, org.ID)
	}
	require.Equal(t, loadProfile(t).Orderer.BatchSize, profile.Orderer.BatchSize, "the same batch settings as the Docker path")
	consortium := file.Profiles["ConsortiumChannelUsingRaft"]
	for i, org := range consortium.Application.Organizations {
		require.Equal(t, []anchorPeer{{Host: "localhost", Port: 30010 + 10*i}}, org.AnchorPeers, "consortium: %s", org.ID)
		require.Equal(t, config.Consortium().Orgs[i].MSPID, org.ID)
	}
}

func TestNativeConfigtxTakesTheBatchFlags(t *testing.T) {
	tests := []struct {
		name, timeout, size string
		wantTimeout         string
		wantSize            int
		err                 string
	}{
		{name: "both set", timeout: "200ms", size: "64", wantTimeout: "200ms", wantSize: 64},
		{name: "only the timeout", timeout: "2s", wantTimeout: "2s", wantSize: 100},
		{name: "neither: configtx.yaml's", wantTimeout: "50ms", wantSize: 100},
		{name: "a timeout without unit", timeout: "50", err: "--batch-timeout '50'"},
		{name: "a size of zero", size: "0", err: "--batch-size '0'"},
		{name: "a size that is no number", size: "many", err: "--batch-size 'many'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			env := append(baseEnv(t), "ROOT_DIR="+repoRoot(t), "FABRIC_DIR="+filepath.Join(repoRoot(t), "network", "fabric"))
			script := nativeHelpers + `nativeLayout "$1" 30000 && NATIVE_BATCH_TIMEOUT=$2 NATIVE_BATCH_SIZE=$3 && writeNativeConfigtx`
			out, code := runScript(t, repoRoot(t), env, "bash", "-c", script, "bash", dir, tt.timeout, tt.size)
			if tt.err != "" {
				require.NotZero(t, code, out)
				require.Contains(t, out, tt.err)
				require.NoFileExists(t, filepath.Join(dir, "configtx", "configtx.yaml"), "nothing written")
				return
			}
			require.Zero(t, code, out)
			data, err := os.ReadFile(filepath.Join(dir, "configtx", "configtx.yaml"))
			require.NoError(t, err)
			var file configtxFile
			require.NoError(t, yaml.Unmarshal(data, &file))
			orderer := file.Profiles[channelProfile].Orderer
			require.Equal(t, tt.wantTimeout, orderer.BatchTimeout)
			require.Equal(t, tt.wantSize, orderer.BatchSize.MaxMessageCount)
		})
	}
}

func TestNativeVerbRejectsBadInvocations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "an unknown native verb", args: []string{"native", "start"}, want: "native needs one of"},
		{name: "a base port out of range", args: []string{"native", "up", "--base-port", "80"}, want: "base port '80'"},
		{name: "a base port that is no number", args: []string{"native", "status", "--base-port", "x"}, want: "base port 'x'"},
		{name: "no binaries", args: []string{"native", "up", "--dir", "DIR"}, want: "not found (FABRIC_BIN or PATH)"},
		{name: "a FABRIC_BIN without peer", args: []string{"native", "up", "--dir", "DIR"}, want: "holds no peer binary"},
		{name: "a directory that is not a native network", args: []string{"native", "down", "--dir", "OTHER"}, want: "is not a native warrants network"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			other := filepath.Join(tmp, "other")
			require.NoError(t, os.MkdirAll(other, 0o755))
			env := baseEnv(t)
			if tt.name == "a FABRIC_BIN without peer" {
				env = append(env, "FABRIC_BIN="+tmp)
			}
			args := make([]string, len(tt.args))
			for i, arg := range tt.args {
				args[i] = strings.NewReplacer("OTHER", other, "DIR", filepath.Join(tmp, "net")).Replace(arg)
			}
			out, code := runScript(t, repoRoot(t), env, "bash", append([]string{"scripts/network.sh"}, args...)...)
			require.NotZero(t, code, out)
			require.Contains(t, out, tt.want)
			require.DirExists(t, other, "nothing removed")
		})
	}
}

func TestNativeDownStopsExactlyTheProcessesUpStarted(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "net")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "pids"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".warrants-native"), nil, 0o644))

	var started []*exec.Cmd
	for _, name := range []string{"orderer", "peer0.core.example.com"} {
		cmd := exec.Command("sleep", "300")
		cmd.Env = []string{"FABRIC_CFG_PATH=" + filepath.Join(dir, "config")} // as up starts the nodes
		require.NoError(t, cmd.Start())
		started = append(started, cmd)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "pids", name+".pid"), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644))
	}
	bystander := exec.Command("sleep", "300")
	require.NoError(t, bystander.Start())
	t.Cleanup(func() { _ = bystander.Process.Kill(); _ = bystander.Wait() })
	// A pid file of a process that has exited is skipped, and so is one whose pid
	// now belongs to a process that is not the network's.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pids", "chaincode.pid"), []byte("999999999\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pids", "ca-core.pid"), []byte(strconv.Itoa(bystander.Process.Pid)+"\n"), 0o644))

	exited := make(chan error, len(started))
	for _, cmd := range started {
		go func() { exited <- cmd.Wait() }()
	}
	out, code := runScript(t, repoRoot(t), baseEnv(t), "bash", "scripts/network.sh", "native", "down", "--dir", dir)
	require.Zero(t, code, out)
	for range started {
		select {
		case err := <-exited:
			require.Error(t, err, "stopped by a signal")
		case <-time.After(20 * time.Second):
			t.Fatal("a process of the network still runs after down")
		}
	}
	require.NoError(t, bystander.Process.Signal(syscall.Signal(0)), "a process that is not the network's is left alone")
	require.NoDirExists(t, dir)
	require.Contains(t, out, "Stopping orderer")
}

func TestEnvFilesFollowTheConnectionProfiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	orgDir := filepath.Join(dir, "organizations", "peerOrganizations", "bank.example.com")
	tlsDir := filepath.Join(orgDir, "peers", "peer0.bank.example.com", "tls")
	require.NoError(t, os.MkdirAll(tlsDir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(tlsDir, "ca.crt"), []byte("PEM"), 0o644))
	profile := `{"name":"bank","client":{"organization":"BankMSP"},
"organizations":{"BankMSP":{"mspid":"BankMSP","peers":["peer0.bank.example.com"]}},
"peers":{"peer0.bank.example.com":{"url":"grpcs://localhost:9051","tlsCACerts":{"pem":"PEM"}}},
"channels":{"warrants":{"peers":{"peer0.bank.example.com":{}},"chaincodes":["warrant"]}}}`
	require.NoError(t, os.WriteFile(filepath.Join(orgDir, "connection-bank.json"), []byte(profile), 0o644))

	out, code := runScript(t, repoRoot(t), baseEnv(t), "bash", "scripts/network.sh", "envfiles", "--dir", dir)
	require.Zero(t, code, out)
	script := filepath.Join(orgDir, "env-bank.sh")
	out, code = runScript(t, repoRoot(t), baseEnv(t), "bash", "-c",
		`source "$1" && printf '%s\n' "$CORE_PEER_LOCALMSPID" "$CORE_PEER_ADDRESS" "$CORE_PEER_TLS_ROOTCERT_FILE" "$CORE_PEER_MSPCONFIGPATH" "$CORE_PEER_TLS_ENABLED" "$CHANNEL_NAME" "$CHAINCODE_NAME" "$PEER_ENDPOINT" "$PEER_HOST_ALIAS" "$MSP_ID"`,
		"bash", script)
	require.Zero(t, code, out)
	require.Equal(t, []string{
		"BankMSP", "localhost:9051", filepath.Join(tlsDir, "ca.crt"),
		filepath.Join(orgDir, "users", "User1@bank.example.com", "msp"), "true", "warrants", "warrant",
		"dns:///localhost:9051", "peer0.bank.example.com", "BankMSP",
	}, strings.Split(strings.TrimSpace(out), "\n"), fmt.Sprintf("env file:\n%s", readFile(t, script)))
}

// readFile reads a file for a failure message.
func readFile(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}
