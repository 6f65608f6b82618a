package ledger

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

const testNS = "warrants"

func openStore(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func mustMarshal(t testing.TB, m proto.Message) []byte {
	t.Helper()
	raw, err := proto.Marshal(m)
	require.NoError(t, err)
	return raw
}

// endorserEnvelope wraps a read-write set into an endorser transaction
// envelope the way a peer and client build one (signatures left empty).
func endorserEnvelope(t testing.TB, txID string, seconds int64, rw *rwset.TxReadWriteSet) *common.Envelope {
	t.Helper()
	action := &peer.ChaincodeAction{
		Results:     mustMarshal(t, rw),
		Response:    &peer.Response{Status: 200},
		ChaincodeId: &peer.ChaincodeID{Name: testNS, Version: "1"},
	}
	prp := &peer.ProposalResponsePayload{ProposalHash: []byte("hash"), Extension: mustMarshal(t, action)}
	ccPayload := &peer.ChaincodeActionPayload{Action: &peer.ChaincodeEndorsedAction{
		ProposalResponsePayload: mustMarshal(t, prp),
	}}
	transaction := &peer.Transaction{Actions: []*peer.TransactionAction{{Payload: mustMarshal(t, ccPayload)}}}
	return envelope(t, txID, seconds, common.HeaderType_ENDORSER_TRANSACTION, mustMarshal(t, transaction))
}

func envelope(t testing.TB, txID string, seconds int64, typ common.HeaderType, data []byte) *common.Envelope {
	t.Helper()
	chdr := &common.ChannelHeader{
		Type: int32(typ), ChannelId: "scf", TxId: txID,
		Timestamp: &timestamppb.Timestamp{Seconds: seconds},
	}
	payload := &common.Payload{
		Header: &common.Header{ChannelHeader: mustMarshal(t, chdr), SignatureHeader: mustMarshal(t, &common.SignatureHeader{Creator: []byte("creator"), Nonce: []byte("nonce")})},
		Data:   data,
	}
	return &common.Envelope{Payload: mustMarshal(t, payload), Signature: []byte("sig")}
}

// simulate runs fn in a simulator of s and returns the envelope of its results.
func simulate(t testing.TB, s *Store, txID string, fn func(sim *Simulator)) *common.Envelope {
	t.Helper()
	sim := s.NewSimulator(txID)
	defer sim.Done()
	fn(sim)
	rw, err := sim.Results()
	require.NoError(t, err)
	return endorserEnvelope(t, txID, 1700000000, rw)
}

// put returns the envelope of a transaction writing key=value without reads.
func put(t testing.TB, s *Store, txID, key, value string) *common.Envelope {
	t.Helper()
	return simulate(t, s, txID, func(sim *Simulator) {
		require.NoError(t, sim.SetState(testNS, key, []byte(value)))
	})
}

// nextBlock chains envs onto the last block of s.
func nextBlock(t testing.TB, s *Store, envs ...*common.Envelope) *common.Block {
	t.Helper()
	data := &common.BlockData{}
	for _, env := range envs {
		data.Data = append(data.Data, mustMarshal(t, env))
	}
	return &common.Block{
		Header: &common.BlockHeader{Number: s.Height(), PreviousHash: s.LastBlockHash(), DataHash: BlockDataHash(data)},
		Data:   data,
	}
}

func allValid(n int) []peer.TxValidationCode {
	return make([]peer.TxValidationCode, n)
}

// commit commits envs as the next block with every flag VALID.
func commit(t testing.TB, s *Store, envs ...*common.Envelope) []peer.TxValidationCode {
	t.Helper()
	codes, err := s.CommitBlock(nextBlock(t, s, envs...), allValid(len(envs)))
	require.NoError(t, err)
	return codes
}

// nsRWSet parses the read-write set of namespace ns from a simulator's results.
func nsRWSet(t testing.TB, rw *rwset.TxReadWriteSet, ns string) *kvrwset.KVRWSet {
	t.Helper()
	for _, n := range rw.GetNsRwset() {
		if n.GetNamespace() == ns {
			kv := &kvrwset.KVRWSet{}
			require.NoError(t, proto.Unmarshal(n.GetRwset(), kv))
			return kv
		}
	}
	t.Fatalf("namespace %s not in read-write set", ns)
	return nil
}

func ver(block, tx uint64) *kvrwset.Version {
	return &kvrwset.Version{BlockNum: block, TxNum: tx}
}

func requireState(t testing.TB, s *Store, key, value string, v *kvrwset.Version) {
	t.Helper()
	vv, err := s.GetState(testNS, key)
	require.NoError(t, err)
	require.NotNil(t, vv, "key %s absent", key)
	require.Equal(t, value, string(vv.Value))
	require.True(t, proto.Equal(v, vv.Version), "version %v, want %v", vv.Version, v)
}

func requireAbsent(t testing.TB, s *Store, key string) {
	t.Helper()
	vv, err := s.GetState(testNS, key)
	require.NoError(t, err)
	require.Nil(t, vv)
}
