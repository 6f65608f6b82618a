package ledger

import (
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSimulationReadsOneHeight commits a block between the reads of a
// simulation: the simulation still sees the height it began at, for keys it
// read before (cached), keys it reads first after (not cached), range queries
// and history. Keys a and b, always written together, are never seen
// half-updated.
func TestSimulationReadsOneHeight(t *testing.T) {
	writeBoth := func(t *testing.T, s *Store, txID, value string) {
		t.Helper()
		commit(t, s, simulate(t, s, txID, func(sim *Simulator) {
			require.NoError(t, sim.SetState(testNS, "a", []byte(value)))
			require.NoError(t, sim.SetState(testNS, "b", []byte(value)))
		}))
	}
	get := func(t *testing.T, sim *Simulator, key string) string {
		t.Helper()
		value, err := sim.GetState(testNS, key)
		require.NoError(t, err)
		return string(value)
	}
	s := openStore(t, t.TempDir())
	writeBoth(t, s, "tx1", "1")

	sim := s.NewSimulator("overlapping")
	defer sim.Done()
	require.Equal(t, "1", get(t, sim, "a"), "read before the commit")
	writeBoth(t, s, "tx2", "2") // a block commits while the simulation runs

	t.Run("A key read again and a key read first after the commit show the first height", func(t *testing.T) {
		require.Equal(t, "1", get(t, sim, "a"))
		require.Equal(t, "1", get(t, sim, "b"))
	})
	t.Run("A range query shows the first height", func(t *testing.T) {
		it, err := sim.GetStateRangeScanIterator(testNS, "a", "c")
		require.NoError(t, err)
		defer it.Close()
		var values []string
		for {
			kv, err := it.Next()
			require.NoError(t, err)
			if kv == nil {
				break
			}
			values = append(values, kv.GetKey()+"="+string(kv.GetValue()))
		}
		require.Equal(t, []string{"a=1", "b=1"}, values)
	})
	t.Run("History shows the first height", func(t *testing.T) {
		it, err := sim.GetHistoryForKey(testNS, "a")
		require.NoError(t, err)
		defer it.Close()
		first, err := it.Next()
		require.NoError(t, err)
		require.Equal(t, "tx1", first.GetTxId())
	})
	t.Run("The recorded read versions are those of the first height", func(t *testing.T) {
		results, err := sim.Results()
		require.NoError(t, err)
		reads := nsRWSet(t, results, testNS).GetReads()
		require.Len(t, reads, 2)
		for _, read := range reads {
			require.EqualValues(t, 0, read.GetVersion().GetBlockNum(), "%s: tx1 committed in block 0, tx2 in block 1", read.GetKey())
		}
	})
	t.Run("A simulation begun after the commit sees the new height", func(t *testing.T) {
		fresh := s.NewQueryExecutor()
		defer fresh.Done()
		require.Equal(t, "2", get(t, fresh, "a"))
		require.Equal(t, "2", get(t, fresh, "b"))
	})
}

// TestSimulationsNeverSeeHalfABlock runs query executors while blocks commit,
// each block writing the same new value to keys a and b: every simulation
// reads equal values, whatever the interleaving.
func TestSimulationsNeverSeeHalfABlock(t *testing.T) {
	s := openStore(t, t.TempDir())
	const blocks = 40
	var readers sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				sim := s.NewQueryExecutor()
				a, errA := sim.GetState(testNS, "a")
				b, errB := sim.GetState(testNS, "b")
				sim.Done()
				if errA != nil || errB != nil || string(a) != string(b) {
					t.Errorf("read a=%q (%v) b=%q (%v) in one simulation", a, errA, b, errB)
					return
				}
			}
		}()
	}
	for i := range blocks {
		value := strconv.Itoa(i)
		commit(t, s, simulate(t, s, "tx"+value, func(sim *Simulator) {
			require.NoError(t, sim.SetState(testNS, "a", []byte(value)))
			require.NoError(t, sim.SetState(testNS, "b", []byte(value)))
		}))
	}
	close(stop)
	readers.Wait()
}

// TestCloseEndsOpenSimulations closes a store while a simulation still holds
// its snapshot: the store closes cleanly and the simulation's reads fail.
func TestCloseEndsOpenSimulations(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	sim := s.NewQueryExecutor()
	require.NoError(t, s.Close())
	_, err = sim.GetState(testNS, "a")
	require.ErrorIs(t, err, ErrClosed)
	sim.Done()
	_, err = s.NewQueryExecutor().GetState(testNS, "a")
	require.ErrorIs(t, err, ErrClosed)
}

// TestReadsAfterCloseFail reads a closed store through every path that reads
// the database outside a commit (an endorsement still in flight at shutdown
// does): each gets ErrClosed rather than a closed Pebble's panic.
func TestReadsAfterCloseFail(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	commit(t, s, simulate(t, s, "tx1", func(sim *Simulator) {
		require.NoError(t, sim.SetState(testNS, "a", []byte("1")))
	}))
	require.NoError(t, s.Close())
	reads := map[string]func() error{
		"TxStatus":    func() error { _, _, _, err := s.TxStatus("tx1"); return err },
		"GetState":    func() error { _, err := s.GetState(testNS, "a"); return err },
		"GetBlock":    func() error { _, err := s.GetBlock(0); return err },
		"PrivateData": func() error { _, err := s.PrivateData(0); return err },
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, read(), ErrClosed)
		})
	}
}
