package ledger

import (
	"sync"
)

// stateCacheSize bounds how many state entries the cache holds; when full it
// starts again empty (simple, and the working set of a network refills it fast).
const stateCacheSize = 1 << 16

// stateCache keeps encoded state records of recently read and written keys, so
// that the simulations and MVCC checks of a busy peer rarely reach Pebble. A
// nil record means the key is absent. The ledger is the only writer: every
// state commit updates the cache, and a read that raced a commit does not
// insert what it read (the generation changed).
type stateCache struct {
	mu         sync.RWMutex
	generation uint64
	records    map[string][]byte
}

func newStateCache() *stateCache {
	return &stateCache{records: map[string][]byte{}}
}

// get returns the cached record of a state key and whether there was one, and
// the generation to pass to put after a miss.
func (c *stateCache) get(stateKey []byte) (record []byte, cached bool, generation uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	record, cached = c.records[string(stateKey)]
	return record, cached, c.generation
}

// put caches a record read from Pebble, unless a commit happened since the
// read began.
func (c *stateCache) put(stateKey, record []byte, generation uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.generation != generation {
		return
	}
	c.store(string(stateKey), record)
}

// beginCommit marks that a block's state is about to be written, so that a
// simulation overlapping any part of the write finds itself stale.
func (c *stateCache) beginCommit() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
}

// update records what a block's committed updates wrote.
func (c *stateCache) update(u *blockUpdates) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
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

// currentGeneration counts the state commits so far.
func (c *stateCache) currentGeneration() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.generation
}

func (c *stateCache) store(key string, record []byte) {
	if _, present := c.records[key]; !present && len(c.records) >= stateCacheSize {
		c.records = map[string][]byte{}
	}
	c.records[key] = record
}
