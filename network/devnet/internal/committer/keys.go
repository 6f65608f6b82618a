package committer

import (
	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

// writtenKeys lists the keys a transaction writes (value or metadata) and,
// separately, those whose metadata it writes; each key once, in rwset order.
func writtenKeys(sets []*ledger.NsRWSet) (written, metadata []nsKey) {
	seen := map[nsKey]bool{}
	add := func(namespace string, keys []string) {
		for _, key := range keys {
			k := nsKey{namespace, key}
			if !seen[k] {
				seen[k] = true
				written = append(written, k)
			}
		}
	}
	for _, set := range sets {
		add(set.Namespace, set.WrittenKeys())
		metadataKeys := set.MetadataWrittenKeys()
		add(set.Namespace, metadataKeys)
		for _, key := range metadataKeys {
			metadata = append(metadata, nsKey{set.Namespace, key})
		}
		// Private keys are checked by their hash, in the collection's hashed namespace.
		for _, coll := range set.Collections {
			namespace := ledger.HashedNamespace(set.Namespace, coll.Name)
			for _, w := range coll.Hashed.GetHashedWrites() {
				add(namespace, []string{string(w.GetKeyHash())})
			}
			for _, mw := range coll.Hashed.GetMetadataWrites() {
				add(namespace, []string{string(mw.GetKeyHash())})
				metadata = append(metadata, nsKey{namespace, string(mw.GetKeyHash())})
			}
		}
	}
	return written, metadata
}
