package ledger

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStateCache(t *testing.T) {
	key := stateKey(nil, "cc", "k")

	t.Run("A record read from the store is served from the cache next time", func(t *testing.T) {
		c := newStateCache()
		_, cached, generation := c.get(key)
		require.False(t, cached)
		c.put(key, []byte("old"), generation)
		record, cached, _ := c.get(key)
		require.True(t, cached)
		require.Equal(t, []byte("old"), record)
	})

	t.Run("A read that raced a commit does not overwrite what the commit wrote", func(t *testing.T) {
		c := newStateCache()
		_, _, generation := c.get(key) // a reader misses and goes to the store
		updates := newBlockUpdates(nil, 1)
		updates.set("cc", "k", &stateUpdate{value: []byte("new"), block: 1})
		c.update(updates)                     // meanwhile the block commits
		c.put(key, []byte("old"), generation) // the reader's stale record is dropped
		record, cached, _ := c.get(key)
		require.True(t, cached)
		decoded, err := decodeState(record)
		require.NoError(t, err)
		require.Equal(t, []byte("new"), decoded.Value)
	})

	t.Run("A deleted key is cached as absent", func(t *testing.T) {
		c := newStateCache()
		updates := newBlockUpdates(nil, 2)
		updates.set("cc", "k", &stateUpdate{deleted: true, block: 2})
		c.update(updates)
		record, cached, _ := c.get(key)
		require.True(t, cached)
		require.Nil(t, record)
	})

	t.Run("A full cache starts again empty", func(t *testing.T) {
		c := newStateCache()
		for i := range stateCacheSize {
			c.store(strconv.Itoa(i), nil)
		}
		c.store("one more", []byte("x"))
		require.Len(t, c.records, 1)
	})
}

func TestSimulatorStale(t *testing.T) {
	s := openStore(t, t.TempDir())
	commit(t, s)
	sim := s.NewQueryExecutor()
	defer sim.Done()
	require.False(t, sim.Stale(), "nothing committed yet")
	commit(t, s, put(t, s, "tx1", "k", "v"))
	require.True(t, sim.Stale(), "a block's state was committed while it ran")
	fresh := s.NewQueryExecutor()
	defer fresh.Done()
	require.False(t, fresh.Stale())
}
