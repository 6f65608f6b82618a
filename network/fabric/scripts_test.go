package fabric_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// shellScripts lists the shell scripts of scripts/ and network/fabric, relative
// to the repository root.
func shellScripts(t *testing.T) []string {
	t.Helper()
	root := repoRoot(t)
	var scripts []string
	for _, dir := range []string{"scripts", "network/fabric"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, entry fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !entry.IsDir() && strings.HasSuffix(path, ".sh") {
				rel, err := filepath.Rel(root, path)
				if err != nil {
					return err
				}
				scripts = append(scripts, rel)
			}
			return nil
		})
		require.NoError(t, err)
	}
	return scripts
}

// runScript runs a bash command line in dir with exactly the given environment and
// returns its combined output and exit code.
func runScript(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.ExitCode()
	}
	require.NoError(t, err, "run %s %v", name, args)
	return out.String(), 0
}

// baseEnv is a minimal environment: system tools only, no Fabric, no Docker daemon.
func baseEnv(t *testing.T) []string {
	return []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "DOCKER_HOST=unix:///nonexistent/docker.sock"}
}

func TestShellScriptsPassShellcheck(t *testing.T) {
	t.Parallel()
	scripts := shellScripts(t)
	require.Subset(t, scripts, []string{
		"scripts/network.sh", "network/fabric/fabric-ca/registerEnroll.sh", "network/fabric/scripts/utils.sh",
		"network/fabric/scripts/envvar.sh", "network/fabric/scripts/prereq.sh", "network/fabric/scripts/channel.sh",
		"network/fabric/scripts/ccaas.sh",
	})
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Skip("shellcheck is not installed: the scripts were not checked (CI installs it)")
	}
	// One shellcheck run checks every script (each with the files it sources), in
	// the gcc format: one finding a line, led by its file's name.
	out, code := runScript(t, repoRoot(t), baseEnv(t), "shellcheck", append([]string{"-x", "-s", "bash", "-f", "gcc"}, scripts...)...)
	for _, script := range scripts {
		t.Run(script+" has no shellcheck findings", func(t *testing.T) {
			var findings []string
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, script+":") {
					findings = append(findings, line)
				}
			}
			require.Empty(t, findings)
		})
	}
	require.Zero(t, code, out)
}

func TestNetworkScriptHelpListsTheVerbs(t *testing.T) {
	t.Parallel()
	for _, flag := range []string{"--help", "-h", "help"} {
		t.Run("'"+flag+"' prints the usage and exits 0", func(t *testing.T) {
			out, code := runScript(t, repoRoot(t), baseEnv(t), "bash", "scripts/network.sh", flag)
			require.Zero(t, code, out)
			for _, verb := range []string{"prereq", "up", "createChannel", "deployCCAAS", "down", "dev up|down|reset|status", "-ca", "-s <dbtype>"} {
				require.Contains(t, out, verb)
			}
		})
	}
}

func TestNetworkScriptRejectsBadInvocations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "no verb is rejected", args: nil, want: "Usage:"},
		{name: "an unknown verb is rejected", args: []string{"start"}, want: "unknown verb 'start'"},
		{name: "an unknown flag is rejected", args: []string{"up", "-x"}, want: "unknown flag '-x'"},
		{name: "an unknown state database is rejected", args: []string{"up", "-s", "mysql"}, want: "unknown state database 'mysql'"},
		{name: "a flag without its value is rejected", args: []string{"createChannel", "-c"}, want: "flag -c needs a value"},
		{name: "an unknown dev verb is rejected", args: []string{"dev", "start"}, want: "dev needs one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := runScript(t, repoRoot(t), baseEnv(t), "bash", append([]string{"scripts/network.sh"}, tt.args...)...)
			require.NotZero(t, code, out)
			require.Contains(t, out, tt.want)
		})
	}
}

func TestPrereqNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	out, code := runScript(t, repoRoot(t), baseEnv(t), "bash", "scripts/network.sh", "prereq")
	require.NotZero(t, code, out)
	require.Contains(t, out, "missing: docker")
	for _, tool := range []string{"peer", "orderer", "configtxgen", "osnadmin", "fabric-ca-client"} {
		require.Contains(t, out, "missing: "+tool+": not on PATH", "prereq names %s", tool)
	}
	require.Contains(t, out, "install-fabric.sh", "prereq says how to get the binaries")
	require.Contains(t, out, "prerequisite(s) missing")
}

func TestSetGlobalsPointsThePeerCLIAtEachOrg(t *testing.T) {
	t.Parallel()
	const script = `source network/fabric/scripts/utils.sh && source network/fabric/scripts/envvar.sh && setGlobals "$1" &&
printf '%s\n' "$CORE_PEER_LOCALMSPID" "$CORE_PEER_ADDRESS" "$CORE_PEER_TLS_ROOTCERT_FILE" "$CORE_PEER_MSPCONFIGPATH" "$CORE_PEER_TLS_ENABLED"`
	env := append(baseEnv(t), "FABRIC_DIR=/f", "ROOT_DIR=/r")
	for _, org := range network(t).Orgs {
		for _, name := range []string{orgKey(org), org.MSPID} {
			t.Run("setGlobals "+name+" selects the peer of "+org.MSPID, func(t *testing.T) {
				out, code := runScript(t, repoRoot(t), env, "bash", "-c", script, "bash", name)
				require.Zero(t, code, out)
				require.Equal(t, []string{
					org.MSPID,
					"localhost:" + itoa(org.PeerPort),
					"/f/organizations/peerOrganizations/" + org.Domain + "/tlsca/tlsca." + org.Domain + "-cert.pem",
					"/f/organizations/peerOrganizations/" + org.Domain + "/users/Admin@" + org.Domain + "/msp",
					"true",
				}, strings.Split(strings.TrimSpace(out), "\n"))
			})
		}
	}
	t.Run("setGlobals of an unknown org fails", func(t *testing.T) {
		out, code := runScript(t, repoRoot(t), env, "bash", "-c", script, "bash", "Org1MSP")
		require.NotZero(t, code)
		require.Contains(t, out, "unknown organisation 'Org1MSP'")
	})
}
