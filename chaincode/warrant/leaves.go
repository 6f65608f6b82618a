package warrant

import "strings"

// The leaves of a root's tree (the nodes not consumed by a split or a return, whose
// amounts count in conservation, R9) are read from the lineage index alone. A node gets
// children only in the transaction that consumes it (SPLIT or RETURNED, for good), and
// always at least one, so a node is a leaf exactly when it has no child. A child's id
// extends its parent's (parent.001), so the lineage keys sort in the tree's pre-order:
// a node's first child, if any, is the very next key. A node is therefore a leaf exactly
// when the next lineage key is not one of its descendants, and the last node is a leaf.
// No second index has to be kept in step with every split and return.

// leafPage reads one page of the leaves of the lineage range [start, end), beginning at
// the bookmark (the key to resume at, as rangePage's). Besides the leaves it reads the
// nodes between them, at most the depth of the tree per leaf and about one per leaf in
// a tree of splits with a remainder; next is "" exactly on the last page.
func leafPage(r StateRanger, start, end string, pageSize int, bookmark string) (ids []string, next string, err error) {
	size, from, err := pageFrom(start, end, pageSize, bookmark)
	if err != nil {
		return nil, "", err
	}
	ids, nextKey, err := leavesFrom(r, from, end, size)
	if err != nil {
		return nil, "", err
	}
	if nextKey != "" {
		next = encodeBookmark(nextKey)
	}
	return ids, next, nil
}

// leavesFrom returns the first size leaves of the lineage range [from, end) and the key
// after the last of them ("" if no node follows it). A node that follows a leaf begins
// a subtree that holds a leaf, so a non-empty nextKey means more leaves.
func leavesFrom(r StateRanger, from, end string, size int) (ids []string, nextKey string, err error) {
	chunk := 2*size + 1
	prev := "" // the node read last, a leaf unless the next key is its child
	for {
		kvs, err := r.Range(from, end, chunk)
		if err != nil {
			return nil, "", internal("range lineage", err)
		}
		for _, kv := range kvs {
			id := lastAttr(kv.Key)
			if prev != "" && !isDescendant(id, prev) {
				ids = append(ids, prev)
				if len(ids) == size {
					return ids, kv.Key, nil
				}
			}
			prev = id
		}
		if len(kvs) < chunk {
			if prev != "" {
				ids = append(ids, prev)
			}
			return ids, "", nil
		}
		from = kvs[len(kvs)-1].Key + "\x00"
	}
}

// isDescendant reports whether id names a descendant of ancestorID (ancestorID.nnn…).
func isDescendant(id, ancestorID string) bool {
	return len(id) > len(ancestorID) && id[len(ancestorID)] == '.' && strings.HasPrefix(id, ancestorID)
}
