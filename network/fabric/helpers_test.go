package fabric_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// fabricDir is this package's directory, network/fabric; tests run in it.
const fabricDir = "."

// repoRoot returns the absolute path of the repository root.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join(fabricDir, "..", ".."))
	require.NoError(t, err)
	return root
}

// network returns the project's network description, the source of truth.
func network(t *testing.T) *config.Network {
	t.Helper()
	return config.Default()
}

// orgKey is the short name of an organisation used by file names and scripts:
// the first label of its domain (core, bank, assoc).
func orgKey(org config.Org) string {
	return strings.SplitN(org.Domain, ".", 2)[0]
}

// decodeYAML reads a YAML file of network/fabric into out.
func decodeYAML(t *testing.T, path string, out any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fabricDir, path))
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, out), "parse %s", path)
}

// readText reads a file of the repository, relative to its root.
func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), path))
	require.NoError(t, err)
	return string(data)
}

// envMap turns a compose environment list (NAME=value) into a map.
func envMap(t *testing.T, env []string) map[string]string {
	t.Helper()
	out := make(map[string]string, len(env))
	for _, entry := range env {
		name, value, ok := strings.Cut(entry, "=")
		require.True(t, ok, "environment entry %q has no '='", entry)
		out[name] = value
	}
	return out
}

// itoa formats a port number.
func itoa(n int) string { return strconv.Itoa(n) }
