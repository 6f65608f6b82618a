package ledger

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

const testColl = "secret"

// privateTx simulates fn and returns the envelope and the private write set.
func privateTx(t testing.TB, s *Store, txID string, fn func(sim *Simulator)) (*common.Envelope, *rwset.TxPvtReadWriteSet) {
	t.Helper()
	sim := s.NewSimulator(txID)
	defer sim.Done()
	fn(sim)
	rw, err := sim.Results()
	require.NoError(t, err)
	pvt, err := sim.PrivateResults()
	require.NoError(t, err)
	return endorserEnvelope(t, txID, 1700000000, rw), pvt
}

// commitPrivate commits envs as the next block, every flag VALID, with the
// private write sets given by index.
func commitPrivate(t testing.TB, s *Store, private BlockPrivateData, envs ...*common.Envelope) []peer.TxValidationCode {
	t.Helper()
	codes, err := s.CommitBlockWithPrivateData(nextBlock(t, s, envs...), allValid(len(envs)), nil, private)
	require.NoError(t, err)
	return codes
}

func putPrivate(t testing.TB, s *Store, txID, key, value string) (*common.Envelope, *rwset.TxPvtReadWriteSet) {
	t.Helper()
	return privateTx(t, s, txID, func(sim *Simulator) {
		require.NoError(t, sim.SetPrivateData(testNS, testColl, key, []byte(value)))
	})
}

func privateValue(t testing.TB, s *Store, key string) string {
	t.Helper()
	vv, err := s.GetPrivateData(testNS, testColl, key)
	require.NoError(t, err)
	if vv == nil {
		return ""
	}
	return string(vv.Value)
}

func hashedEntry(t testing.TB, s *Store, key string) *VersionedValue {
	t.Helper()
	vv, err := s.GetPrivateDataHash(testNS, testColl, key)
	require.NoError(t, err)
	return vv
}

func TestPrivateReadWriteSets(t *testing.T) {
	s := openStore(t, t.TempDir())
	env, pvt := putPrivate(t, s, "tx0", "k", "v0")
	commitPrivate(t, s, BlockPrivateData{0: pvt}, env)

	sim := s.NewSimulator("tx1")
	defer sim.Done()
	value, err := sim.GetPrivateData(testNS, testColl, "k")
	require.NoError(t, err)
	require.Equal(t, "v0", string(value))
	require.NoError(t, sim.SetPrivateData(testNS, testColl, "k", []byte("v1")))
	value, err = sim.GetPrivateData(testNS, testColl, "k")
	require.NoError(t, err)
	require.Equal(t, "v0", string(value), "private reads do not see the transaction's own writes")
	require.NoError(t, sim.DeletePrivateData(testNS, testColl, "gone"))
	require.NoError(t, sim.SetPrivateDataMetadata(testNS, testColl, "k", map[string][]byte{"VALIDATION_PARAMETER": []byte("p")}))
	rw, err := sim.Results()
	require.NoError(t, err)
	private, err := sim.PrivateResults()
	require.NoError(t, err)

	t.Run("The public set carries hashes only", func(t *testing.T) {
		require.Len(t, rw.GetNsRwset(), 1)
		ns := rw.GetNsRwset()[0]
		require.NotContains(t, string(mustMarshal(t, rw)), "v1")
		require.Len(t, ns.GetCollectionHashedRwset(), 1)
		coll := ns.GetCollectionHashedRwset()[0]
		require.Equal(t, testColl, coll.GetCollectionName())
		hashed := &kvrwset.HashedRWSet{}
		require.NoError(t, proto.Unmarshal(coll.GetHashedRwset(), hashed))
		require.Len(t, hashed.GetHashedReads(), 1)
		require.Equal(t, Hash([]byte("k")), hashed.GetHashedReads()[0].GetKeyHash())
		require.True(t, proto.Equal(ver(0, 0), hashed.GetHashedReads()[0].GetVersion()))
		require.Len(t, hashed.GetHashedWrites(), 2, "sorted by key: gone, k")
		require.True(t, hashed.GetHashedWrites()[0].GetIsDelete())
		require.Equal(t, Hash([]byte("v1")), hashed.GetHashedWrites()[1].GetValueHash())
		require.Len(t, hashed.GetMetadataWrites(), 1)
		require.Equal(t, Hash(private.GetNsPvtRwset()[0].GetCollectionPvtRwset()[0].GetRwset()), coll.GetPvtRwsetHash())
	})
	t.Run("The private set carries keys and values, metadata entries stay hashed", func(t *testing.T) {
		kv := &kvrwset.KVRWSet{}
		require.NoError(t, proto.Unmarshal(private.GetNsPvtRwset()[0].GetCollectionPvtRwset()[0].GetRwset(), kv))
		require.Equal(t, "v1", string(kv.GetWrites()[1].GetValue()))
		require.Len(t, kv.GetMetadataWrites(), 1)
		require.Empty(t, kv.GetMetadataWrites()[0].GetEntries())
	})
}

