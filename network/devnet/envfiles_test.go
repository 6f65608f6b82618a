package devnet_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEnvFiles(t *testing.T) {
	network := startNetwork(t, testConfig("MAJORITY Endorsement"), "")
	for _, mspID := range []string{"CoreEnterpriseMSP", "BankMSP", "AssociationMSP"} {
		t.Run(mspID, func(t *testing.T) {
			path, err := network.EnvFilePath(mspID)
			require.NoError(t, err)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			vars := map[string]string{}
			for _, line := range strings.Split(string(data), "\n") {
				if name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && !strings.HasPrefix(line, "#") {
					vars[name] = value
				}
			}
			require.Equal(t, mspID, vars["CORE_PEER_LOCALMSPID"])
			address, err := network.PeerAddress(mspID)
			require.NoError(t, err)
			require.Equal(t, address, vars["CORE_PEER_ADDRESS"])
			require.Equal(t, "true", vars["CORE_PEER_TLS_ENABLED"])
			require.FileExists(t, vars["CORE_PEER_TLS_ROOTCERT_FILE"])
			admin := strings.Replace(vars["CORE_PEER_MSPCONFIGPATH"], "${DEVNET_USER:-Admin}", "Admin", 1)
			require.FileExists(t, filepath.Join(admin, "signcerts", "cert.pem"))
		})
	}
}
