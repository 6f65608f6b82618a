package ledger

import (
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
)

const (
	valid   = peer.TxValidationCode_VALID
	mvcc    = peer.TxValidationCode_MVCC_READ_CONFLICT
	phantom = peer.TxValidationCode_PHANTOM_READ_CONFLICT
)

// readWrite returns a transaction that reads rk and writes wk.
func readWrite(t *testing.T, s *Store, txID, rk, wk string) *common.Envelope {
	t.Helper()
	return simulate(t, s, txID, func(sim *Simulator) {
		_, err := sim.GetState(testNS, rk)
		require.NoError(t, err)
		require.NoError(t, sim.SetState(testNS, wk, []byte(txID)))
	})
}

// scanRange returns a transaction that reads [start, end) to its end (or n
// entries) and writes "out".
func scanRange(t *testing.T, s *Store, txID, start, end string, n int) *common.Envelope {
	t.Helper()
	return simulate(t, s, txID, func(sim *Simulator) {
		it, err := sim.GetStateRangeScanIterator(testNS, start, end)
		require.NoError(t, err)
		drain(t, it, n)
		require.NoError(t, sim.SetState(testNS, "out", []byte(txID)))
	})
}

func TestMVCC(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, s *Store) []peer.TxValidationCode
		want []peer.TxValidationCode
	}{
		{"A read of a key changed by a later block conflicts", func(t *testing.T, s *Store) []peer.TxValidationCode {
			stale := readWrite(t, s, "stale", "k", "x")
			commit(t, s, put(t, s, "w", "k", "new"))
			return commit(t, s, stale)
		}, []peer.TxValidationCode{mvcc}},
		{"A read of a key written earlier in the block conflicts", func(t *testing.T, s *Store) []peer.TxValidationCode {
			return commit(t, s, readWrite(t, s, "t1", "k", "k"), readWrite(t, s, "t2", "k", "y"), readWrite(t, s, "t3", "z", "z"))
		}, []peer.TxValidationCode{valid, mvcc, valid}},
		{"A read of a key whose metadata was written earlier in the block conflicts", func(t *testing.T, s *Store) []peer.TxValidationCode {
			md := simulate(t, s, "md", func(sim *Simulator) {
				require.NoError(t, sim.SetStateMetadata(testNS, "k", map[string][]byte{"a": []byte("b")}))
			})
			return commit(t, s, md, readWrite(t, s, "t2", "k", "y"))
		}, []peer.TxValidationCode{valid, mvcc}},
		{"A read of an absent key that is still absent is valid", func(t *testing.T, s *Store) []peer.TxValidationCode {
			return commit(t, s, readWrite(t, s, "t1", "nothing", "y"))
		}, []peer.TxValidationCode{valid}},
		{"A read of an absent key created meanwhile conflicts", func(t *testing.T, s *Store) []peer.TxValidationCode {
			stale := readWrite(t, s, "stale", "fresh", "y")
			commit(t, s, put(t, s, "w", "fresh", "v"))
			return commit(t, s, stale)
		}, []peer.TxValidationCode{mvcc}},
		{"Writes of a transaction the caller invalidated cause no conflict", func(t *testing.T, s *Store) []peer.TxValidationCode {
			block := nextBlock(t, s, readWrite(t, s, "t1", "k", "k"), readWrite(t, s, "t2", "k", "y"))
			codes, err := s.CommitBlock(block, []peer.TxValidationCode{peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, valid})
			require.NoError(t, err)
			requireState(t, s, "k", "k0", ver(0, 0))
			return codes
		}, []peer.TxValidationCode{peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, valid}},
		{"A range with a key inserted meanwhile is a phantom read", func(t *testing.T, s *Store) []peer.TxValidationCode {
			scan := scanRange(t, s, "scan", "a", "m", -1)
			commit(t, s, put(t, s, "w", "c", "v"))
			return commit(t, s, scan)
		}, []peer.TxValidationCode{phantom}},
		{"A range with a key updated meanwhile is a phantom read", func(t *testing.T, s *Store) []peer.TxValidationCode {
			scan := scanRange(t, s, "scan", "a", "m", -1)
			commit(t, s, put(t, s, "w", "k", "changed"))
			return commit(t, s, scan)
		}, []peer.TxValidationCode{phantom}},
		{"A range with a key deleted earlier in the block is a phantom read", func(t *testing.T, s *Store) []peer.TxValidationCode {
			del := simulate(t, s, "del", func(sim *Simulator) { require.NoError(t, sim.DeleteState(testNS, "k")) })
			return commit(t, s, del, scanRange(t, s, "scan", "a", "m", -1))
		}, []peer.TxValidationCode{valid, phantom}},
		{"A range with a key inserted earlier in the block is a phantom read", func(t *testing.T, s *Store) []peer.TxValidationCode {
			return commit(t, s, put(t, s, "w", "b", "v"), scanRange(t, s, "scan", "a", "m", -1))
		}, []peer.TxValidationCode{valid, phantom}},
		{"An unchanged range is valid", func(t *testing.T, s *Store) []peer.TxValidationCode {
			scan := scanRange(t, s, "scan", "a", "m", -1)
			commit(t, s, put(t, s, "w", "x", "outside"))
			return commit(t, s, scan)
		}, []peer.TxValidationCode{valid}},
		{"A key inserted after the last key of a range stopped early is not a phantom", func(t *testing.T, s *Store) []peer.TxValidationCode {
			commit(t, s, put(t, s, "w1", "p", "v"))
			scan := scanRange(t, s, "scan", "a", "z", 1)
			commit(t, s, put(t, s, "w2", "n", "v"))
			return commit(t, s, scan)
		}, []peer.TxValidationCode{valid}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, t.TempDir())
			commit(t, s, put(t, s, "genesis", "k", "k0"))
			require.Equal(t, tc.want, tc.run(t, s))
		})
	}
}

