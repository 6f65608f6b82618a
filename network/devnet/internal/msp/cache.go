package msp

import "sync"

// identityCache remembers validated identities by their serialized bytes. It is
// safe for concurrent use and holds at most size entries, evicting the oldest.
type identityCache struct {
	mu      sync.RWMutex
	size    int
	entries map[string]*Identity
	order   []string // insertion order, used as a ring of length size
	next    int
}

func newIdentityCache(size int) *identityCache {
	return &identityCache{size: size, entries: make(map[string]*Identity, size), order: make([]string, 0, size)}
}

func (c *identityCache) get(key []byte) (*Identity, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	id, ok := c.entries[string(key)]
	return id, ok
}

func (c *identityCache) put(key []byte, id *Identity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := string(key)
	if _, ok := c.entries[k]; ok {
		return
	}
	if len(c.order) < c.size {
		c.order = append(c.order, k)
	} else {
		delete(c.entries, c.order[c.next])
		c.order[c.next] = k
		c.next = (c.next + 1) % c.size
	}
	c.entries[k] = id
}

func (c *identityCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
