package fabric_test

import (
	"testing"

	"github.com/scfledger/warrants/network/devnet/config"

	"github.com/stretchr/testify/require"
)

type cryptogenOrg struct {
	Name          string `yaml:"Name"`
	Domain        string `yaml:"Domain"`
	EnableNodeOUs bool   `yaml:"EnableNodeOUs"`
	Specs         []struct {
		Hostname string `yaml:"Hostname"`
	} `yaml:"Specs"`
	Template struct {
		Count int `yaml:"Count"`
	} `yaml:"Template"`
	Users struct {
		Count int `yaml:"Count"`
	} `yaml:"Users"`
}

type cryptogenSpec struct {
	OrdererOrgs []cryptogenOrg `yaml:"OrdererOrgs"`
	PeerOrgs    []cryptogenOrg `yaml:"PeerOrgs"`
}

func TestCryptogenSpecsAgreeWithTheNetworkDescription(t *testing.T) {
	t.Parallel()
	net := network(t)

	t.Run("the orderer spec makes the description's orderer host", func(t *testing.T) {
		var spec cryptogenSpec
		decodeYAML(t, "cryptogen/crypto-config-orderer.yaml", &spec)
		require.Empty(t, spec.PeerOrgs)
		require.Len(t, spec.OrdererOrgs, 1)
		org := spec.OrdererOrgs[0]
		require.Equal(t, net.Orderer.Domain, org.Domain)
		require.True(t, org.EnableNodeOUs)
		require.Len(t, org.Specs, 1)
		require.Equal(t, net.Orderer.Host(), org.Specs[0].Hostname+"."+org.Domain)
	})

	for _, org := range config.Consortium().Orgs {
		t.Run("the spec of "+org.MSPID+" makes peer0 and User1 of its domain", func(t *testing.T) {
			var spec cryptogenSpec
			decodeYAML(t, "cryptogen/crypto-config-"+orgKey(org)+".yaml", &spec)
			require.Empty(t, spec.OrdererOrgs)
			require.Len(t, spec.PeerOrgs, 1)
			got := spec.PeerOrgs[0]
			require.Equal(t, org.Domain, got.Domain)
			require.True(t, got.EnableNodeOUs)
			require.Equal(t, 1, got.Template.Count, "one peer: peer0")
			require.Equal(t, 1, got.Users.Count, "cryptogen names users User1..UserN")
			require.Equal(t, "User1", org.Users[0].Name, "the description's first user is the one cryptogen makes")
		})
	}
}
