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
// store's state lock. Each record also knows since which height it has been
// the key's value: the height its block's commit reached, or the height it was
// read from Pebble at. A reader names the height it reads at and gets a hit
// when the record has been the value since then, so a simulation begun before
// the last commits still meets the keys those commits did not change (and
// reads its snapshot for those they did). A record read from Pebble is kept
// only if the cache is still at the height it was read at.
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
	key    string
	record []byte
	// since is the lowest height at which record is known to be the value.
	since      uint64
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
	if height > c.height {
		return nil, false
	}
	i, cached := c.index[string(stateKey)]
	if !cached {
		return nil, false
	}
	slot := &c.slots[i]
	if slot.since > height {
		return nil, false // changed after the reader's height
	}
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
	c.store(string(stateKey), record, height)
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

// update records what a block's committed updates wrote (their records as
// batch encoded them); the cache then holds the state at height.
func (c *stateCache) update(u *blockUpdates, height uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.height = height
	var kbuf []byte
	for ns, keys := range u.state {
		for key, up := range keys {
			kbuf = stateKey(kbuf[:0], ns, key)
			if up.deleted {
				c.store(string(kbuf), nil, height)
			} else {
				record := up.record
				if record == nil {
					record = encodeState(nil, up.block, up.tx, up.metadata, up.value)
				}
				c.store(string(kbuf), record, height)
			}
		}
	}
}

// store inserts or replaces a record, the key's value since height, evicting
// one when full; c.mu is held.
func (c *stateCache) store(key string, record []byte, since uint64) {
	if c.capacity <= 0 {
		return
	}
	if i, present := c.index[key]; present {
		c.slots[i].record, c.slots[i].since = record, since
		return
	}
	if len(c.slots) < c.capacity {
		c.slots = append(c.slots, cacheSlot{key: key, record: record, since: since})
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
		slot.key, slot.record, slot.since = key, record, since
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
