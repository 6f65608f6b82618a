package msp

import (
	"crypto/x509"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBoundedCache(t *testing.T) {
	t.Run("Holds at most its size and evicts the oldest", func(t *testing.T) {
		c := newBoundedCache[*Identity](2)
		for i := range 3 {
			c.put([]byte(fmt.Sprint(i)), &Identity{MSPID: fmt.Sprint(i)})
		}
		require.Equal(t, 2, c.len())
		_, ok := c.get([]byte("0"))
		require.False(t, ok)
		id, ok := c.get([]byte("2"))
		require.True(t, ok)
		require.Equal(t, "2", id.MSPID)
	})

	t.Run("Keeps the first identity put for a key", func(t *testing.T) {
		c := newBoundedCache[*Identity](2)
		first := &Identity{MSPID: "first"}
		c.put([]byte("k"), first)
		c.put([]byte("k"), &Identity{MSPID: "second"})
		id, ok := c.get([]byte("k"))
		require.True(t, ok)
		require.Same(t, first, id)
		require.Equal(t, 1, c.len())
	})
}

func TestDeserializeRechecksCachedValidity(t *testing.T) {
	t.Run("Rejects a cached identity once its certificate expired", func(t *testing.T) {
		m, err := NewManager(nil)
		require.NoError(t, err)
		now := time.Now()
		cert := &x509.Certificate{NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
		m.cache.put([]byte("id"), &Identity{MSPID: "Org1MSP", Cert: cert})

		_, err = m.Deserialize([]byte("id"))
		require.NoError(t, err)

		m.now = func() time.Time { return now.Add(2 * time.Hour) }
		_, err = m.Deserialize([]byte("id"))
		require.ErrorIs(t, err, ErrExpired)
	})
}
