package committer

import (
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/ledger"
)

func TestResolveInBlock(t *testing.T) {
	store, err := ledger.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	c := New(Config{Ledger: store})

	const (
		valid  = peer.TxValidationCode_VALID
		policy = peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE
		badSig = peer.TxValidationCode_BAD_CREATOR_SIGNATURE
		dup    = peer.TxValidationCode_DUPLICATE_TXID
	)
	key := nsKey{"cc", "k"}
	tests := []struct {
		name string
		txs  []checkedTx
		want []peer.TxValidationCode
	}{
		{"A later valid transaction with the same ID is a duplicate",
			[]checkedTx{{code: valid, txID: "a"}, {code: valid, txID: "a"}}, []peer.TxValidationCode{valid, dup}},
		{"An invalid earlier transaction does not make a later one a duplicate",
			[]checkedTx{{code: policy, txID: "a"}, {code: valid, txID: "a"}}, []peer.TxValidationCode{policy, valid}},
		{"A transaction that failed its header checks keeps its code",
			[]checkedTx{{code: valid, txID: "a"}, {code: badSig, txID: "a"}}, []peer.TxValidationCode{valid, badSig}},
		{"A write to a key whose policy an earlier valid transaction changed fails",
			[]checkedTx{{code: valid, txID: "a", writtenKeys: []nsKey{key}, metadataKeys: []nsKey{key}}, {code: valid, txID: "b", writtenKeys: []nsKey{key}}},
			[]peer.TxValidationCode{valid, policy}},
		{"A policy change by an invalid transaction does not count",
			[]checkedTx{{code: policy, txID: "a", writtenKeys: []nsKey{key}, metadataKeys: []nsKey{key}}, {code: valid, txID: "b", writtenKeys: []nsKey{key}}},
			[]peer.TxValidationCode{policy, valid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flags, err := c.resolveInBlock(tt.txs)
			require.NoError(t, err)
			require.Equal(t, tt.want, flags)
		})
	}
}
