package devnet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvFilePath is the env-<org>.sh file of an org, named by the first label of
// its domain (env-bank.sh for bank.example.com).
func (n *Network) EnvFilePath(mspID string) (string, error) {
	org, err := n.config.Org(mspID)
	if err != nil {
		return "", err
	}
	return filepath.Join(n.dir, "env-"+strings.SplitN(org.Domain, ".", 2)[0]+".sh"), nil
}

// writeEnvFiles writes, for each org, a shell file that sets the CORE_PEER_*
// variables the peer CLI reads to act as the org's admin (or, with
// DEVNET_USER=<name> set before sourcing it, as one of its users) against the
// org's peer, as network/fabric/scripts/envvar.sh does for the real network.
func (n *Network) writeEnvFiles() error {
	for _, org := range n.config.Orgs {
		material, err := n.material.Org(org.MSPID)
		if err != nil {
			return err
		}
		path, err := n.EnvFilePath(org.MSPID)
		if err != nil {
			return err
		}
		usersDir := filepath.Dir(filepath.Dir(material.Users["Admin"].MSPDir))
		var b strings.Builder
		fmt.Fprintf(&b, "# CORE_PEER_* for %s on the dev network; source it (DEVNET_USER=User1 to act as a user, default Admin).\n", org.MSPID)
		fmt.Fprintf(&b, "export CORE_PEER_TLS_ENABLED=%t\n", !n.plaintext)
		fmt.Fprintf(&b, "export CORE_PEER_LOCALMSPID=%s\n", org.MSPID)
		fmt.Fprintf(&b, "export CORE_PEER_ADDRESS=%s\n", n.addresses[org.MSPID])
		fmt.Fprintf(&b, "export CORE_PEER_TLS_ROOTCERT_FILE=%s\n", filepath.Join(material.Node.TLSDir, "ca.crt"))
		fmt.Fprintf(&b, "export CORE_PEER_MSPCONFIGPATH=%s/${DEVNET_USER:-Admin}@%s/msp\n", usersDir, org.Domain)
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}
