package ledger

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStateCache(t *testing.T) {
	key := stateKey(nil, "cc", "k")

	t.Run("A record read at the cache's height is served from the cache next time", func(t *testing.T) {
		c := newStateCache(8)
		_, cached := c.get(key, 0)
		require.False(t, cached)
		c.put(key, []byte("old"), 0)
		record, cached := c.get(key, 0)
		require.True(t, cached)
		require.Equal(t, []byte("old"), record)
	})

	t.Run("A reader at an older height misses, and what it read is not kept", func(t *testing.T) {
		c := newStateCache(8)
		c.put(key, []byte("old"), 0)
		updates := newBlockUpdates(nil, 0)
		updates.set("cc", "k", &stateUpdate{value: []byte("new"), block: 0})
		c.update(updates, 1) // a block commits
		_, cached := c.get(key, 0)
		require.False(t, cached, "a simulation begun before the commit reads its snapshot")
		c.put(key, []byte("old"), 0) // a reader that raced the commit
		record, cached := c.get(key, 1)
		require.True(t, cached)
		decoded, err := decodeState(record)
		require.NoError(t, err)
		require.Equal(t, []byte("new"), decoded.Value)
	})

	t.Run("A reader at an older height still hits a key no later block changed", func(t *testing.T) {
		c := newStateCache(8)
		other := stateKey(nil, "cc", "other")
		c.put(key, []byte("old"), 0)
		c.put(other, []byte("unchanged"), 0)
		updates := newBlockUpdates(nil, 0)
		updates.set("cc", "k", &stateUpdate{value: []byte("new"), block: 0})
		c.update(updates, 1)
		c.update(newBlockUpdates(nil, 1), 2) // a block that writes neither
		record, cached := c.get(other, 0)
		require.True(t, cached, "unchanged since height 0")
		require.Equal(t, []byte("unchanged"), record)
		_, cached = c.get(key, 0)
		require.False(t, cached, "changed at height 1: the reader at 0 reads its snapshot")
		record, cached = c.get(key, 1)
		require.True(t, cached, "the value since height 1")
		decoded, err := decodeState(record)
		require.NoError(t, err)
		require.Equal(t, []byte("new"), decoded.Value)
	})

	t.Run("A deleted key is cached as absent", func(t *testing.T) {
		c := newStateCache(8)
		updates := newBlockUpdates(nil, 2)
		updates.set("cc", "k", &stateUpdate{deleted: true, block: 2})
		c.update(updates, 3)
		record, cached := c.get(key, 3)
		require.True(t, cached)
		require.Nil(t, record)
	})

	t.Run("A full cache evicts a record not read since the hand last passed", func(t *testing.T) {
		c := newStateCache(4)
		for i := range 4 {
			c.store(fmt.Sprintf("k%d", i), []byte{byte(i)}, 0)
		}
		for _, read := range []string{"k0", "k1", "k3"} {
			_, cached := c.get([]byte(read), 0)
			require.True(t, cached)
		}
		c.store("k4", []byte{4}, 0)
		require.Equal(t, 4, c.len())
		_, cached := c.get([]byte("k2"), 0)
		require.False(t, cached, "the one record not read is evicted")
		for _, kept := range []string{"k0", "k1", "k3", "k4"} {
			_, cached := c.get([]byte(kept), 0)
			require.True(t, cached, kept)
		}
	})

	t.Run("A record read between insertions stays; the cache never outgrows its capacity", func(t *testing.T) {
		c := newStateCache(16)
		c.store("hot", []byte("h"), 0)
		for i := range 1000 {
			c.store(fmt.Sprintf("cold%d", i), nil, 0)
			_, cached := c.get([]byte("hot"), 0)
			require.True(t, cached, "after %d insertions", i)
			require.LessOrEqual(t, c.len(), 16)
		}
	})

	t.Run("A cache of capacity zero keeps nothing", func(t *testing.T) {
		c := newStateCache(0)
		c.put(key, []byte("v"), 0)
		_, cached := c.get(key, 0)
		require.False(t, cached)
	})
}
