package warrant

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestQueries(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, e.active(codeT1A, int64(100+i)).ID)
	}
	res := e.split(codeT1A, ids[0], Part{codeT2A, 10})
	t.Run("Lists a holder's warrants page by page (R16)", func(t *testing.T) {
		var got []string
		bookmark := ""
		for {
			page, err := ListByHolder(e.st, regulator, ListRequest{Party: codeT1A, PageSize: 2, Bookmark: bookmark})
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.Items), 2)
			for _, w := range page.Items {
				got = append(got, w.ID)
			}
			if bookmark = page.NextBookmark; bookmark == "" {
				break
			}
		}
		require.Len(t, got, 6, "4 ACTIVE roots, the remainder and the SPLIT parent")
	})
	t.Run("Filters by status", func(t *testing.T) {
		page, err := ListByHolder(e.st, regulator, ListRequest{Party: codeT1A, Status: StatusSplit})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		require.Equal(t, ids[0], page.Items[0].ID)
		page, err = ListByHolder(e.st, regulator, ListRequest{Party: codeT2A, Status: StatusPendingAcceptance})
		require.NoError(t, err)
		require.Len(t, page.Items, 1)
		page, err = ListByDebtor(e.st, regulator, ListRequest{Party: codeCore, Status: StatusActive, PageSize: 100})
		require.NoError(t, err)
		require.Len(t, page.Items, 5)
	})
	t.Run("Pages the lineage tree in pre-order", func(t *testing.T) {
		page, err := Lineage(e.st, regulator, LineageRequest{RootID: ids[0], PageSize: 2})
		require.NoError(t, err)
		require.Equal(t, ids[0], page.Items[0].ID)
		require.Equal(t, res.Children[0].ID, page.Items[1].ID)
		page, err = Lineage(e.st, regulator, LineageRequest{RootID: ids[0], PageSize: 2, Bookmark: page.NextBookmark})
		require.NoError(t, err)
		require.Equal(t, res.Children[1].ID, page.Items[0].ID)
		require.Empty(t, page.NextBookmark)
	})
	t.Run("Rejects bad query input", func(t *testing.T) {
		_, err := ListByHolder(e.st, regulator, ListRequest{Party: codeT1A, PageSize: 101})
		require.True(t, IsCode(err, CodeInvalidArgument))
		_, err = ListByHolder(e.st, regulator, ListRequest{Party: codeT1A, Status: "BOGUS"})
		require.True(t, IsCode(err, CodeInvalidArgument))
		_, err = ListByHolder(e.st, regulator, ListRequest{Party: "x"})
		require.True(t, IsCode(err, CodeInvalidArgument))
		_, err = Lineage(e.st, regulator, LineageRequest{RootID: ids[0], Bookmark: "!!"})
		require.True(t, IsCode(err, CodeInvalidArgument))
		entry, err := LookupDocument(e.st, hashOf("never"))
		require.NoError(t, err)
		require.False(t, entry.Registered)
		_, err = GetWarrant(e.st, regulator, "W000000000000000000000000")
		require.True(t, IsCode(err, CodeNotFound))
	})
	t.Run("Reports overdue amounts after maturity", func(t *testing.T) {
		s, err := GetRootSummary(e.st, regulator, ids[1], e.get(ids[1]).MaturesAt.Add(1))
		require.NoError(t, err)
		require.EqualValues(t, 101, s.Overdue)
		s, err = GetRootSummary(e.st, regulator, ids[1], e.now)
		require.NoError(t, err)
		require.Zero(t, s.Overdue)
	})
}

// TestDebtorListsLeaves checks that a debtor's list holds what it owes, the leaves of
// its trees, and no node consumed by a split or a return, which its tree still shows
// (Lineage), while a holder's list keeps the warrants it split and the parts it
// declined (R16).
func TestDebtorListsLeaves(t *testing.T) {
	e := newEnv(t)
	root, nodes := leafTree(t, e)
	leaves := leavesAmong(e, nodes)
	var listed []string
	for bookmark := ""; ; {
		page, err := ListByDebtor(e.st, e.as(codeCore), ListRequest{Party: codeCore, PageSize: 2, Bookmark: bookmark})
		require.NoError(t, err)
		for _, w := range page.Items {
			listed = append(listed, w.ID)
		}
		if bookmark = page.NextBookmark; bookmark == "" {
			break
		}
	}
	require.ElementsMatch(t, leaves, listed)
	for _, status := range []Status{StatusSplit, StatusReturned} {
		e.rejects(CodeInvalidArgument, func(e *env) error {
			_, err := ListByDebtor(e.st, e.as(codeCore), ListRequest{Party: codeCore, Status: status})
			return err
		})
	}
	split, err := ListByHolder(e.st, e.as(codeT1A), ListRequest{Party: codeT1A, Status: StatusSplit})
	require.NoError(t, err)
	require.Len(t, split.Items, 2, "the root and the remainder it split again")
	require.Equal(t, root.ID, split.Items[0].ID)
	returned, err := ListByHolder(e.st, e.as(codeT2A), ListRequest{Party: codeT2A, Status: StatusReturned})
	require.NoError(t, err)
	require.Len(t, returned.Items, 1, "the part T2A declined")
}
