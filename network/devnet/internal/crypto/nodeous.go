package crypto

import (
	"fmt"
	"path/filepath"
)

// nodeOUsConfig is an msp/config.yaml enabling NodeOUs, as cryptogen writes it.
const nodeOUsConfig = `NodeOUs:
  Enable: true
  ClientOUIdentifier:
    Certificate: %[1]s
    OrganizationalUnitIdentifier: %[2]s
  PeerOUIdentifier:
    Certificate: %[1]s
    OrganizationalUnitIdentifier: %[3]s
  AdminOUIdentifier:
    Certificate: %[1]s
    OrganizationalUnitIdentifier: %[4]s
  OrdererOUIdentifier:
    Certificate: %[1]s
    OrganizationalUnitIdentifier: %[5]s
`

// writeMSPDir writes the parts every msp directory shares: the CA certificates
// and the NodeOUs configuration.
func writeMSPDir(mspDir string, o *orgAuthorities) error {
	caFile := filepath.Join("cacerts", o.caName()+"-cert.pem")
	files := []struct {
		path string
		data []byte
	}{
		{caFile, o.ca.certPEM},
		{filepath.Join("tlscacerts", o.tlsCAName()+"-cert.pem"), o.tlsCA.certPEM},
		{"config.yaml", []byte(fmt.Sprintf(nodeOUsConfig, filepath.ToSlash(caFile), OUClient, OUPeer, OUAdmin, OUOrderer))},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(mspDir, f.path), f.data, certFileMode); err != nil {
			return err
		}
	}
	return nil
}
