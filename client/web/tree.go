package web

import (
	"strings"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// Geometry of the lineage drawing, in SVG user units.
const (
	nodeWidth  = 700
	nodeHeight = 48
	rowHeight  = 62
	indent     = 44
	margin     = 16
)

// tree is a root's lineage laid out for SVG: one row per part in pre-order, indented
// by depth, with an elbow edge from each part to its parent.
type tree struct {
	RootID                string
	Nodes                 []treeNode
	Edges                 []treeEdge
	Width, Height         int
	NodeWidth, NodeHeight int
	Truncated             bool
}

// treeNode is one part of the tree.
type treeNode struct {
	ID, Label, Holder, HolderText, Extra string
	Status                               warrant.Status
	Amount                               int64
	X, Y                                 int
	Fill, Stroke                         string
}

// treeEdge joins a parent's left rail to a child.
type treeEdge struct{ X1, Y1, X2, Y2 int }

// statusColors are the fill and stroke of each status.
var statusColors = map[warrant.Status][2]string{
	warrant.StatusActive:            {"#e3f2fd", "#1e88e5"},
	warrant.StatusSplit:             {"#eceff1", "#78909c"},
	warrant.StatusPendingAcceptance: {"#fff8e1", "#f9a825"},
	warrant.StatusPledged:           {"#f3e5f5", "#8e24aa"},
	warrant.StatusSettled:           {"#e8f5e9", "#43a047"},
	warrant.StatusReturned:          {"#fbe9e7", "#bf360c"},
	warrant.StatusCancelled:         {"#f5f5f5", "#9e9e9e"},
	warrant.StatusRejected:          {"#ffebee", "#c62828"},
}

// layout places the nodes (pre-order, as Lineage returns them); names maps credit
// codes to enterprise names where known.
func layout(rootID string, nodes []warrant.Warrant, names map[string]string, truncated bool) tree {
	t := tree{RootID: rootID, NodeWidth: nodeWidth, NodeHeight: nodeHeight, Truncated: truncated}
	row := map[string]int{}
	baseDepth := 0
	if len(nodes) > 0 {
		baseDepth = nodes[0].Depth
	}
	maxX := 0
	for i, w := range nodes {
		x := margin + (w.Depth-baseDepth)*indent
		y := margin + i*rowHeight
		colors, ok := statusColors[w.Status]
		if !ok {
			colors = [2]string{"#ffffff", "#455a64"}
		}
		holderText := w.Holder
		if name := names[w.Holder]; name != "" {
			holderText = name + " " + w.Holder
		}
		node := treeNode{ID: w.ID, Label: shortID(rootID, w.ID), Holder: w.Holder, HolderText: holderText, Status: w.Status,
			Amount: w.Amount, X: x, Y: y, Fill: colors[0], Stroke: colors[1], Extra: extra(w)}
		if w.Frozen {
			node.Stroke = "#d32f2f"
		}
		if parent, ok := row[w.ParentID]; ok {
			p := t.Nodes[parent]
			t.Edges = append(t.Edges, treeEdge{X1: p.X + 14, Y1: p.Y + nodeHeight, X2: x, Y2: y + nodeHeight/2})
		}
		row[w.ID] = i
		t.Nodes = append(t.Nodes, node)
		maxX = max(maxX, x)
	}
	t.Width = maxX + nodeWidth + 2*margin
	t.Height = len(nodes)*rowHeight + 2*margin
	return t
}

// shortID abbreviates a part's id to its suffix below the root ("….001.002").
func shortID(rootID, id string) string {
	if id == rootID {
		return id
	}
	if rest, ok := strings.CutPrefix(id, rootID); ok {
		return "…" + rest
	}
	return id
}

// extra notes custody, pledge and freeze of a part.
func extra(w warrant.Warrant) string {
	var notes []string
	if w.Custodian != "" {
		notes = append(notes, "托管 custody "+w.Custodian)
	}
	if w.Pledge != nil {
		notes = append(notes, "质押 pledged to "+w.Pledge.Pledgee)
	}
	if w.Frozen {
		notes = append(notes, "冻结 frozen")
	}
	return strings.Join(notes, " · ")
}