func TestMetadata(t *testing.T) {
	md := map[string][]byte{"VALIDATION_PARAMETER": []byte("policy")}
	tests := []struct {
		name   string
		tx     func(sim *Simulator) error
		value  string // "" = absent
		wantMD map[string][]byte
	}{
		{"A value-only write keeps the metadata", func(sim *Simulator) error {
			return sim.SetState(testNS, "k", []byte("v2"))
		}, "v2", md},
		{"A delete removes value and metadata", func(sim *Simulator) error {
			return sim.DeleteState(testNS, "k")
		}, "", nil},
		{"A metadata-only write keeps the value", func(sim *Simulator) error {
			return sim.SetStateMetadata(testNS, "k", map[string][]byte{"other": []byte("x")})
		}, "v1", map[string][]byte{"other": []byte("x")}},
		{"An empty metadata write clears the metadata", func(sim *Simulator) error {
			return sim.SetStateMetadata(testNS, "k", nil)
		}, "v1", nil},
		{"A value and metadata write sets both", func(sim *Simulator) error {
			if err := sim.SetState(testNS, "k", []byte("v3")); err != nil {
				return err
			}
			return sim.SetStateMetadata(testNS, "k", map[string][]byte{"n": []byte("m")})
		}, "v3", map[string][]byte{"n": []byte("m")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, t.TempDir())
			commit(t, s, simulate(t, s, "init", func(sim *Simulator) {
				require.NoError(t, sim.SetState(testNS, "k", []byte("v1")))
				require.NoError(t, sim.SetStateMetadata(testNS, "k", md))
			}))
			require.Equal(t, []peer.TxValidationCode{valid}, commit(t, s, simulate(t, s, "tx", func(sim *Simulator) {
				require.NoError(t, tc.tx(sim))
			})))
			if tc.value == "" {
				requireAbsent(t, s, "k")
				return
			}
			requireState(t, s, "k", tc.value, ver(1, 0))
			sim := s.NewSimulator("reader")
			defer sim.Done()
			got, err := sim.GetStateMetadata(testNS, "k")
			require.NoError(t, err)
			require.Equal(t, tc.wantMD, got)
		})
	}

	t.Run("A metadata-only write on an absent key changes nothing", func(t *testing.T) {
		s := openStore(t, t.TempDir())
		commit(t, s, simulate(t, s, "tx", func(sim *Simulator) {
			require.NoError(t, sim.SetStateMetadata(testNS, "ghost", md))
		}))
		requireAbsent(t, s, "ghost")
	})
}

func TestHistory(t *testing.T) {
	s := openStore(t, t.TempDir())
	commit(t, s, put(t, s, "h1", "k", "one"))
	commit(t, s, put(t, s, "h2", "k", "two"), put(t, s, "h3", "k", "three"), put(t, s, "other", "k2", "x"))
	block := nextBlock(t, s, put(t, s, "h4", "k", "rejected"))
	_, err := s.CommitBlock(block, []peer.TxValidationCode{peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE})
	require.NoError(t, err)
	commit(t, s, simulate(t, s, "h5", func(sim *Simulator) { require.NoError(t, sim.DeleteState(testNS, "k")) }))

	sim := s.NewSimulator("reader")
	defer sim.Done()
	it, err := sim.GetHistoryForKey(testNS, "k")
	require.NoError(t, err)
	var txIDs, values []string
	var deletes []bool
	for {
		m, err := it.Next()
		require.NoError(t, err)
		if m == nil {
			break
		}
		txIDs = append(txIDs, m.GetTxId())
		values = append(values, string(m.GetValue()))
		deletes = append(deletes, m.GetIsDelete())
		require.EqualValues(t, 1700000000, m.GetTimestamp().GetSeconds())
	}

	t.Run("History is newest first and holds valid transactions only", func(t *testing.T) {
		require.Equal(t, []string{"h5", "h3", "h2", "h1"}, txIDs)
		require.Equal(t, []string{"", "three", "two", "one"}, values)
		require.Equal(t, []bool{true, false, false, false}, deletes)
	})

	t.Run("History reads are not recorded as reads", func(t *testing.T) {
		rw, err := sim.Results()
		require.NoError(t, err)
		require.Empty(t, rw.GetNsRwset())
	})

	t.Run("A key without history yields nothing", func(t *testing.T) {
		qe := s.NewQueryExecutor()
		defer qe.Done()
		it, err := qe.GetHistoryForKey(testNS, "k\x00")
		require.NoError(t, err)
		m, err := it.Next()
		require.NoError(t, err)
		require.Nil(t, m)
	})
}

