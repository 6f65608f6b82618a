package ledger

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStateMetadata(t *testing.T) {
	top := t
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	policy := map[string][]byte{"VALIDATION_PARAMETER": []byte("p")}
	commit(t, s,
		simulate(t, s, "tx0", func(sim *Simulator) {
			require.NoError(t, sim.SetState(testNS, "guarded", []byte("v")))
			require.NoError(t, sim.SetStateMetadata(testNS, "guarded", policy))
			require.NoError(t, sim.SetState(testNS, "plain", []byte("v")))
		}))

	t.Run("Committed metadata is returned and keys without any give nil", func(t *testing.T) {
		md, err := s.GetStateMetadata(testNS, "guarded")
		require.NoError(t, err)
		require.Equal(t, policy, md)
		for _, key := range []string{"plain", "absent"} {
			md, err := s.GetStateMetadata(testNS, key)
			require.NoError(t, err)
			require.Nil(t, md, key)
		}
	})

	t.Run("A reopened ledger still knows which keys carry metadata", func(t *testing.T) {
		require.NoError(t, s.Close())
		s = openStore(top, dir)
		md, err := s.GetStateMetadata(testNS, "guarded")
		require.NoError(t, err)
		require.Equal(t, policy, md)
	})

	t.Run("Removing the metadata or deleting the key forgets it", func(t *testing.T) {
		commit(t, s, simulate(t, s, "tx1", func(sim *Simulator) {
			require.NoError(t, sim.SetStateMetadata(testNS, "guarded", nil))
		}))
		md, err := s.GetStateMetadata(testNS, "guarded")
		require.NoError(t, err)
		require.Nil(t, md)

		commit(t, s, simulate(t, s, "tx2", func(sim *Simulator) {
			require.NoError(t, sim.SetStateMetadata(testNS, "plain", policy))
		}))
		md, err = s.GetStateMetadata(testNS, "plain")
		require.NoError(t, err)
		require.Equal(t, policy, md)
		commit(t, s, simulate(t, s, "tx3", func(sim *Simulator) {
			require.NoError(t, sim.DeleteState(testNS, "plain"))
		}))
		md, err = s.GetStateMetadata(testNS, "plain")
		require.NoError(t, err)
		require.Nil(t, md)
	})

	t.Run("A namespace with a NUL byte is refused", func(t *testing.T) {
		_, err := s.GetStateMetadata("bad\x00ns", "k")
		require.Error(t, err)
	})
}
