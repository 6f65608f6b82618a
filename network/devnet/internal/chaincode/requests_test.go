package chaincode_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
)

func TestRequestHandling(t *testing.T) {
	conn, session := startFake(t)
	store := newMemStore()
	require.NoError(t, store.simulator("setup").SetState("fake", "present", []byte("v")))
	results := executeAsync(context.Background(), conn, "tx-requests", store)
	tx := session.expectTransaction(t)

	tests := []struct {
		name    string
		typ     peer.ChaincodeMessage_Type
		payload []byte
		want    peer.ChaincodeMessage_Type
		text    string
	}{
		{"Rich queries are refused as on LevelDB", peer.ChaincodeMessage_GET_QUERY_RESULT,
			mustMarshal(t, &peer.GetQueryResult{Query: "{}"}), peer.ChaincodeMessage_ERROR, "ExecuteQuery not supported for leveldb"},
		{"Private reads name the undefined collection", peer.ChaincodeMessage_GET_STATE,
			mustMarshal(t, &peer.GetState{Key: "k", Collection: "secret"}), peer.ChaincodeMessage_ERROR, "collection [secret] not defined"},
		{"Private writes are refused", peer.ChaincodeMessage_PUT_STATE,
			mustMarshal(t, &peer.PutState{Key: "k", Value: []byte("v"), Collection: "secret"}), peer.ChaincodeMessage_ERROR, "collection [secret] not defined"},
		{"Private data hashes are refused", peer.ChaincodeMessage_GET_PRIVATE_DATA_HASH,
			mustMarshal(t, &peer.GetState{Key: "k", Collection: "secret"}), peer.ChaincodeMessage_ERROR, "collection [secret] not defined"},
		{"Chaincode-to-chaincode calls are refused", peer.ChaincodeMessage_INVOKE_CHAINCODE,
			mustMarshal(t, &peer.ChaincodeSpec{}), peer.ChaincodeMessage_ERROR, "not supported"},
		{"Unknown request types get an error", peer.ChaincodeMessage_GET_HISTORY_FOR_KEY + 100,
			nil, peer.ChaincodeMessage_ERROR, "cannot handle message"},
		{"A purge needs a collection", peer.ChaincodeMessage_PURGE_PRIVATE_DATA,
			mustMarshal(t, &peer.DelState{Key: "k"}), peer.ChaincodeMessage_ERROR, "only applicable for private data"},
		{"A purge names the undefined collection", peer.ChaincodeMessage_PURGE_PRIVATE_DATA,
			mustMarshal(t, &peer.DelState{Key: "k", Collection: "secret"}), peer.ChaincodeMessage_ERROR, "collection [secret] not defined"},
		{"Batched writes refuse private data", peer.ChaincodeMessage_WRITE_BATCH_STATE,
			mustMarshal(t, &peer.WriteBatchState{Rec: []*peer.WriteRecord{{Key: "k", Value: []byte("v"), Collection: "secret", Type: peer.WriteRecord_PUT_STATE}}}),
			peer.ChaincodeMessage_ERROR, "collection [secret] not defined"},
		{"Batched writes need a key", peer.ChaincodeMessage_WRITE_BATCH_STATE,
			mustMarshal(t, &peer.WriteBatchState{Rec: []*peer.WriteRecord{{Value: []byte("v"), Type: peer.WriteRecord_PUT_STATE}}}),
			peer.ChaincodeMessage_ERROR, "key must not be an empty string"},
		{"Batched metadata writes need an entry", peer.ChaincodeMessage_WRITE_BATCH_STATE,
			mustMarshal(t, &peer.WriteBatchState{Rec: []*peer.WriteRecord{{Key: "k", Type: peer.WriteRecord_PUT_STATE_METADATA}}}),
			peer.ChaincodeMessage_ERROR, "metadata entry is missing"},
		{"Reads of many keys refuse private data", peer.ChaincodeMessage_GET_STATE_MULTIPLE,
			mustMarshal(t, &peer.GetStateMultiple{Keys: []string{"k"}, Collection: "secret"}), peer.ChaincodeMessage_ERROR, "collection [secret] not defined"},
		{"Errors name the request and transaction as Fabric does", peer.ChaincodeMessage_GET_STATE,
			[]byte{0xff, 0xff}, peer.ChaincodeMessage_ERROR, "GET_STATE failed: transaction ID: tx-requests: unmarshal failed"},
		{"Next on an unknown iterator fails", peer.ChaincodeMessage_QUERY_STATE_NEXT,
			mustMarshal(t, &peer.QueryStateNext{Id: "nope"}), peer.ChaincodeMessage_ERROR, "query iterator not found"},
		{"Metadata writes need an entry", peer.ChaincodeMessage_PUT_STATE_METADATA,
			mustMarshal(t, &peer.PutStateMetadata{Key: "k"}), peer.ChaincodeMessage_ERROR, "metadata entry is missing"},
		{"Writes need a key", peer.ChaincodeMessage_PUT_STATE,
			mustMarshal(t, &peer.PutState{Value: []byte("v")}), peer.ChaincodeMessage_ERROR, "key must not be an empty string"},
		{"Reads of an absent key return an empty payload", peer.ChaincodeMessage_GET_STATE,
			mustMarshal(t, &peer.GetState{Key: "absent"}), peer.ChaincodeMessage_RESPONSE, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reply := session.call(t, tx, tc.typ, tc.payload)
			require.Equal(t, tc.want, reply.GetType(), string(reply.GetPayload()))
			if tc.want == peer.ChaincodeMessage_ERROR {
				require.Contains(t, string(reply.GetPayload()), tc.text)
			} else {
				require.Empty(t, reply.GetPayload())
			}
		})
	}

	t.Run("Close of an unknown iterator answers has_more=false", func(t *testing.T) {
		reply := session.call(t, tx, peer.ChaincodeMessage_QUERY_STATE_CLOSE, mustMarshal(t, &peer.QueryStateClose{Id: "nope"}))
		require.Equal(t, peer.ChaincodeMessage_RESPONSE, reply.GetType())
		response := &peer.QueryResponse{}
		require.NoError(t, proto.Unmarshal(reply.GetPayload(), response))
		require.False(t, response.GetHasMore())
		require.Equal(t, "nope", response.GetId())
	})

	t.Run("An empty value in PUT_STATE deletes the key", func(t *testing.T) {
		reply := session.call(t, tx, peer.ChaincodeMessage_PUT_STATE, mustMarshal(t, &peer.PutState{Key: "present"}))
		require.Equal(t, peer.ChaincodeMessage_RESPONSE, reply.GetType())
		require.Nil(t, store.value("present"))
	})

	t.Run("GET_STATE_MULTIPLE answers every key in order, empty when absent", func(t *testing.T) {
		require.NoError(t, store.simulator("setup-multiple").SetState("fake", "other", []byte("w")))
		reply := session.call(t, tx, peer.ChaincodeMessage_GET_STATE_MULTIPLE, mustMarshal(t, &peer.GetStateMultiple{Keys: []string{"other", "absent", "other"}}))
		require.Equal(t, peer.ChaincodeMessage_RESPONSE, reply.GetType(), string(reply.GetPayload()))
		result := &peer.GetStateMultipleResult{}
		require.NoError(t, proto.Unmarshal(reply.GetPayload(), result))
		require.Len(t, result.GetValues(), 3)
		require.Equal(t, []byte("w"), result.GetValues()[0])
		require.Empty(t, result.GetValues()[1])
		require.Equal(t, []byte("w"), result.GetValues()[2])
	})

	t.Run("WRITE_BATCH_STATE applies puts, deletes and metadata writes", func(t *testing.T) {
		batch := &peer.WriteBatchState{Rec: []*peer.WriteRecord{
			{Key: "b1", Value: []byte("x"), Type: peer.WriteRecord_PUT_STATE},
			{Key: "other", Type: peer.WriteRecord_DEL_STATE},
			{Key: "b1", Metadata: &peer.StateMetadata{Metakey: "VALIDATION_PARAMETER", Value: []byte("p")}, Type: peer.WriteRecord_PUT_STATE_METADATA},
		}}
		reply := session.call(t, tx, peer.ChaincodeMessage_WRITE_BATCH_STATE, mustMarshal(t, batch))
		require.Equal(t, peer.ChaincodeMessage_RESPONSE, reply.GetType(), string(reply.GetPayload()))
		require.Empty(t, reply.GetPayload())
		require.Equal(t, []byte("x"), store.value("b1"))
		require.Nil(t, store.value("other"))
		require.Equal(t, []byte("p"), store.metadata["b1"]["VALIDATION_PARAMETER"])
	})

	t.Run("KEEPALIVE is ignored and the transaction completes", func(t *testing.T) {
		require.NoError(t, session.stream.Send(&peer.ChaincodeMessage{Type: peer.ChaincodeMessage_KEEPALIVE}))
		session.complete(t, tx)
		got := <-results
		require.NoError(t, got.err)
		require.EqualValues(t, 200, got.response.GetStatus())
	})

	t.Run("Requests for an unknown transaction get an error", func(t *testing.T) {
		reply := session.call(t, tx, peer.ChaincodeMessage_GET_STATE, mustMarshal(t, &peer.GetState{Key: "k"}))
		require.Equal(t, peer.ChaincodeMessage_ERROR, reply.GetType())
		require.Contains(t, string(reply.GetPayload()), "no ledger context")
	})
}

