package client

import (
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/scfledger/warrants/client/profile"
)

// profilePaths lists the connection profiles of a network directory in the
// fabric-samples layout (organizations/peerOrganizations/<domain>/connection-*.json),
// sorted by path.
func profilePaths(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "organizations", "peerOrganizations", "*", "connection-*.json"))
	if err != nil {
		return nil, fmt.Errorf("find connection profiles: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no connection profile under %s (is the network started there?)", dir)
	}
	sort.Strings(paths)
	return paths, nil
}

// DevnetUsers lists the enrolled users of a network directory in the fabric-samples
// layout (a dev network's, or fabric-samples' test-network), as "<User>@<MSPID>": for
// every org with a connection profile, in path order, every users/<User>@<domain>/msp
// directory, by name. Each can be passed to [DevnetConfig].
func DevnetUsers(dir string) ([]string, error) {
	paths, err := profilePaths(dir)
	if err != nil {
		return nil, err
	}
	var users []string
	for _, path := range paths {
		p, err := profile.Load(path)
		if err != nil {
			return nil, err
		}
		orgDir := filepath.Dir(path)
		domain := filepath.Base(orgDir)
		msps, err := filepath.Glob(filepath.Join(orgDir, "users", "*@"+domain, "msp"))
		if err != nil {
			return nil, fmt.Errorf("find users of %s: %w", domain, err)
		}
		sort.Strings(msps)
		for _, msp := range msps {
			user := strings.TrimSuffix(filepath.Base(filepath.Dir(msp)), "@"+domain)
			users = append(users, user+"@"+p.MSPID())
		}
	}
	return users, nil
}

// Certificate reads the X.509 certificate of the config's identity (CertPath, or
// MSPDir's signcerts), for instance to read its Fabric CA attributes.
func (cfg Config) Certificate() (*x509.Certificate, error) {
	certPath, _, err := cfg.credentialPaths()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("read certificate: %w", err)
	}
	cert, err := identity.CertificateFromPEM(data)
	if err != nil {
		return nil, fmt.Errorf("parse certificate %s: %w", certPath, err)
	}
	return cert, nil
}
