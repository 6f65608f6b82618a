package chaincode_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
)

// harness drives the test chaincode over one connection against a memStore.
type harness struct {
	conn   *chaincode.Connection
	store  *memStore
	client *client
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	address := freeAddress(t)
	startChaincode(t, address)
	conn := connect(t, address, chaincode.WithNamespace(testChaincode))
	return &harness{conn: conn, store: newMemStore(), client: newClient(t)}
}

func (h *harness) invoke(t *testing.T, args ...string) (*peer.Response, *peer.ChaincodeEvent, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	txID, signed, input := h.client.proposal(t, testChaincode, args...)
	response, event, err := h.conn.Execute(ctx, testChannel, txID, signed, input, h.store.simulator(txID))
	require.NoError(t, err)
	return response, event, txID
}

// ok invokes and requires status 200, returning the payload.
func (h *harness) ok(t *testing.T, args ...string) []byte {
	t.Helper()
	response, _, _ := h.invoke(t, args...)
	require.EqualValues(t, 200, response.GetStatus(), response.GetMessage())
	return response.GetPayload()
}

type record struct{ Key, Value string }

type page struct {
	Records  []record
	Count    int32
	Bookmark string
}

func TestExecute(t *testing.T) {
	h := newHarness(t)

	t.Run("Handshake records the registered ID and namespace", func(t *testing.T) {
		require.Equal(t, "asset:1.0", h.conn.ChaincodeID())
		require.Equal(t, testChaincode, h.conn.Namespace())
	})

	t.Run("Put, get and delete round-trip through the simulator", func(t *testing.T) {
		h.ok(t, "Put", "k1", "v1")
		require.Equal(t, []byte("v1"), h.store.value("k1"))
		require.Equal(t, []byte("v1"), h.ok(t, "Get", "k1"))
		h.ok(t, "Delete", "k1")
		require.Nil(t, h.store.value("k1"))
		response, _, _ := h.invoke(t, "Get", "k1")
		require.EqualValues(t, 500, response.GetStatus())
		require.Contains(t, response.GetMessage(), "asset k1 does not exist")
	})

	t.Run("Unpaged range returns every key across several batches", func(t *testing.T) {
		sim := h.store.simulator("setup")
		for i := range 250 {
			require.NoError(t, sim.SetState(testChaincode, fmt.Sprintf("r%03d", i), []byte(fmt.Sprint(i))))
		}
		var records []record
		require.NoError(t, json.Unmarshal(h.ok(t, "Range", "r", "s"), &records))
		require.Len(t, records, 250)
		require.Equal(t, "r000", records[0].Key)
		require.Equal(t, "r249", records[249].Key)
		require.Zero(t, h.store.openIterators())
	})

	t.Run("Paged range follows bookmarks to the end", func(t *testing.T) {
		var keys []string
		bookmark := ""
		for pages := 0; ; pages++ {
			require.Less(t, pages, 4)
			var p page
			require.NoError(t, json.Unmarshal(h.ok(t, "RangePage", "r100", "r125", "10", bookmark), &p))
			require.EqualValues(t, len(p.Records), p.Count)
			for _, r := range p.Records {
				keys = append(keys, r.Key)
			}
			if p.Bookmark == "" {
				require.Len(t, p.Records, 5)
				break
			}
			require.Len(t, p.Records, 10)
			bookmark = p.Bookmark
		}
		require.Len(t, keys, 25)
		require.Equal(t, "r110", keys[10])
		require.Zero(t, h.store.openIterators())
	})

	t.Run("History lists modifications newest first", func(t *testing.T) {
		_, _, tx1 := h.invoke(t, "Put", "h", "1")
		_, _, tx2 := h.invoke(t, "Put", "h", "2")
		_, _, tx3 := h.invoke(t, "Delete", "h")
		var history []struct {
			TxID     string
			Value    string
			IsDelete bool
		}
		require.NoError(t, json.Unmarshal(h.ok(t, "History", "h"), &history))
		require.Len(t, history, 3)
		require.Equal(t, tx3, history[0].TxID)
		require.True(t, history[0].IsDelete)
		require.Equal(t, tx2, history[1].TxID)
		require.Equal(t, "2", history[1].Value)
		require.Equal(t, tx1, history[2].TxID)
	})

	t.Run("Key-level endorsement policy round-trips through metadata", func(t *testing.T) {
		h.ok(t, "Put", "sbe", "v")
		h.ok(t, "SetEndorsementOrgs", "sbe", `["Org2MSP","Org1MSP"]`)
		md, err := h.store.simulator("check").GetStateMetadata(testChaincode, "sbe")
		require.NoError(t, err)
		require.NotEmpty(t, md[peer.MetaDataKeys_VALIDATION_PARAMETER.String()])
		var orgs []string
		require.NoError(t, json.Unmarshal(h.ok(t, "GetEndorsementOrgs", "sbe"), &orgs))
		require.ElementsMatch(t, []string{"Org1MSP", "Org2MSP"}, orgs)
	})

	t.Run("Chaincode error becomes status 500 with its message", func(t *testing.T) {
		response, event, _ := h.invoke(t, "Fail", "boom")
		require.EqualValues(t, 500, response.GetStatus())
		require.Equal(t, "boom", response.GetMessage())
		require.Nil(t, event)
	})

	t.Run("Event is returned stamped with chaincode and transaction", func(t *testing.T) {
		response, event, txID := h.invoke(t, "Emit", "Issued", "payload-1")
		require.EqualValues(t, 200, response.GetStatus())
		require.NotNil(t, event)
		require.Equal(t, "Issued", event.GetEventName())
		require.Equal(t, []byte("payload-1"), event.GetPayload())
		require.Equal(t, testChaincode, event.GetChaincodeId())
		require.Equal(t, txID, event.GetTxId())
	})

	t.Run("Creator MSP ID and attribute reach the chaincode", func(t *testing.T) {
		var caller struct{ MSPID, Role string }
		require.NoError(t, json.Unmarshal(h.ok(t, "Echo"), &caller))
		require.Equal(t, testMSPID, caller.MSPID)
		require.Equal(t, testRole, caller.Role)
	})

	t.Run("Fifty concurrent transactions share one stream", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := fmt.Sprintf("c%02d", i)
				txID, signed, input := h.client.proposal(t, testChaincode, "Put", key, key)
				response, _, err := h.conn.Execute(context.Background(), testChannel, txID, signed, input, h.store.simulator(txID))
				if err == nil && response.GetStatus() != 200 {
					err = fmt.Errorf("%s: status %d: %s", key, response.GetStatus(), response.GetMessage())
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		for i := range 50 {
			key := fmt.Sprintf("c%02d", i)
			require.Equal(t, []byte(key), h.store.value(key))
		}
	})

	t.Run("Rejects a transaction without a simulator", func(t *testing.T) {
		txID, signed, input := h.client.proposal(t, testChaincode, "Get", "x")
		_, _, err := h.conn.Execute(context.Background(), testChannel, txID, signed, input, nil)
		require.Error(t, err)
	})
}

func TestDialRejectsUnexpectedChaincodeID(t *testing.T) {
	address := freeAddress(t)
	startChaincode(t, address)
	connect(t, address) // wait until the server is up
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := chaincode.Dial(ctx, address, chaincode.WithChaincodeID("other:1.0"))
	require.ErrorContains(t, err, "will not accept external chaincode connection asset:1.0")
}
