package warrant

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"sort"
)

// chunkMax bounds a chunk of the sorted key list; inserts and deletes cost O(chunkMax).
const chunkMax = 512

// MemState is an in-memory State: a map of values plus the keys kept sorted in chunks, so
// that inserts stay cheap at a million keys. It is a real implementation of the state
// interfaces (not a mock), used by tests, benchmarks and tools. Not safe for concurrent use.
type MemState struct {
	chunks [][]string // each sorted, non-empty, chunks in order
	values map[string][]byte
	// private holds private data by collection and key (R17).
	private map[string]map[string][]byte
}

// NewMemState returns an empty MemState.
func NewMemState() *MemState {
	return &MemState{values: make(map[string][]byte)}
}

// Get returns a copy of the value of key, or nil if absent.
func (m *MemState) Get(key string) ([]byte, error) {
	v, ok := m.values[key]
	if !ok {
		return nil, nil
	}
	return bytes.Clone(v), nil
}

// GetMany returns copies of the values of keys, in order, nil for an absent key.
func (m *MemState) GetMany(keys []string) ([][]byte, error) {
	values := make([][]byte, len(keys))
	for i, k := range keys {
		values[i], _ = m.Get(k)
	}
	return values, nil
}

// Put stores a copy of value under key; an empty value is refused, as Fabric would
// turn it into a delete.
func (m *MemState) Put(key string, value []byte) error {
	if key == "" {
		return errors.New("memstate: empty key")
	}
	if len(value) == 0 {
		return errors.New("memstate: empty value for key " + key)
	}
	if _, ok := m.values[key]; !ok {
		m.insertKey(key)
	}
	m.values[key] = bytes.Clone(value)
	return nil
}

// Delete removes key; deleting a missing key is not an error.
func (m *MemState) Delete(key string) error {
	if _, ok := m.values[key]; !ok {
		return nil
	}
	delete(m.values, key)
	c := m.chunkFor(key)
	ch := m.chunks[c]
	i := sort.SearchStrings(ch, key)
	ch = append(ch[:i], ch[i+1:]...)
	if len(ch) == 0 {
		m.chunks = append(m.chunks[:c], m.chunks[c+1:]...)
	} else {
		m.chunks[c] = ch
	}
	return nil
}

// Range returns keys in [startKey, endKey) ascending, at most limit (no limit if <= 0).
// An empty endKey means "to the end".
func (m *MemState) Range(startKey, endKey string, limit int) ([]KV, error) {
	var out []KV
	if len(m.chunks) == 0 {
		return out, nil
	}
	c := m.chunkFor(startKey)
	i := sort.SearchStrings(m.chunks[c], startKey)
	for ; c < len(m.chunks); c, i = c+1, 0 {
		for ; i < len(m.chunks[c]); i++ {
			k := m.chunks[c][i]
			if (endKey != "" && k >= endKey) || (limit > 0 && len(out) >= limit) {
				return out, nil
			}
			out = append(out, KV{Key: k, Value: bytes.Clone(m.values[k])})
		}
	}
	return out, nil
}

// Len returns the number of keys.
func (m *MemState) Len() int { return len(m.values) }

// Snapshot returns a deep copy of all pairs in key order, for before/after comparisons.
func (m *MemState) Snapshot() []KV {
	out, _ := m.Range("", "", 0)
	return out
}

// chunkFor returns the index of the chunk that holds, or would hold, key.
func (m *MemState) chunkFor(key string) int {
	// first chunk whose first key is > key, minus one
	c := sort.Search(len(m.chunks), func(i int) bool { return m.chunks[i][0] > key }) - 1
	if c < 0 {
		c = 0
	}
	return c
}

func (m *MemState) insertKey(key string) {
	if len(m.chunks) == 0 {
		m.chunks = [][]string{{key}}
		return
	}
	c := m.chunkFor(key)
	ch := m.chunks[c]
	i := sort.SearchStrings(ch, key)
	ch = append(ch, "")
	copy(ch[i+1:], ch[i:])
	ch[i] = key
	if len(ch) <= chunkMax {
		m.chunks[c] = ch
		return
	}
	half := len(ch) / 2
	left := append([]string(nil), ch[:half]...)
	right := append([]string(nil), ch[half:]...)
	m.chunks = append(m.chunks, nil)
	copy(m.chunks[c+2:], m.chunks[c+1:])
	m.chunks[c] = left
	m.chunks[c+1] = right
}

// PutPrivate stores a private data write, as a member peer of its collection does on
// commit; tests apply an operation's Effects.PrivateWrites with it (R17).
func (m *MemState) PutPrivate(w PrivateWrite) {
	if m.private == nil {
		m.private = map[string]map[string][]byte{}
	}
	if m.private[w.Collection] == nil {
		m.private[w.Collection] = map[string][]byte{}
	}
	m.private[w.Collection][w.Key] = bytes.Clone(w.Value)
}

// GetPrivate returns a copy of a private value, or nil if absent.
func (m *MemState) GetPrivate(collection, key string) ([]byte, error) {
	return bytes.Clone(m.private[collection][key]), nil
}

// GetPrivateHash returns the SHA-256 of a private value, or nil if absent.
func (m *MemState) GetPrivateHash(collection, key string) ([]byte, error) {
	v, ok := m.private[collection][key]
	if !ok {
		return nil, nil
	}
	sum := sha256.Sum256(v)
	return sum[:], nil
}
