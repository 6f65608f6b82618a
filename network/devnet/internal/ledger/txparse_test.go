package ledger

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
)

func TestParseTx(t *testing.T) {
	s := openStore(t, t.TempDir())
	env := simulate(t, s, "tx", func(sim *Simulator) {
		require.NoError(t, sim.SetState(testNS, "b", []byte("1")))
		require.NoError(t, sim.DeleteState(testNS, "a"))
		require.NoError(t, sim.SetStateMetadata(testNS, "c", map[string][]byte{"x": []byte("y")}))
	})

	t.Run("Parses the written and metadata-written keys per namespace", func(t *testing.T) {
		tx, err := ParseTx(env)
		require.NoError(t, err)
		sets := tx.RWSet
		require.Len(t, sets, 1)
		require.Equal(t, testNS, sets[0].Namespace)
		require.Equal(t, []string{"a", "b"}, sets[0].WrittenKeys())
		require.Equal(t, []string{"c"}, sets[0].MetadataWrittenKeys())
	})

	t.Run("ParseTx reads the channel header", func(t *testing.T) {
		tx, err := ParseTx(env)
		require.NoError(t, err)
		require.Equal(t, "tx", tx.ID)
		require.Equal(t, common.HeaderType_ENDORSER_TRANSACTION, tx.Type)
		require.EqualValues(t, 1700000000, tx.Timestamp.GetSeconds())
		require.Len(t, tx.RWSet, 1)
	})

	t.Run("Reads only the header of a configuration transaction", func(t *testing.T) {
		tx, err := ParseTx(envelope(t, "cfg", 1, common.HeaderType_CONFIG, nil))
		require.NoError(t, err)
		require.Equal(t, common.HeaderType_CONFIG, tx.Type)
		require.Nil(t, tx.RWSet)
	})

	tests := []struct {
		name string
		env  *common.Envelope
		want string
	}{
		{"Rejects an envelope without payload", &common.Envelope{}, "nil envelope"},
		{"Rejects a payload that is not a proto", &common.Envelope{Payload: []byte{0xff, 0xff}}, "unmarshal payload"},
		{"Rejects a transaction without actions", envelope(t, "e", 1, common.HeaderType_ENDORSER_TRANSACTION,
			mustMarshal(t, &peer.Transaction{})), "expected one action, got 0"},
		{"Rejects an action whose payload is garbage", envelope(t, "e", 1, common.HeaderType_ENDORSER_TRANSACTION,
			mustMarshal(t, &peer.Transaction{Actions: []*peer.TransactionAction{{Payload: []byte{0xff}}}})), "chaincode action payload"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTx(tc.env)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
