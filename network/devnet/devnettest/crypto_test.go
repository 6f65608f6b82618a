package devnettest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
)

// TestShareCrypto: two networks of the same orgs and users link the same
// material, which loads as complete (nothing in it is written again); a network
// whose users differ gets material of its own; the org directories stay the
// networks' own, so that their files (profiles) do not meet.
func TestShareCrypto(t *testing.T) {
	cfg := config.Default()
	first, second := t.TempDir(), t.TempDir()
	require.NoError(t, ShareCrypto(first, cfg))
	require.NoError(t, ShareCrypto(second, cfg))
	require.NoError(t, ShareCrypto(second, cfg), "sharing again into the same directory changes nothing")

	specs := crypto.SpecsOf(cfg)
	for _, spec := range specs {
		firstOrg, secondOrg := crypto.OrgDir(first, spec), crypto.OrgDir(second, spec)
		info, err := os.Lstat(firstOrg)
		require.NoError(t, err)
		require.True(t, info.IsDir(), "%s: the org's directory is the network's own", spec.MSPID)
		for _, entry := range []string{"ca", "tlsca", "msp", "users"} {
			firstTarget, err := os.Readlink(filepath.Join(firstOrg, entry))
			require.NoError(t, err, "%s/%s is a link", spec.MSPID, entry)
			secondTarget, err := os.Readlink(filepath.Join(secondOrg, entry))
			require.NoError(t, err)
			require.Equal(t, firstTarget, secondTarget, "%s/%s: one copy for both networks", spec.MSPID, entry)
		}
	}

	template := filepath.Dir(filepath.Dir(filepath.Dir(mustReadlink(t, filepath.Join(crypto.OrgDir(first, specs[0]), "ca")))))
	before := modTimes(t, template)
	material, err := crypto.Generate(first, specs)
	require.NoError(t, err, "the shared material loads")
	require.Len(t, material.Orgs, len(specs))
	require.Equal(t, before, modTimes(t, template), "loading writes nothing into the shared material")

	other := config.Default()
	other.Orgs[0].Users = append(other.Orgs[0].Users, config.User{Name: "Clerk"})
	third := t.TempDir()
	require.NoError(t, ShareCrypto(third, other))
	require.NotEqual(t, mustReadlink(t, filepath.Join(crypto.OrgDir(first, specs[0]), "ca")),
		mustReadlink(t, filepath.Join(crypto.OrgDir(third, specs[0]), "ca")), "other users, other material")
}

func mustReadlink(t *testing.T, path string) string {
	t.Helper()
	target, err := os.Readlink(path)
	require.NoError(t, err)
	return target
}

// modTimes maps every file under dir to its modification time.
func modTimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	times := map[string]time.Time{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		info, err := entry.Info()
		if err != nil {
			return err
		}
		times[path] = info.ModTime()
		return nil
	}))
	require.NotEmpty(t, times)
	return times
}
