package msp

import "sync"

// boundedCache maps byte-string keys to values. It is safe for concurrent use
// and holds at most size entries, evicting the oldest.
type boundedCache[V any] struct {
	mu      sync.RWMutex
	size    int
	entries map[string]V
	order   []string // insertion order, used as a ring of length size
	next    int
}

func newBoundedCache[V any](size int) *boundedCache[V] {
	return &boundedCache[V]{size: size, entries: make(map[string]V), order: make([]string, 0, min(size, 1024))}
}

func (c *boundedCache[V]) get(key []byte) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.entries[string(key)]
	return v, ok
}

// put stores v under key unless the key is present, keeping the first value.
func (c *boundedCache[V]) put(key []byte, v V) {
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
	c.entries[k] = v
}

func (c *boundedCache[V]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
