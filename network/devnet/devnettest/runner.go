package devnettest

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/scfledger/warrants/network/devnet/config"
)

// DevnetCommand is the import path of the devnet command a [Runner] runs.
const DevnetCommand = "github.com/scfledger/warrants/network/cmd/devnet"

// Build compiles the main package pkg (an import path) once per checkout and
// change ([BuildCached]) and returns the executable's path.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	binary, err := BuildCached(pkg)
	require.NoError(t, err)
	return binary
}

// KillPoint is how many acknowledged transactions a crash test lets commit
// before it kills the network: 30 when it kills once, and a random number
// from 5 to 44 when it kills many times, so that the kills fall at varied
// points of the load.
func KillPoint(kills int) int {
	if kills > 1 {
		return 5 + rand.IntN(40)
	}
	return 30
}

// Runner starts the devnet command on one network directory, again and again.
type Runner struct {
	cfg        *config.Network
	dir        string
	workDir    string // the network description and the logs
	binary     string
	configPath string
	starts     int
}

// NewRunner builds the devnet command and writes cfg for it to read, for a
// network kept in dir, whose orgs and users have the keys and certificates
// every such network shares ([ShareCrypto]). A chaincode of cfg
// either listens on its address already or is launched with its command by
// the network, which kills it when the network dies.
func NewRunner(t testing.TB, cfg *config.Network, dir string) *Runner {
	t.Helper()
	binary := Build(t, DevnetCommand)
	description, err := yaml.Marshal(cfg)
	require.NoError(t, err, "network description")
	workDir := t.TempDir()
	configPath := filepath.Join(workDir, "network.yaml")
	require.NoError(t, os.WriteFile(configPath, description, 0o600))
	require.NoError(t, ShareCrypto(dir, cfg))
	return &Runner{cfg: cfg, dir: dir, workDir: workDir, binary: binary, configPath: configPath}
}

// timeouts are the network's timeouts, defaults filled in.
func (r *Runner) timeouts() config.Timeouts { return r.cfg.Timeouts.WithDefaults() }

// Config is the network description the Runner starts.
func (r *Runner) Config() *config.Network { return r.cfg }

// Dir is the network directory: crypto material, ledgers and blocks.
func (r *Runner) Dir() string { return r.dir }

// LedgerDir is where the peer of an org keeps its ledger.
func (r *Runner) LedgerDir(org config.Org) string { return LedgerDir(r.dir, org) }

// RequireLedgers opens the ledger of every org's peer in turn (no process
// may be running), requires its hash chain to verify, runs check on it and
// closes it; then it requires every peer to hold the same number of blocks
// with the same last block hash.
func (r *Runner) RequireLedgers(t testing.TB, check func(org config.Org, store *Ledger)) {
	t.Helper()
	var heights []uint64
	var lastHashes [][]byte
	for _, org := range r.cfg.Orgs {
		store, err := OpenLedger(r.dir, org)
		require.NoError(t, err, org.MSPID)
		require.NoError(t, store.VerifyChain(), org.MSPID)
		heights = append(heights, store.Height())
		lastHashes = append(lastHashes, store.LastBlockHash())
		check(org, store)
		require.NoError(t, store.Close(), org.MSPID)
	}
	for i := range heights {
		require.Equal(t, heights[0], heights[i], "height of the peer of %s", r.cfg.Orgs[i].MSPID)
		require.Equal(t, lastHashes[0], lastHashes[i], "last block hash of the peer of %s", r.cfg.Orgs[i].MSPID)
	}
}
