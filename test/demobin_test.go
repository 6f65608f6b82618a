package test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/devnettest"
)

// demoBinaries are the executables scripts/demo.sh builds into the repository's
// bin/, by file name, and the main packages they are built from.
var demoBinaries = map[string]string{
	"devnet":            devnettest.DevnetCommand,
	"warrant-chaincode": "github.com/scfledger/warrants/chaincode",
	"warrantctl":        "github.com/scfledger/warrants/client/cmd/warrantctl",
}

var (
	demoBinariesOnce sync.Once
	demoBinariesErr  error
)

// prepareDemoBinaries puts up-to-date demo executables into bin/ once per test
// run, from the executables cached across runs (devnettest.BuildCached), and the
// demo tests run scripts/demo.sh with DEMO_PREBUILT=1: the tests running the demo
// at once then neither build the same commands each nor write the same files
// together.
func prepareDemoBinaries(t *testing.T) {
	t.Helper()
	demoBinariesOnce.Do(func() { demoBinariesErr = copyDemoBinaries(filepath.Join("..", "bin")) })
	require.NoError(t, demoBinariesErr)
}

func copyDemoBinaries(bin string) error {
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return fmt.Errorf("demo executables: %w", err)
	}
	for name, pkg := range demoBinaries {
		cached, err := devnettest.BuildCached(pkg)
		if err != nil {
			return fmt.Errorf("demo executable %s: %w", name, err)
		}
		if err := copyExecutable(cached, filepath.Join(bin, name)); err != nil {
			return fmt.Errorf("demo executable %s: %w", name, err)
		}
	}
	return nil
}

// copyExecutable copies the executable from to the path to, replacing it at once.
func copyExecutable(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if err := os.Chmod(out.Name(), 0o755); err != nil {
		return err
	}
	return os.Rename(out.Name(), to)
}
