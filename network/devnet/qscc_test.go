package devnet_test

import (
	"strconv"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// TestQSCC asks every query of Fabric's qscc through the gateway's Evaluate,
// as fabric-samples' applications and the real network's tests do.
func TestQSCC(t *testing.T) {
	network, channel, status := networkWithOneTransaction(t)
	qscc := channel.GetContract("qscc")
	evaluate := func(out proto.Message, function string, args ...string) {
		t.Helper()
		result, err := qscc.EvaluateTransaction(function, append([]string{network.Channel()}, args...)...)
		require.NoError(t, err, function)
		require.NoError(t, proto.Unmarshal(result, out), function)
	}

	info := &common.BlockchainInfo{}
	evaluate(info, "GetChainInfo")
	require.GreaterOrEqual(t, info.GetHeight(), status.BlockNumber+1)

	byNumber := &common.Block{}
	evaluate(byNumber, "GetBlockByNumber", strconv.FormatUint(status.BlockNumber, 10))
	require.Equal(t, status.BlockNumber, byNumber.GetHeader().GetNumber())

	byTxID := &common.Block{}
	evaluate(byTxID, "GetBlockByTxID", status.TransactionID)
	require.True(t, proto.Equal(byNumber, byTxID))

	last := &common.Block{}
	evaluate(last, "GetBlockByNumber", strconv.FormatUint(info.GetHeight()-1, 10))
	byHash := &common.Block{}
	evaluate(byHash, "GetBlockByHash", string(info.GetCurrentBlockHash()))
	require.True(t, proto.Equal(last, byHash))

	processed := &peer.ProcessedTransaction{}
	evaluate(processed, "GetTransactionByID", status.TransactionID)
	require.Equal(t, int32(peer.TxValidationCode_VALID), processed.GetValidationCode())
	require.NotEmpty(t, processed.GetTransactionEnvelope().GetSignature())

	t.Run("Unknown blocks, transactions and functions are errors", func(t *testing.T) {
		for _, args := range [][]string{
			{"GetBlockByNumber", network.Channel(), "999999"},
			{"GetTransactionByID", network.Channel(), "no-such-transaction"},
			{"GetSomething", network.Channel()},
			{"GetChainInfo", "otherchannel"},
		} {
			_, err := qscc.EvaluateTransaction(args[0], args[1:]...)
			require.Error(t, err, "%v", args)
		}
	})
}
