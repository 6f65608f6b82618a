package ledger

import (
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

func TestSimulatorReadWriteSet(t *testing.T) {
	s := openStore(t, t.TempDir())
	commit(t, s, put(t, s, "tx0", "b", "b0"), put(t, s, "tx1", "d", "d0"))

	sim := s.NewSimulator("tx2")
	defer sim.Done()
	require.NoError(t, sim.SetState(testNS, "d", []byte("d1")))
	v, err := sim.GetState(testNS, "d")
	require.NoError(t, err)
	_, err = sim.GetState(testNS, "zz")
	require.NoError(t, err)
	_, err = sim.GetState(testNS, "b")
	require.NoError(t, err)
	require.NoError(t, sim.SetState(testNS, "c", []byte("c1")))
	require.NoError(t, sim.SetState(testNS, "a", []byte("a1")))
	require.NoError(t, sim.SetState(testNS, "a", []byte("a2")))
	require.NoError(t, sim.DeleteState(testNS, "b"))
	require.NoError(t, sim.SetStateMetadata(testNS, "c", map[string][]byte{"z": []byte("1"), "VALIDATION_PARAMETER": []byte("p")}))
	_, err = sim.GetState("another", "x")
	require.NoError(t, err)
	rw, err := sim.Results()
	require.NoError(t, err)

	t.Run("Reads see committed state, not the transaction's own writes", func(t *testing.T) {
		require.Equal(t, "d0", string(v))
	})

	t.Run("Namespaces are sorted and the data model is KV", func(t *testing.T) {
		require.Equal(t, rwset.TxReadWriteSet_KV, rw.GetDataModel())
		require.Len(t, rw.GetNsRwset(), 2)
		require.Equal(t, "another", rw.GetNsRwset()[0].GetNamespace())
		require.Equal(t, testNS, rw.GetNsRwset()[1].GetNamespace())
	})

	kv := nsRWSet(t, rw, testNS)
	t.Run("Reads are sorted with versions and nil for absent keys", func(t *testing.T) {
		want := []*kvrwset.KVRead{
			{Key: "b", Version: ver(0, 0)},
			{Key: "d", Version: ver(0, 1)},
			{Key: "zz"},
		}
		require.Len(t, kv.GetReads(), len(want))
		for i := range want {
			require.True(t, proto.Equal(want[i], kv.GetReads()[i]), "read %d: %v", i, kv.GetReads()[i])
		}
	})

	t.Run("Writes are sorted, the last write wins and a delete has no value", func(t *testing.T) {
		want := []*kvrwset.KVWrite{
			{Key: "a", Value: []byte("a2")},
			{Key: "b", IsDelete: true},
			{Key: "c", Value: []byte("c1")},
			{Key: "d", Value: []byte("d1")},
		}
		require.Len(t, kv.GetWrites(), len(want))
		for i := range want {
			require.True(t, proto.Equal(want[i], kv.GetWrites()[i]), "write %d: %v", i, kv.GetWrites()[i])
		}
	})

	t.Run("Metadata writes carry entries sorted by name", func(t *testing.T) {
		require.Len(t, kv.GetMetadataWrites(), 1)
		mw := kv.GetMetadataWrites()[0]
		require.Equal(t, "c", mw.GetKey())
		require.Equal(t, "VALIDATION_PARAMETER", mw.GetEntries()[0].GetName())
		require.Equal(t, "z", mw.GetEntries()[1].GetName())
	})

	t.Run("Results are stable and writes after them fail", func(t *testing.T) {
		again, err := sim.Results()
		require.NoError(t, err)
		require.True(t, proto.Equal(rw, again))
		require.Error(t, sim.SetState(testNS, "late", []byte("x")))
	})
}

func TestSimulatorRejections(t *testing.T) {
	s := openStore(t, t.TempDir())
	commit(t, s, put(t, s, "tx0", "k", "v"))

	tests := []struct {
		name string
		run  func(t *testing.T) error
		want error
	}{
		{"A query executor rejects writes", func(t *testing.T) error {
			return s.NewQueryExecutor().SetState(testNS, "k", []byte("x"))
		}, ErrReadOnly},
		{"A query executor has no results", func(t *testing.T) error {
			_, err := s.NewQueryExecutor().Results()
			return err
		}, ErrReadOnly},
		{"A simulator rejects use after Done", func(t *testing.T) error {
			sim := s.NewSimulator("tx")
			sim.Done()
			sim.Done()
			_, err := sim.GetState(testNS, "k")
			return err
		}, ErrDone},
		{"A paginated query fails after a write", func(t *testing.T) error {
			sim := s.NewSimulator("tx")
			defer sim.Done()
			require.NoError(t, sim.SetState(testNS, "k", []byte("x")))
			_, err := sim.GetStateRangeScanIteratorWithPagination(testNS, "", "", 10)
			return err
		}, ErrPaginatedReadWrite},
		{"A write fails after a paginated query", func(t *testing.T) error {
			sim := s.NewSimulator("tx")
			defer sim.Done()
			_, err := sim.GetStateRangeScanIteratorWithPagination(testNS, "", "", 10)
			require.NoError(t, err)
			return sim.SetStateMetadata(testNS, "k", nil)
		}, ErrPaginatedReadWrite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.ErrorIs(t, tc.run(t), tc.want)
		})
	}

	t.Run("Rejects a key that is not UTF-8", func(t *testing.T) {
		sim := s.NewSimulator("tx")
		defer sim.Done()
		require.Error(t, sim.SetState(testNS, "\xff", []byte("x")))
	})

	t.Run("A query executor reads without recording", func(t *testing.T) {
		qe := s.NewQueryExecutor()
		defer qe.Done()
		v, err := qe.GetState(testNS, "k")
		require.NoError(t, err)
		require.Equal(t, "v", string(v))
		it, err := qe.GetStateRangeScanIteratorWithPagination(testNS, "", "", 1)
		require.NoError(t, err)
		kv, err := it.Next()
		require.NoError(t, err)
		require.Equal(t, "k", kv.GetKey())
	})
}

