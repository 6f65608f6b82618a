package httpapi

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// Identity is a Fabric identity held by the server: its name in the wallet, the
// enterprise (credit code) its certificate names, and a connected client acting as it.
// Its private key stays in the wallet; nothing serves it.
type Identity struct {
	Name   string
	Entity string
	Client *client.Client
}

// Wallet is the set of identities the server may act as, by name.
type Wallet struct {
	byName map[string]*Identity
}

// NewWallet connects one client per named configuration.
func NewWallet(configs map[string]client.Config, opts ...client.Option) (*Wallet, error) {
	w := &Wallet{byName: make(map[string]*Identity, len(configs))}
	for name, cfg := range configs {
		entity, err := entityOf(cfg)
		if err != nil {
			_ = w.Close()
			return nil, fmt.Errorf("wallet identity %s: %w", name, err)
		}
		c, err := client.Connect(cfg, opts...)
		if err != nil {
			_ = w.Close()
			return nil, fmt.Errorf("wallet identity %s: %w", name, err)
		}
		w.byName[name] = &Identity{Name: name, Entity: entity, Client: c}
	}
	return w, nil
}

// OpenWallet reads a wallet directory: one <name>.json per identity, each a
// client.Config whose relative paths are relative to the directory.
func OpenWallet(dir string, opts ...client.Option) (*Wallet, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("read wallet %s: %w", dir, err)
	}
	configs := make(map[string]client.Config, len(paths))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read wallet: %w", err)
		}
		var cfg client.Config
		if err := json.Unmarshal(data, &cfg); err != nil {
			return nil, fmt.Errorf("wallet entry %s: %w", path, err)
		}
		for _, p := range []*string{&cfg.Profile, &cfg.TLSCertPath, &cfg.CertPath, &cfg.KeyPath, &cfg.MSPDir} {
			if *p != "" && !filepath.IsAbs(*p) {
				*p = filepath.Join(dir, *p)
			}
		}
		configs[strings.TrimSuffix(filepath.Base(path), ".json")] = cfg
	}
	if len(configs) == 0 {
		return nil, fmt.Errorf("wallet %s holds no identity (<name>.json)", dir)
	}
	return NewWallet(configs, opts...)
}

// DevnetWallet holds every user of a dev network kept in dir, named "<User>@<MSPID>".
func DevnetWallet(dir string, opts ...client.Option) (*Wallet, error) {
	users, err := client.DevnetUsers(dir)
	if err != nil {
		return nil, fmt.Errorf("dev network users: %w", err)
	}
	configs := map[string]client.Config{}
	for _, who := range users {
		cfg, err := client.DevnetConfig(dir, who)
		if err != nil {
			return nil, err
		}
		configs[who] = cfg
	}
	if len(configs) == 0 {
		return nil, fmt.Errorf("no dev network users under %s (is the network started there?)", dir)
	}
	return NewWallet(configs, opts...)
}

// Get returns the identity of a name.
func (w *Wallet) Get(name string) (*Identity, bool) {
	id, ok := w.byName[name]
	return id, ok
}

// Names lists the identities in name order.
func (w *Wallet) Names() []string {
	names := make([]string, 0, len(w.byName))
	for name := range w.byName {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Close closes every client.
func (w *Wallet) Close() error {
	var errs []error
	for _, id := range w.byName {
		errs = append(errs, id.Client.Close())
	}
	return errors.Join(errs...)
}

// entityOf reads the enterprise credit code from the identity's certificate
// attributes, as the chaincode does ("" when it names none).
func entityOf(cfg client.Config) (string, error) {
	path := cfg.CertPath
	if path == "" {
		path = filepath.Join(cfg.MSPDir, "signcerts")
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		pems, err := filepath.Glob(filepath.Join(path, "*.pem"))
		if err != nil || len(pems) == 0 {
			return "", fmt.Errorf("no certificate in %s", path)
		}
		sort.Strings(pems)
		path = pems[0]
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read certificate: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return "", fmt.Errorf("certificate %s: no PEM block", path)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return "", fmt.Errorf("certificate %s: %w", path, err)
	}
	attrs, err := attrmgr.New().GetAttributesFromCert(cert)
	if err != nil {
		return "", fmt.Errorf("certificate attributes: %w", err)
	}
	entity, _, err := attrs.Value(warrant.AttrEntity)
	if err != nil {
		return "", fmt.Errorf("certificate attribute %s: %w", warrant.AttrEntity, err)
	}
	return entity, nil
}