func TestPrivateSimulatorRules(t *testing.T) {
	s := openStore(t, t.TempDir())
	t.Run("A private range query refuses writes after it", func(t *testing.T) {
		sim := s.NewSimulator("r")
		defer sim.Done()
		_, err := sim.GetPrivateDataRangeScanIterator(testNS, testColl, "", "")
		require.NoError(t, err)
		require.ErrorIs(t, sim.SetState(testNS, "k", []byte("v")), ErrPrivateQueryReadWrite)
	})
	t.Run("A private range query fails after a write", func(t *testing.T) {
		sim := s.NewSimulator("w")
		defer sim.Done()
		require.NoError(t, sim.SetState(testNS, "k", []byte("v")))
		_, err := sim.GetPrivateDataRangeScanIterator(testNS, testColl, "", "")
		require.ErrorIs(t, err, ErrPrivateQueryReadWrite)
	})
	t.Run("A private write needs a collection", func(t *testing.T) {
		sim := s.NewSimulator("c")
		defer sim.Done()
		require.Error(t, sim.SetPrivateData(testNS, "", "k", []byte("v")))
	})
}

func TestPrivateCommit(t *testing.T) {
	s := openStore(t, t.TempDir())
	env, pvt := putPrivate(t, s, "tx0", "k", "v0")
	commitPrivate(t, s, BlockPrivateData{0: pvt}, env)

	t.Run("A member stores the value and the hash with one version", func(t *testing.T) {
		require.Equal(t, "v0", privateValue(t, s, "k"))
		hashed := hashedEntry(t, s, "k")
		require.Equal(t, Hash([]byte("v0")), hashed.Value)
		require.True(t, proto.Equal(ver(0, 0), hashed.Version))
		stored, err := s.PrivateData(0)
		require.NoError(t, err)
		require.True(t, proto.Equal(pvt, stored[0]))
	})
	t.Run("Without the private data only the hash is committed, and reads say so", func(t *testing.T) {
		env, _ := putPrivate(t, s, "tx1", "k", "v1")
		commitPrivate(t, s, nil, env)
		require.Equal(t, Hash([]byte("v1")), hashedEntry(t, s, "k").Value)
		sim := s.NewSimulator("read")
		defer sim.Done()
		_, err := sim.GetPrivateData(testNS, testColl, "k")
		require.ErrorIs(t, err, ErrPrivateDataNotAvailable)
		hash, err := sim.GetPrivateDataHash(testNS, testColl, "k")
		require.NoError(t, err)
		require.Equal(t, Hash([]byte("v1")), hash)
	})
	t.Run("A stale hashed read is an MVCC conflict and changes nothing", func(t *testing.T) {
		reader, _ := privateTx(t, s, "stale", func(sim *Simulator) {
			_, err := sim.GetPrivateDataHash(testNS, testColl, "k")
			require.NoError(t, err)
			require.NoError(t, sim.SetState(testNS, "out", []byte("x")))
		})
		writer, writerPvt := putPrivate(t, s, "tx2", "k", "v2")
		codes := commitPrivate(t, s, BlockPrivateData{0: writerPvt}, writer, reader)
		require.Equal(t, []peer.TxValidationCode{valid, mvcc}, codes)
		requireAbsent(t, s, "out")
		require.Equal(t, "v2", privateValue(t, s, "k"))
	})
	t.Run("A metadata-only write keeps the private value readable", func(t *testing.T) {
		env, pvt := privateTx(t, s, "md", func(sim *Simulator) {
			require.NoError(t, sim.SetPrivateDataMetadata(testNS, testColl, "k", map[string][]byte{"VALIDATION_PARAMETER": []byte("p")}))
		})
		commitPrivate(t, s, BlockPrivateData{0: pvt}, env)
		sim := s.NewSimulator("after-md")
		defer sim.Done()
		value, err := sim.GetPrivateData(testNS, testColl, "k")
		require.NoError(t, err)
		require.Equal(t, "v2", string(value))
		md, err := sim.GetPrivateDataMetadata(testNS, testColl, "k")
		require.NoError(t, err)
		require.Equal(t, "p", string(md["VALIDATION_PARAMETER"]))
	})
}

