package ledger

import (
	"sync"
	"sync/atomic"
)

// stateCacheSize bounds how many state records the cache holds.
const stateCacheSize = 1 << 16

// stateCache keeps encoded state records of recently read and written keys, so
// that the simulations and MVCC checks of a busy peer rarely reach Pebble. A
// nil record means the key is absent.
//
// The cache holds the state at one height: the number of blocks whose state
// is applied. Every state commit updates it to the next height, under the
// store's state lock; a reader names the height it reads at and gets a hit
// only at that height (a simulation begun before the last commit reads its
// snapshot instead), and a record read from Pebble is kept only if the cache
// is still at the height it was read at.
//
// When full, the cache evicts by CLOCK (second chance): a hand sweeps the
// slots, sparing once each record read since the hand last passed it.
type stateCache struct {
	mu       sync.RWMutex
	height   uint64
	capacity int
	index    map[string]int // key → slot
	slots    []cacheSlot
	hand     int
}

type cacheSlot struct {
	key        string
	record     []byte
	referenced atomic.Bool
}

func newStateCache(capacity int) *stateCache {
	// The index and slots grow with use: a ledger that stays small (most
	// test networks) never pays for a full-size cache.
	return &stateCache{capacity: capacity, index: map[string]int{}}
}

// get returns the cached record of a state key at height, and whether there
// was one.
func (c *stateCache) get(stateKey []byte, height uint64) (record []byte, cached bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.height != height {
		return nil, false
	}
	i, cached := c.index[string(stateKey)]
	if !cached {
		return nil, false
	}
	slot := &c.slots[i]
	if !slot.referenced.Load() {
		slot.referenced.Store(true)
	}
	return slot.record, true
}

// put caches a record read from Pebble at height, unless a commit moved the
// cache past it.
func (c *stateCache) put(stateKey, record []byte, height uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.height != height {
		return
	}
	c.store(string(stateKey), record)
}

// currentHeight is the height the cache holds.
func (c *stateCache) currentHeight() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.height
}

// reset empties the cache and sets its height (when the ledger opens).
func (c *stateCache) reset(height uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.height = height
	clear(c.index)
	c.slots = c.slots[:0]
	c.hand = 0
}

// update records what a block's committed updates wrote; the cache then holds
// the state at height.
func (c *stateCache) update(u *blockUpdates, height uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.height = height
	var kbuf []byte
	for ns, keys := range u.state {
		for key, up := range keys {
			kbuf = stateKey(kbuf[:0], ns, key)
			if up.deleted {
				c.store(string(kbuf), nil)
			} else {
				c.store(string(kbuf), encodeState(nil, up.block, up.tx, up.metadata, up.value))
			}
		}
	}
}

// store inserts or replaces a record, evicting one when full; c.mu is held.
func (c *stateCache) store(key string, record []byte) {
	if c.capacity <= 0 {
		return
	}
	if i, present := c.index[key]; present {
		c.slots[i].record = record
		return
	}
	if len(c.slots) < c.capacity {
		c.slots = append(c.slots, cacheSlot{key: key, record: record})
		c.index[key] = len(c.slots) - 1
		return
	}
	for {
		slot := &c.slots[c.hand]
		if slot.referenced.Load() {
			slot.referenced.Store(false)
			c.hand = (c.hand + 1) % c.capacity
			continue
		}
		delete(c.index, slot.key)
		slot.key, slot.record = key, record
		c.index[key] = c.hand
		c.hand = (c.hand + 1) % c.capacity
		return
	}
}

// len is the number of records cached.
func (c *stateCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.index)
}
