package devnettest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/scfledger/warrants/network/devnet/config"
	"github.com/scfledger/warrants/network/devnet/internal/crypto"
)

// sharedCryptoVersion changes when the layout of the shared material changes,
// so that material of an older layout is never linked.
const sharedCryptoVersion = "1"

// sharedCrypto remembers, by key, the shared material this process checked.
var sharedCrypto sync.Map

// ShareCrypto gives the network directory dir (created if missing) the crypto
// material of cfg's organisations and users as symbolic links into one copy,
// which every network of the same organisations and users shares: generated
// once per checkout of the module under the user's cache, it spares each
// network generating keys and certificates and creating their hundreds of
// files. The network loads the material through the links, finds it complete
// and writes nothing into it; its own files (profiles, ledgers) and the
// material of an org added later are its own. Only tests that need no fresh
// keys share material; a directory already holding material keeps it.
func ShareCrypto(dir string, cfg *config.Network) error {
	specs := crypto.SpecsOf(cfg)
	template, err := sharedMaterial(specs)
	if err != nil {
		return fmt.Errorf("shared crypto material: %w", err)
	}
	for _, spec := range specs {
		from, to := crypto.OrgDir(template, spec), crypto.OrgDir(dir, spec)
		entries, err := os.ReadDir(from)
		if err != nil {
			return fmt.Errorf("shared crypto material: %w", err)
		}
		if err := os.MkdirAll(to, 0o755); err != nil {
			return fmt.Errorf("shared crypto material: %w", err)
		}
		for _, entry := range entries {
			err := os.Symlink(filepath.Join(from, entry.Name()), filepath.Join(to, entry.Name()))
			if err != nil && !errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("shared crypto material: %w", err)
			}
		}
	}
	return nil
}

// sharedMaterial returns the directory of the shared material of specs,
// generating it first if no process did: into a directory of its own, renamed
// into place once complete, under a lock that other processes wait for.
func sharedMaterial(specs []crypto.OrgSpec) (string, error) {
	description, err := json.Marshal(specs)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(append([]byte(sharedCryptoVersion+"\n"), description...))
	key := hex.EncodeToString(sum[:12])
	if dir, ok := sharedCrypto.Load(key); ok {
		return dir.(string), nil
	}
	_, cache, err := checkoutCacheDir("scfledger-warrants-test-crypto")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, key)
	unlock, err := lockFile(dir + ".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		partial, err := os.MkdirTemp(cache, key+".partial-")
		if err != nil {
			return "", err
		}
		defer os.RemoveAll(partial)
		if _, err := crypto.Generate(partial, specs); err != nil {
			return "", err
		}
		if err := os.Rename(partial, dir); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	sharedCrypto.Store(key, dir)
	return dir, nil
}
