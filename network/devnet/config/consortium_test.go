package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConsortium(t *testing.T) {
	network, base := Consortium(), Default()
	t.Run("Adds a second bank and a second core enterprise to the default network, which it repeats unchanged", func(t *testing.T) {
		require.Equal(t, []string{"CoreEnterpriseMSP", "BankMSP", "AssociationMSP", "Bank2MSP", "CoreEnterprise2MSP"}, network.MSPIDs())
		require.Equal(t, base.Orgs, network.Orgs[:len(base.Orgs)])
		require.Equal(t, base.Channel, network.Channel)
		require.Equal(t, base.Orderer, network.Orderer)
		require.Equal(t, base.Chaincodes, network.Chaincodes)
	})
	t.Run("Named selects either network and refuses others", func(t *testing.T) {
		for name, want := range map[string]*Network{"": base, "default": base, "consortium": network} {
			got, err := Named(name)
			require.NoError(t, err)
			require.Equal(t, want, got, name)
		}
		_, err := Named("galaxy")
		require.ErrorContains(t, err, "unknown network")
	})
}
