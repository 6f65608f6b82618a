package ledger

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/cockroachdb/pebble"
)

// metadataIndex is the set of state keys whose committed entry carries
// metadata (in practice key-level endorsement policies, on few keys). The
// committer asks for the metadata of every key a transaction writes; the index
// answers "none" for almost all of them without reading the state. It lives in
// memory: built from the state when the ledger opens and kept in step by every
// state write.
type metadataIndex struct {
	mu   sync.RWMutex
	keys map[string]struct{} // state keys (stateKey form)
}

func (m *metadataIndex) has(stateKey []byte) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.keys[string(stateKey)]
	return ok
}

// update records the metadata of the keys a block's updates write.
func (m *metadataIndex) update(u *blockUpdates) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var kbuf []byte
	for ns, keys := range u.state {
		for key, up := range keys {
			kbuf = stateKey(kbuf[:0], ns, key)
			if up.deleted || len(up.metadata) == 0 {
				delete(m.keys, string(kbuf))
			} else {
				m.keys[string(kbuf)] = struct{}{}
			}
		}
	}
}

// buildMetadataIndex scans the state for entries that carry metadata.
func (s *Store) buildMetadataIndex() error {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{prefixState}, UpperBound: []byte{prefixState + 1}})
	if err != nil {
		return fmt.Errorf("scan state metadata: %w", err)
	}
	keys := map[string]struct{}{}
	for ok := it.First(); ok; ok = it.Next() {
		_, rest, err := decodeVersion(it.Value())
		if err != nil {
			_ = it.Close()
			return fmt.Errorf("state key %q: %w", it.Key(), err)
		}
		if count, n := binary.Uvarint(rest); n <= 0 {
			_ = it.Close()
			return fmt.Errorf("state key %q: %w", it.Key(), errCorrupt)
		} else if count > 0 {
			keys[string(it.Key())] = struct{}{}
		}
	}
	if err := it.Close(); err != nil {
		return fmt.Errorf("scan state metadata: %w", err)
	}
	s.metadata.mu.Lock()
	s.metadata.keys = keys
	s.metadata.mu.Unlock()
	return nil
}

// GetStateMetadata returns the committed metadata of key in namespace ns, nil
// when the key is absent or has none.
func (s *Store) GetStateMetadata(ns, key string) (map[string][]byte, error) {
	if err := checkNamespace(ns); err != nil {
		return nil, err
	}
	if err := s.injected(OpReadState); err != nil {
		return nil, fmt.Errorf("get metadata %s/%q: %w", ns, key, err)
	}
	var kbuf [64]byte
	if !s.metadata.has(stateKey(kbuf[:0], ns, key)) {
		return nil, nil
	}
	vv, err := s.GetState(ns, key)
	if err != nil || vv == nil {
		return nil, err
	}
	return vv.Metadata, nil
}