// drain reads up to n entries of it (all when n < 0) and returns their keys.
func drain(t *testing.T, it StateIterator, n int) []string {
	t.Helper()
	var keys []string
	for n < 0 || len(keys) < n {
		kv, err := it.Next()
		require.NoError(t, err)
		if kv == nil {
			break
		}
		keys = append(keys, kv.GetKey())
	}
	return keys
}

func TestRangeQueries(t *testing.T) {
	s := openStore(t, t.TempDir())
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		commit(t, s, put(t, s, "put-"+k, k, "v"+k))
	}

	t.Run("A range read to its end records every key with itr_exhausted", func(t *testing.T) {
		sim := s.NewSimulator("tx")
		defer sim.Done()
		it, err := sim.GetStateRangeScanIterator(testNS, "b", "e")
		require.NoError(t, err)
		require.Equal(t, []string{"b", "c", "d"}, drain(t, it, -1))
		rw, err := sim.Results()
		require.NoError(t, err)
		rq := nsRWSet(t, rw, testNS).GetRangeQueriesInfo()
		require.Len(t, rq, 1)
		require.Equal(t, "b", rq[0].GetStartKey())
		require.Equal(t, "e", rq[0].GetEndKey())
		require.True(t, rq[0].GetItrExhausted())
		reads := rq[0].GetRawReads().GetKvReads()
		require.Len(t, reads, 3)
		require.True(t, proto.Equal(&kvrwset.KVRead{Key: "c", Version: ver(2, 0)}, reads[1]))
	})

	t.Run("A range stopped early ends at the last key read", func(t *testing.T) {
		sim := s.NewSimulator("tx")
		defer sim.Done()
		it, err := sim.GetStateRangeScanIterator(testNS, "", "")
		require.NoError(t, err)
		require.Equal(t, []string{"a", "b"}, drain(t, it, 2))
		it.Close()
		rw, err := sim.Results()
		require.NoError(t, err)
		rq := nsRWSet(t, rw, testNS).GetRangeQueriesInfo()
		require.Len(t, rq, 1)
		require.Equal(t, "b", rq[0].GetEndKey())
		require.False(t, rq[0].GetItrExhausted())
	})

	t.Run("Identical range queries are recorded once, in order", func(t *testing.T) {
		sim := s.NewSimulator("tx")
		defer sim.Done()
		for _, r := range [][2]string{{"c", ""}, {"a", "b"}, {"c", ""}} {
			it, err := sim.GetStateRangeScanIterator(testNS, r[0], r[1])
			require.NoError(t, err)
			drain(t, it, -1)
		}
		rw, err := sim.Results()
		require.NoError(t, err)
		rq := nsRWSet(t, rw, testNS).GetRangeQueriesInfo()
		require.Len(t, rq, 2)
		require.Equal(t, "c", rq[0].GetStartKey())
		require.Equal(t, "a", rq[1].GetStartKey())
	})

	t.Run("A paginated range returns at most a page and a bookmark", func(t *testing.T) {
		qe := s.NewQueryExecutor()
		defer qe.Done()
		it, err := qe.GetStateRangeScanIteratorWithPagination(testNS, "b", "", 2)
		require.NoError(t, err)
		require.Equal(t, []string{"b", "c"}, drain(t, it, -1))
		require.Equal(t, "d", it.(Bookmarker).Bookmark())

		last, err := qe.GetStateRangeScanIteratorWithPagination(testNS, "d", "", 2)
		require.NoError(t, err)
		require.Equal(t, []string{"d", "e"}, drain(t, last, -1))
		require.Equal(t, "", last.(Bookmarker).Bookmark())
	})

	t.Run("A long range is read across chunks in key order", func(t *testing.T) {
		var want []string
		commit(t, s, simulate(t, s, "many", func(sim *Simulator) {
			for i := 0; i < 2*scanChunk+17; i++ {
				key := fmt.Sprintf("k%04d", i)
				want = append(want, key)
				require.NoError(t, sim.SetState(testNS, key, []byte("x")))
			}
		}))
		qe := s.NewQueryExecutor()
		defer qe.Done()
		it, err := qe.GetStateRangeScanIterator(testNS, "k", "l")
		require.NoError(t, err)
		require.Equal(t, want, drain(t, it, -1))
	})
}
