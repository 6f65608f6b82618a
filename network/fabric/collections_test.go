package fabric_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/config"
)

// TestCollectionsConfigNamesTheNetworksOrgs checks the collections file the
// deploy passes to `peer lifecycle chaincode approveformyorg/commit
// --collections-config` (chaincode/collections_config.json by default): it
// parses in Fabric's format and its policies name only the network's orgs,
// the same check the dev network applies to it.
func TestCollectionsConfigNamesTheNetworksOrgs(t *testing.T) {
	path := filepath.Join(repoRoot(t), "chaincode", "collections_config.json")
	if _, err := os.Stat(path); os.IsNotExist(err) {
		t.Skip("chaincode/collections_config.json absent: the chaincode defines no collections")
	}
	collections, err := config.LoadCollections(path)
	require.NoError(t, err)
	require.NoError(t, config.ValidateCollections(collections, network(t).MSPIDs()))
	for _, cc := range network(t).Chaincodes {
		if cc.Name == "warrant" && len(cc.Collections.Config) > 0 {
			require.Equal(t, collections, cc.Collections.Config, "the dev network runs the collections the real network deploys")
		}
	}
}
