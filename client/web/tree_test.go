package web

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

func TestLayoutOneNodePerPartWithEdgesToParents(t *testing.T) {
	nodes := []warrant.Warrant{
		{ID: "W1", Depth: 0, Holder: "A", Amount: 100, Status: warrant.StatusSplit},
		{ID: "W1.001", ParentID: "W1", Depth: 1, Holder: "B", Amount: 60, Status: warrant.StatusActive},
		{ID: "W1.001.001", ParentID: "W1.001", Depth: 2, Holder: "C", Amount: 60, Status: warrant.StatusSettled},
		{ID: "W1.002", ParentID: "W1", Depth: 1, Holder: "A", Amount: 40, Status: warrant.StatusPendingAcceptance},
	}
	tr := layout("W1", nodes, map[string]string{"A": "甲公司"}, false)
	require.Len(t, tr.Nodes, 4)
	require.Len(t, tr.Edges, 3)
	require.Equal(t, "….001.001", tr.Nodes[2].Label)
	require.Equal(t, "甲公司 A", tr.Nodes[0].HolderText)
	require.Equal(t, "B", tr.Nodes[1].HolderText)
	require.Greater(t, tr.Nodes[2].X, tr.Nodes[1].X)
	require.Equal(t, tr.Nodes[1].X, tr.Nodes[3].X)
	require.Equal(t, statusColors[warrant.StatusSettled][1], tr.Nodes[2].Stroke)
}

func TestPagesRenderEveryTemplate(t *testing.T) {
	for name, tmpl := range pages {
		require.NotNil(t, tmpl.Lookup(name+".html"), "page %s has no template %s.html", name, name)
	}
}
