package config

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCollectionsInFabricFormat(t *testing.T) {
	collections, err := LoadCollections("testdata/collections_config.json")
	require.NoError(t, err)
	require.Len(t, collections, 2)
	require.Equal(t, "tradeCollection", collections[0].Name)
	require.EqualValues(t, 1, *collections[0].RequiredPeerCount)
	require.Equal(t, "OR('CoreEnterpriseMSP.peer', 'BankMSP.peer')", collections[0].EndorsementPolicy.SignaturePolicy)
	require.EqualValues(t, 3, collections[1].BlockToLive)
	require.NoError(t, ValidateCollections(collections, Default().MSPIDs()))
}

func TestCollectionsRejected(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"unknown field", `[{"name":"c","policy":"OR('BankMSP.member')","requiredPeerCount":0,"maxPeerCount":1,"colour":"red"}]`, "unknown field"},
		{"org not in the network", `[{"name":"c","policy":"OR('Org9MSP.member')","requiredPeerCount":0,"maxPeerCount":1}]`, `names "Org9MSP"`},
		{"missing requiredPeerCount", `[{"name":"c","policy":"OR('BankMSP.member')","maxPeerCount":1}]`, "requiredPeerCount is required"},
		{"maxPeerCount below requiredPeerCount", `[{"name":"c","policy":"OR('BankMSP.member')","requiredPeerCount":2,"maxPeerCount":1}]`, "lower than requiredPeerCount"},
		{"name starting with an underscore", `[{"name":"_c","policy":"OR('BankMSP.member')","requiredPeerCount":0,"maxPeerCount":1}]`, "invalid name"},
		{"duplicate name", `[{"name":"c","policy":"OR('BankMSP.member')","requiredPeerCount":0,"maxPeerCount":1},{"name":"c","policy":"OR('BankMSP.member')","requiredPeerCount":0,"maxPeerCount":1}]`, "defined twice"},
		{"two endorsement policies", `[{"name":"c","policy":"OR('BankMSP.member')","requiredPeerCount":0,"maxPeerCount":1,"endorsementPolicy":{"signaturePolicy":"OR('BankMSP.peer')","channelConfigPolicy":"/Channel/Application/Endorsement"}}]`, "exactly one"},
		{"endorsement policy naming a stranger", `[{"name":"c","policy":"OR('BankMSP.member')","requiredPeerCount":0,"maxPeerCount":1,"endorsementPolicy":{"signaturePolicy":"OR('Org9MSP.peer')"}}]`, `names "Org9MSP"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			collections, err := ParseCollections([]byte(tc.json))
			if err == nil {
				err = ValidateCollections(collections, Default().MSPIDs())
			}
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestChaincodeCollectionsByPathOrInline(t *testing.T) {
	// The default network without the warrant chaincode's collections, which are
	// relative to the repository.
	base := replaceOnce(string(DefaultYAML()), "    collections: chaincode/collections_config.json\n", "")
	inline := base + `
  - name: other
    address: 127.0.0.1:9999
    collections:
      - {name: notes, policy: "OR('BankMSP.member')", requiredPeerCount: 0, maxPeerCount: 1}
`
	network, err := Parse([]byte(inline))
	require.NoError(t, err)
	cc, err := network.Chaincode("other")
	require.NoError(t, err)
	require.Equal(t, "notes", cc.Collections.Config[0].Name)

	byPath := base + `
  - name: other
    address: 127.0.0.1:9999
    collections: testdata/collections_config.json
`
	network, err = Parse([]byte(byPath))
	require.NoError(t, err)
	cc, err = network.Chaincode("other")
	require.NoError(t, err)
	require.Empty(t, cc.Collections.Config, "read when the network starts, from its working directory")
	require.NoError(t, network.LoadCollectionFiles())
	cc, err = network.Chaincode("other")
	require.NoError(t, err)
	require.Len(t, cc.Collections.Config, 2)

	network, err = Parse([]byte(base + `
  - name: other
    address: 127.0.0.1:9999
    collections: testdata/missing.json
`))
	require.NoError(t, err)
	require.ErrorContains(t, network.LoadCollectionFiles(), "read collections config")
}

func TestDefaultNetworkDeclaresTheWarrantCollections(t *testing.T) {
	cc, err := Default().Chaincode("warrant")
	require.NoError(t, err)
	require.Equal(t, "chaincode/collections_config.json", cc.Collections.Path,
		"the file the real network deploys, relative to the repository like the chaincode's command")
	collections, err := LoadCollections(filepath.Join("..", "..", "..", cc.Collections.Path))
	require.NoError(t, err)
	require.NoError(t, ValidateCollections(collections, Default().MSPIDs()))
}
