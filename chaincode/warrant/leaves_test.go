package warrant

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// leafTree builds a tree with every shape a node can take: a returned part and its
// child back with the sender, a chain of whole transfers (nodes with one child), and a
// split with a remainder. It returns the root and the ids of its nine nodes in
// pre-order.
func leafTree(t *testing.T, e *env) (*Warrant, []string) {
	t.Helper()
	w := e.active(codeT1A, 1000)
	res := e.split(codeT1A, w.ID, Part{codeT2A, 100}, Part{codeT2B, 100})
	_, _, err := Reject(e.st, e.tx(), e.as(codeT2A), OfferRequest{WarrantID: res.Children[0].ID})
	require.NoError(t, err)
	e.accept(codeT2B, res.Children[1].ID)
	whole := e.split(codeT2B, res.Children[1].ID, Part{codeT3A, 100}).Children[0]
	e.accept(codeT3A, whole.ID)
	e.split(codeT3A, whole.ID, Part{codeT1B, 100})
	e.split(codeT1A, res.Children[2].ID, Part{codeT2A, 100})
	var ids []string
	for bookmark := ""; ; {
		page, err := Lineage(e.st, regulator, LineageRequest{RootID: w.ID, PageSize: 3, Bookmark: bookmark})
		require.NoError(t, err)
		for _, n := range page.Items {
			ids = append(ids, n.ID)
		}
		if bookmark = page.NextBookmark; bookmark == "" {
			break
		}
	}
	require.Len(t, ids, 9)
	return w, ids
}

// TestLeavesOfTheLineage checks that the leaves read from the lineage index (a node
// without a child) are exactly the nodes in a leaf status, for every page size, across
// the chunks the reader ranges in, and that pages resume at their bookmark (R9, R12, R16).
func TestLeavesOfTheLineage(t *testing.T) {
	e := newEnv(t)
	root, nodes := leafTree(t, e)
	want := leavesAmong(e, nodes)
	require.Len(t, want, 4, "the returned part's child, the end of the chain, the part and the remainder")
	start, end, err := treeRange(objLineage, root.ID)
	require.NoError(t, err)
	for size := 1; size <= 5; size++ {
		var got []string
		pages := 0
		for bookmark := ""; ; pages++ {
			ids, next, err := leafPage(e.st, start, end, size, bookmark)
			require.NoError(t, err)
			got = append(got, ids...)
			if next == "" {
				break
			}
			require.Len(t, ids, size, "size %d: a page that is not the last is full", size)
			bookmark = next
		}
		require.Equal(t, want, got, "size %d", size)
		require.Equal(t, (len(want)-1)/size, pages, "size %d: next is empty exactly on the last page", size)
	}
	e.conserved(root.ID)
}

// TestConservationAuditsTheLineage checks that the R9 audit refuses a node without
// children whose status is not a leaf's.
func TestConservationAuditsTheLineage(t *testing.T) {
	e := newEnv(t)
	root, nodes := leafTree(t, e)
	last := e.get(nodes[len(nodes)-1])
	last.Status = StatusSplit
	key, err := WarrantKey(last.ID)
	require.NoError(t, err)
	b, err := json.Marshal(last)
	require.NoError(t, err)
	require.NoError(t, e.st.Put(key, b))
	require.True(t, IsCode(CheckConservation(e.st, root.ID), CodeConservation))
}

// leavesAmong returns the nodes in a leaf status, in order.
func leavesAmong(e *env, nodes []string) []string {
	var leaves []string
	for _, id := range nodes {
		if e.get(id).Status.IsLeaf() {
			leaves = append(leaves, id)
		}
	}
	return leaves
}