func TestRangeBatches(t *testing.T) {
	conn, session := startFake(t)
	store := newMemStore()
	sim := store.simulator("setup")
	for i := range 250 {
		require.NoError(t, sim.SetState("fake", fmt.Sprintf("k%03d", i), []byte("v")))
	}
	results := executeAsync(context.Background(), conn, "tx-range", store)
	tx := session.expectTransaction(t)

	reply := session.call(t, tx, peer.ChaincodeMessage_GET_STATE_BY_RANGE, mustMarshal(t, &peer.GetStateByRange{StartKey: "k", EndKey: "l"}))
	require.Equal(t, peer.ChaincodeMessage_RESPONSE, reply.GetType())
	first := &peer.QueryResponse{}
	require.NoError(t, proto.Unmarshal(reply.GetPayload(), first))
	require.Len(t, first.GetResults(), 100)
	require.True(t, first.GetHasMore())

	reply = session.call(t, tx, peer.ChaincodeMessage_QUERY_STATE_NEXT, mustMarshal(t, &peer.QueryStateNext{Id: first.GetId()}))
	second := &peer.QueryResponse{}
	require.NoError(t, proto.Unmarshal(reply.GetPayload(), second))
	require.Len(t, second.GetResults(), 100)
	require.True(t, second.GetHasMore())
	require.Equal(t, 1, store.openIterators())

	// The chaincode abandons the iterator; completion must close it.
	session.complete(t, tx)
	require.NoError(t, (<-results).err)
	require.Zero(t, store.openIterators())
}

