package fabric_test

import (
	"bufio"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// stubTool stands in for docker, go and the Fabric CLIs: it logs each call as a
// line of fields separated by 0x1f (tool, the peer CLI's MSP, CHAINCODE_ID, then
// the arguments) and answers the
// queries the scripts make like the real tool. fabric-ca-client enroll writes an
// MSP directory as the real one does.
const stubTool = `#!/usr/bin/env bash
name=${0##*/}
{
  printf '%s' "$name" $'\x1f' "${CORE_PEER_LOCALMSPID:-}" $'\x1f' "${CHAINCODE_ID:-}"
  printf '\x1f%s' "$@"
  printf '\n'
} >>"$STUB_LOG"
case "$name $*" in
  "docker inspect"*) echo true ;;
  "peer lifecycle chaincode calculatepackageid"*) echo "warrant_1.0:0123abcd" ;;
  "peer lifecycle chaincode queryinstalled"*) echo '{"installed_chaincodes": []}' ;;
  "peer lifecycle chaincode querycommitted"*"--output json"*) exit 1 ;;
  "peer lifecycle chaincode checkcommitreadiness"*)
    echo '{"approvals": {"CoreEnterpriseMSP": true, "BankMSP": true, "AssociationMSP": true}}' ;;
  "fabric-ca-client enroll"*)
    dir="${FABRIC_CA_CLIENT_HOME}/msp"
    while (($# > 0)); do
      if [[ "$1" == -M ]]; then dir=$2; fi
      shift
    done
    mkdir -p "$dir/signcerts" "$dir/keystore" "$dir/cacerts" "$dir/tlscacerts"
    echo cert >"$dir/signcerts/cert.pem"
    echo key >"$dir/keystore/0a1b2c_sk"
    echo ca >"$dir/cacerts/localhost.pem"
    echo ca >"$dir/tlscacerts/tls-localhost.pem"
    ;;
esac
exit 0
`

// call is one logged invocation of a stubbed tool.
type call struct {
	Tool string
	MSP  string
	CC   string
	Args []string
}

func (c call) line() string { return c.Tool + " " + strings.Join(c.Args, " ") }

// sandbox is a copy of scripts/ and network/fabric with stubbed tools on PATH.
type sandbox struct {
	root string
	env  []string
	log  string
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq is not installed: the scripts' verbs were not exercised")
	}
	root := t.TempDir()
	for _, dir := range []string{"scripts", "network/fabric"} {
		copyTree(t, filepath.Join(repoRoot(t), dir), filepath.Join(root, dir))
	}
	for _, generated := range []string{"organizations", "channel-artifacts", "build"} {
		require.NoError(t, os.RemoveAll(filepath.Join(root, "network/fabric", generated)))
	}
	writeFile(t, filepath.Join(root, "chaincode/Dockerfile"), "FROM scratch\n", 0o644)
	bin, cfg := t.TempDir(), t.TempDir()
	for _, tool := range []string{"docker", "go", "peer", "osnadmin", "configtxgen", "cryptogen", "fabric-ca-client"} {
		writeFile(t, filepath.Join(bin, tool), stubTool, 0o755)
	}
	writeFile(t, filepath.Join(cfg, "core.yaml"), "peer: {}\n", 0o644)
	log := filepath.Join(t.TempDir(), "calls.log")
	return &sandbox{root: root, log: log, env: []string{
		"PATH=" + bin + ":/usr/bin:/bin", "HOME=" + t.TempDir(), "STUB_LOG=" + log, "FABRIC_CFG_DIR=" + cfg,
	}}
}

// run runs scripts/network.sh with args and returns the stubbed calls it made.
func (s *sandbox) run(t *testing.T, args ...string) []call {
	t.Helper()
	out, code := runScript(t, s.root, s.env, "bash", append([]string{"scripts/network.sh"}, args...)...)
	require.Zero(t, code, out)
	file, err := os.Open(s.log)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	defer file.Close()
	var calls []call
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		fields := strings.Split(scanner.Text(), "\x1f")
		require.GreaterOrEqual(t, len(fields), 3, "log line %q", scanner.Text())
		calls = append(calls, call{Tool: fields[0], MSP: fields[1], CC: fields[2], Args: fields[3:]})
	}
	require.NoError(t, scanner.Err())
	require.NoError(t, os.Remove(s.log))
	return calls
}

// path returns a path inside the sandbox's network/fabric.
func (s *sandbox) path(rel string) string { return filepath.Join(s.root, "network/fabric", rel) }

// find returns the calls whose command line starts with prefix.
func find(calls []call, prefix string) []call {
	var found []call
	for _, c := range calls {
		if strings.HasPrefix(c.line(), prefix) {
			found = append(found, c)
		}
	}
	return found
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if entry.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		info, err := entry.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, info.Mode().Perm())
	})
	require.NoError(t, err)
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), mode))
}