func TestCommitBlockChecks(t *testing.T) {
	s := openStore(t, t.TempDir())
	commit(t, s, put(t, s, "tx0", "k", "v"))

	tests := []struct {
		name   string
		mutate func(b *common.Block) []peer.TxValidationCode
	}{
		{"Rejects a block without header", func(b *common.Block) []peer.TxValidationCode {
			b.Header = nil
			return allValid(1)
		}},
		{"Rejects a block with the wrong number", func(b *common.Block) []peer.TxValidationCode {
			b.Header.Number = 5
			return allValid(1)
		}},
		{"Rejects a block that does not chain to the last one", func(b *common.Block) []peer.TxValidationCode {
			b.Header.PreviousHash = []byte("wrong")
			return allValid(1)
		}},
		{"Rejects a block whose data hash does not match", func(b *common.Block) []peer.TxValidationCode {
			b.Data.Data = append(b.Data.Data, []byte("extra"))
			return allValid(2)
		}},
		{"Rejects flags that do not match the transactions", func(b *common.Block) []peer.TxValidationCode {
			return allValid(3)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			block := nextBlock(t, s, put(t, s, "tx1", "k", "w"))
			_, err := s.CommitBlock(block, tc.mutate(block))
			require.Error(t, err)
			require.EqualValues(t, 1, s.Height())
		})
	}

	t.Run("Marks a valid-flagged transaction with an unreadable read-write set", func(t *testing.T) {
		bad := envelope(t, "garbled", 1, common.HeaderType_ENDORSER_TRANSACTION, []byte("not a transaction"))
		codes := commit(t, s, bad, envelope(t, "cfg", 1, common.HeaderType_CONFIG, nil))
		require.Equal(t, []peer.TxValidationCode{peer.TxValidationCode_INVALID_OTHER_REASON, valid}, codes)
	})

	t.Run("Writes the final filter into all five metadata slots", func(t *testing.T) {
		commit(t, s, readWrite(t, s, "a", "k", "k"), readWrite(t, s, "b", "k", "k"))
		block, err := s.GetBlock(s.Height() - 1)
		require.NoError(t, err)
		require.Len(t, block.GetMetadata().GetMetadata(), 5)
		require.Equal(t, []peer.TxValidationCode{valid, mvcc}, TxFilter(block))
	})
}

func TestConcurrentSimulationAndCommit(t *testing.T) {
	s := openStore(t, t.TempDir())
	commit(t, s, put(t, s, "init", "k", "v"))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			qe := s.NewQueryExecutor()
			it, err := qe.GetStateRangeScanIterator(testNS, "", "")
			if err == nil {
				for kv, err := it.Next(); kv != nil && err == nil; kv, err = it.Next() {
				}
			}
			_, _ = qe.GetState(testNS, "k")
			qe.Done()
		}
	}()
	for i := 0; i < 5; i++ {
		require.Equal(t, []peer.TxValidationCode{valid}, commit(t, s, put(t, s, "w"+string(rune('a'+i)), "k", "v")))
	}
	<-done
	require.EqualValues(t, 6, s.Height())
}

func BenchmarkCommitBlock(b *testing.B) {
	s, err := Open(b.TempDir())
	require.NoError(b, err)
	defer s.Close()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		var envs []*common.Envelope
		for i := 0; i < 100; i++ {
			key := fmt.Sprintf("k%d-%d", n, i)
			envs = append(envs, simulate(b, s, key, func(sim *Simulator) {
				_, _ = sim.GetState(testNS, key)
				_ = sim.SetState(testNS, key, []byte("value-of-some-length-0123456789"))
			}))
		}
		block := nextBlock(b, s, envs...)
		b.StartTimer()
		if _, err := s.CommitBlock(block, allValid(len(envs))); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTxIndexPrefersTheValidOccurrence(t *testing.T) {
	s := openStore(t, t.TempDir())
	commit(t, s) // block 0
	invalid := put(t, s, "tx-dup", "k", "first")
	valid := put(t, s, "tx-dup", "k", "second")
	block := nextBlock(t, s, invalid, valid)
	codes, err := s.CommitBlock(block, []peer.TxValidationCode{peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, peer.TxValidationCode_VALID})
	require.NoError(t, err)
	require.Equal(t, peer.TxValidationCode_VALID, codes[1])

	code, blockNum, found, err := s.TxStatus("tx-dup")
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, peer.TxValidationCode_VALID, code, "the index names the occurrence whose writes were applied")
	require.Equal(t, uint64(1), blockNum)
	requireState(t, s, "k", "second", ver(1, 1))
}