func TestExecuteFailures(t *testing.T) {
	t.Run("ERROR from the chaincode fails the transaction", func(t *testing.T) {
		conn, session := startFake(t)
		results := executeAsync(context.Background(), conn, "tx-error", newMemStore())
		tx := session.expectTransaction(t)
		require.NoError(t, session.stream.Send(&peer.ChaincodeMessage{Type: peer.ChaincodeMessage_ERROR, Payload: []byte("init failed"), Txid: tx.GetTxid(), ChannelId: tx.GetChannelId()}))
		got := <-results
		require.ErrorIs(t, got.err, chaincode.ErrTransactionFailed)
		require.ErrorContains(t, got.err, "init failed")
	})

	t.Run("Cancelled context abandons the transaction", func(t *testing.T) {
		conn, session := startFake(t)
		ctx, cancel := context.WithCancel(context.Background())
		results := executeAsync(ctx, conn, "tx-cancel", newMemStore())
		tx := session.expectTransaction(t)
		cancel()
		require.ErrorIs(t, (<-results).err, context.Canceled)
		reply := session.call(t, tx, peer.ChaincodeMessage_GET_STATE, mustMarshal(t, &peer.GetState{Key: "k"}))
		require.Equal(t, peer.ChaincodeMessage_ERROR, reply.GetType())
	})

	t.Run("Duplicate transaction IDs are rejected while one runs", func(t *testing.T) {
		conn, session := startFake(t)
		results := executeAsync(context.Background(), conn, "tx-dup", newMemStore())
		tx := session.expectTransaction(t)
		_, _, err := conn.Execute(context.Background(), testChannel, "tx-dup", &peer.SignedProposal{}, &peer.ChaincodeInput{}, newMemStore().simulator("tx-dup"))
		require.ErrorContains(t, err, "exists")
		session.complete(t, tx)
		require.NoError(t, (<-results).err)
	})

	t.Run("A broken stream fails in-flight transactions", func(t *testing.T) {
		conn, session := startFake(t)
		results := executeAsync(context.Background(), conn, "tx-broken", newMemStore())
		session.expectTransaction(t)
		session.end()
		require.ErrorIs(t, (<-results).err, chaincode.ErrConnectionClosed)
		<-conn.Done()
		require.ErrorIs(t, conn.Err(), chaincode.ErrConnectionClosed)
		_, _, err := conn.Execute(context.Background(), testChannel, "tx-after", &peer.SignedProposal{}, &peer.ChaincodeInput{}, newMemStore().simulator("tx-after"))
		require.ErrorIs(t, err, chaincode.ErrConnectionClosed)
	})
}
