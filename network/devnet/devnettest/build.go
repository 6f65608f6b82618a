package devnettest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sync"
	"syscall"
)

// BuildCached compiles the main package pkg (an import path) into a directory of
// the user's cache that belongs to this checkout of the module, and returns the
// executable's path. go build leaves an executable that is already up to date
// untouched, so only the first test run after a change links it; a file lock
// keeps test processes that build the same command at once from writing it
// together. A process builds each command once: later calls return the first
// call's result without running go build again. TestMain functions call it;
// tests call [Build].
func BuildCached(pkg string) (string, error) {
	once, _ := builds.LoadOrStore(pkg, &cachedBuild{})
	b := once.(*cachedBuild)
	b.once.Do(func() { b.binary, b.err = buildCached(pkg) })
	return b.binary, b.err
}

// cachedBuild is the one build of a command in this process.
type cachedBuild struct {
	once   sync.Once
	binary string
	err    error
}

// builds holds this process's builds, by package.
var builds sync.Map

func buildCached(pkg string) (string, error) {
	root, dir, err := checkoutCacheDir("scfledger-warrants-test-bin")
	if err != nil {
		return "", fmt.Errorf("build %s: %w", pkg, err)
	}
	binary := filepath.Join(dir, path.Base(pkg))
	unlock, err := lockFile(binary + ".lock")
	if err != nil {
		return "", fmt.Errorf("build %s: %w", pkg, err)
	}
	defer unlock()
	build := exec.Command("go", "build", "-o", binary, pkg)
	build.Dir = root
	if output, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build %s: %w: %s", pkg, err, output)
	}
	return binary, nil
}

// checkoutCacheDir is the directory kind of the user's cache (the temporary
// directory without one) that belongs to this checkout of the module, created
// if missing, and the module's root.
func checkoutCacheDir(kind string) (root, dir string, err error) {
	if root, err = moduleRoot(); err != nil {
		return "", "", err
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	sum := sha256.Sum256([]byte(root))
	dir = filepath.Join(base, kind, hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("cache directory: %w", err)
	}
	return root, dir, nil
}

// lockFile takes the exclusive lock of the file path (created if missing),
// which other processes wait for, and returns its release.
func lockFile(path string) (unlock func(), err error) {
	lock, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		lock.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { lock.Close() }, nil
}

// moduleRoot is the directory of the go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("module root: no go.mod above the working directory")
		}
		dir = parent
	}
}