func TestPrivatePurge(t *testing.T) {
	s := openStore(t, t.TempDir())
	env0, pvt0 := putPrivate(t, s, "tx0", "k", "first")
	commitPrivate(t, s, BlockPrivateData{0: pvt0}, env0)
	env1, pvt1 := privateTx(t, s, "tx1", func(sim *Simulator) {
		require.NoError(t, sim.SetPrivateData(testNS, testColl, "k", []byte("second")))
		require.NoError(t, sim.SetPrivateData(testNS, testColl, "other", []byte("kept")))
	})
	commitPrivate(t, s, BlockPrivateData{0: pvt1}, env1)
	purge, purgePvt := privateTx(t, s, "purge", func(sim *Simulator) {
		require.NoError(t, sim.PurgePrivateData(testNS, testColl, "k"))
	})
	commitPrivate(t, s, BlockPrivateData{0: purgePvt}, purge)

	require.Empty(t, privateValue(t, s, "k"))
	require.Nil(t, hashedEntry(t, s, "k"))
	require.Equal(t, "kept", privateValue(t, s, "other"))
	stored0, err := s.PrivateData(0)
	require.NoError(t, err)
	require.Empty(t, stored0, "block 0 held only the purged key")
	stored1, err := s.PrivateData(1)
	require.NoError(t, err)
	values := storedValues(t, stored1)
	require.Equal(t, []string{"kept"}, values, "every earlier value of the purged key is gone")
}

func storedValues(t testing.TB, stored BlockPrivateData) []string {
	t.Helper()
	var values []string
	for _, set := range stored {
		for _, ns := range set.GetNsPvtRwset() {
			for _, coll := range ns.GetCollectionPvtRwset() {
				kv := &kvrwset.KVRWSet{}
				require.NoError(t, proto.Unmarshal(coll.GetRwset(), kv))
				for _, w := range kv.GetWrites() {
					values = append(values, string(w.GetValue()))
				}
			}
		}
	}
	return values
}

func TestPrivateBlockToLive(t *testing.T) {
	s, err := Open(t.TempDir(), WithBlockToLive(func(ns, coll string) uint64 {
		if coll == testColl {
			return 2
		}
		return 0
	}))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	env, pvt := putPrivate(t, s, "tx0", "k", "brief")
	commitPrivate(t, s, BlockPrivateData{0: pvt}, env) // block 0
	commit(t, s, put(t, s, "tx1", "a", "1"))           // block 1
	env2, pvt2 := putPrivate(t, s, "tx2", "renewed", "r0")
	commitPrivate(t, s, BlockPrivateData{0: pvt2}, env2) // block 2
	require.Equal(t, "brief", privateValue(t, s, "k"), "kept through block 0+2")

	commit(t, s, put(t, s, "tx3", "a", "2")) // block 3: k expires
	require.Empty(t, privateValue(t, s, "k"))
	require.Nil(t, hashedEntry(t, s, "k"))
	stored, err := s.PrivateData(0)
	require.NoError(t, err)
	require.Empty(t, stored)
	require.Equal(t, "r0", privateValue(t, s, "renewed"), "written at block 2, kept until block 5")

	env4, pvt4 := putPrivate(t, s, "tx4", "renewed", "r1")
	commitPrivate(t, s, BlockPrivateData{0: pvt4}, env4) // block 4 rewrites it
	commit(t, s, put(t, s, "tx5", "a", "3"))             // block 5: the block-2 entry expires, the value does not
	require.Equal(t, "r1", privateValue(t, s, "renewed"))
}

func TestPrivateDataSurvivesACrashBeforeTheState(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	env, pvt := putPrivate(t, s, "tx0", "k", "durable")
	s.stopAfterBlockWrite = true
	_, err = s.CommitBlockWithPrivateData(nextBlock(t, s, env), allValid(1), nil, BlockPrivateData{0: pvt})
	require.ErrorIs(t, err, errStopped)
	require.NoError(t, s.Close())

	s = openStore(t, dir)
	require.Equal(t, "durable", privateValue(t, s, "k"), "the replay re-applies the private data stored with the block")
	require.True(t, proto.Equal(ver(0, 0), hashedEntry(t, s, "k").Version))
}
