package fabric_test

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCCaaSPackageReachesTheChaincodeService(t *testing.T) {
	t.Parallel()
	desc := network(t)
	cc, err := desc.Chaincode("warrant")
	require.NoError(t, err)
	file := loadCompose(t, "compose-ccaas.yaml")

	var connection struct {
		Address     string `json:"address"`
		DialTimeout string `json:"dial_timeout"`
		TLSRequired bool   `json:"tls_required"`
	}
	var metadata struct {
		Type  string `json:"type"`
		Label string `json:"label"`
	}
	for path, out := range map[string]any{"ccaas/connection.json": &connection, "ccaas/metadata.json": &metadata} {
		data, err := os.ReadFile(filepath.Join(fabricDir, path))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, out), path)
	}

	t.Run("the metadata makes a ccaas package labelled name_version", func(t *testing.T) {
		require.Equal(t, "ccaas", metadata.Type)
		require.Equal(t, cc.Name+"_"+cc.Version, metadata.Label)
	})

	t.Run("the peers dial the chaincode container on its listening port", func(t *testing.T) {
		host, port, err := net.SplitHostPort(connection.Address)
		require.NoError(t, err)
		svc, ok := file.Services[host]
		require.True(t, ok, "no compose service %s", host)
		require.Equal(t, host, svc.ContainerName)
		env := envMap(t, svc.Environment)
		_, listenPort, err := net.SplitHostPort(env["CHAINCODE_SERVER_ADDRESS"])
		require.NoError(t, err)
		require.Equal(t, port, listenPort)
		require.False(t, connection.TLSRequired)
		require.NotEmpty(t, connection.DialTimeout)
	})

	t.Run("the container is built from the project's chaincode Dockerfile with the package id", func(t *testing.T) {
		svc := file.Services["warrant_ccaas"]
		context, err := filepath.Abs(filepath.Join(fabricDir, "compose", svc.Build.Context))
		require.NoError(t, err)
		require.Equal(t, repoRoot(t), context)
		require.Equal(t, "chaincode/Dockerfile", svc.Build.Dockerfile)
		env := envMap(t, svc.Environment)
		require.Contains(t, env["CHAINCODE_ID"], "${CHAINCODE_ID:?")
	})
}
