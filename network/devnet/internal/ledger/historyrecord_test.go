package ledger

import (
	"bytes"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

func TestBlockEnvelope(t *testing.T) {
	block := &common.Block{
		Header:   &common.BlockHeader{Number: 7, DataHash: []byte("hash")},
		Data:     &common.BlockData{Data: [][]byte{[]byte("first"), []byte("second")}},
		Metadata: &common.BlockMetadata{Metadata: [][]byte{[]byte("signatures")}},
	}
	raw, err := proto.Marshal(block)
	require.NoError(t, err)
	tests := []struct {
		name    string
		raw     []byte
		index   uint64
		want    string
		wantErr error
	}{
		{"Finds the first envelope", raw, 0, "first", nil},
		{"Finds a later envelope", raw, 1, "second", nil},
		{"Refuses an index past the last envelope", raw, 2, "", errNoEnvelope},
		{"Refuses a block without data", mustMarshal(t, &common.Block{Header: block.Header}), 0, "", errNoEnvelope},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			envelope, err := blockEnvelope(tt.raw, tt.index)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, string(envelope))
		})
	}
	t.Run("Refuses a truncated block", func(t *testing.T) {
		cut := bytes.Index(raw, []byte("second")) + 3
		_, err := blockEnvelope(raw[:cut], 1)
		require.Error(t, err)
	})
}
