package gateway

import (
	"context"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// wantEvent is an event as the client delivers it.
type wantEvent struct {
	block   uint64
	name    string
	payload string
}

// populateEvents commits blocks 1 to 4:
//
//	1: events "created", "conflict" (invalid transaction), none, "updated"
//	2: a config transaction
//	3: an event of another chaincode
//	4: event "settled"
func populateEvents(t *testing.T, h *harness) {
	t.Helper()
	h.chain.batching = true
	submit := func(contract *client.Contract, args ...string) {
		_, _, err := contract.SubmitAsync(args[0], client.WithArguments(args[1:]...))
		require.NoError(t, err)
	}
	submit(h.contract, "emit", "created", "p1")
	submit(h.contract, "emit", "conflict", "p2")
	submit(h.contract, "echo", "no event")
	submit(h.contract, "emit", "updated", "p3")
	h.chain.cut()
	genesis, err := h.chain.GetBlock(0)
	require.NoError(t, err)
	h.chain.append(genesis.GetData().GetData(), []peer.TxValidationCode{peer.TxValidationCode_VALID}, []string{""})
	submit(h.network.GetContract("other"), "emit", "foreign", "p")
	h.chain.cut()
	submit(h.contract, "emit", "settled", "p4")
	h.chain.cut()
	require.Equal(t, uint64(5), h.chain.Height())
}

func TestChaincodeEventsResponses(t *testing.T) {
	h := newHarness(t)
	populateEvents(t, h)
	ctx := testContext(t)
	data, signature := h.signRequest(t, &gp.ChaincodeEventsRequest{
		ChannelId: testChannel, ChaincodeId: testChaincode, Identity: h.creator(t),
		StartPosition: &orderer.SeekPosition{Type: &orderer.SeekPosition_Specified{Specified: &orderer.SeekSpecified{Number: 1}}},
	})
	stream, err := gp.NewGatewayClient(h.conn).ChaincodeEvents(ctx, &gp.SignedChaincodeEventsRequest{Request: data, Signature: signature})
	require.NoError(t, err)

	var got [][]string
	var blocks []uint64
	for range 2 {
		response, err := stream.Recv()
		require.NoError(t, err)
		blocks = append(blocks, response.GetBlockNumber())
		var names []string
		for _, event := range response.GetEvents() {
			require.Equal(t, testChaincode, event.GetChaincodeId())
			names = append(names, event.GetEventName())
		}
		got = append(got, names)
	}
	require.Equal(t, []uint64{1, 4}, blocks, "one response per block with matching events")
	require.Equal(t, [][]string{{"created", "updated"}, {"settled"}}, got)
}

func TestChaincodeEvents(t *testing.T) {
	tests := []struct {
		name    string
		options []client.ChaincodeEventsOption
		want    []wantEvent
	}{
		{
			name:    "Delivers the valid events of the chaincode from the start block",
			options: []client.ChaincodeEventsOption{client.WithStartBlock(1)},
			want:    []wantEvent{{1, "created", "p1"}, {1, "updated", "p3"}, {4, "settled", "p4"}},
		},
		{
			name:    "Starts at a later block",
			options: []client.ChaincodeEventsOption{client.WithStartBlock(2)},
			want:    []wantEvent{{4, "settled", "p4"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			populateEvents(t, h)
			events, err := h.network.ChaincodeEvents(testContext(t), testChaincode, tt.options...)
			require.NoError(t, err)
			for _, want := range tt.want {
				event := <-events
				require.NotNil(t, event, "stream ended early")
				require.Equal(t, want, wantEvent{event.BlockNumber, event.EventName, string(event.Payload)})
				require.Equal(t, testChaincode, event.ChaincodeName)
			}
		})
	}
}

func TestChaincodeEventsResumeFromCheckpoint(t *testing.T) {
	h := newHarness(t)
	populateEvents(t, h)
	checkpointer := new(client.InMemoryCheckpointer)

	ctx, cancel := context.WithCancel(testContext(t))
	events, err := h.network.ChaincodeEvents(ctx, testChaincode, client.WithStartBlock(1))
	require.NoError(t, err)
	first := <-events
	require.NotNil(t, first)
	require.Equal(t, "created", first.EventName)
	checkpointer.CheckpointChaincodeEvent(first)
	cancel()

	resumed, err := h.network.ChaincodeEvents(testContext(t), testChaincode, client.WithCheckpoint(checkpointer))
	require.NoError(t, err)
	for _, want := range []wantEvent{{1, "updated", "p3"}, {4, "settled", "p4"}} {
		event := <-resumed
		require.NotNil(t, event, "stream ended early")
		require.Equal(t, want, wantEvent{event.BlockNumber, event.EventName, string(event.Payload)})
	}
}

func TestChaincodeEventsWaitForTheNextCommit(t *testing.T) {
	h := newHarness(t)
	populateEvents(t, h)
	h.chain.batching = false
	h.chain.waiting = make(chan uint64, 1)

	events, err := h.network.ChaincodeEvents(testContext(t), testChaincode)
	require.NoError(t, err)
	require.Equal(t, uint64(5), <-h.chain.waiting, "the stream waits for the next block")
	_, _, err = h.contract.SubmitAsync("emit", client.WithArguments("later", "p5"))
	require.NoError(t, err)

	event := <-events
	require.NotNil(t, event, "stream ended early")
	require.Equal(t, wantEvent{5, "later", "p5"}, wantEvent{event.BlockNumber, event.EventName, string(event.Payload)})
}

func TestChaincodeEventsStopsWhenTheClientLeaves(t *testing.T) {
	h := newHarness(t)
	h.chain.waiting = make(chan uint64, 1)
	data, signature := h.signRequest(t, &gp.ChaincodeEventsRequest{ChannelId: testChannel, ChaincodeId: testChaincode, Identity: h.creator(t)})
	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	go func() {
		done <- h.server.ChaincodeEvents(&gp.SignedChaincodeEventsRequest{Request: data, Signature: signature}, &eventStream{ctx: ctx})
	}()
	<-h.chain.waiting
	cancel()
	require.Equal(t, codes.Canceled, status.Code(<-done))
}

func TestChaincodeEventsRejectsBadRequests(t *testing.T) {
	tests := []struct {
		name      string
		request   func(h *harness) *gp.ChaincodeEventsRequest
		signature []byte
		code      codes.Code
	}{
		{
			name: "Rejects a request with a bad signature",
			request: func(h *harness) *gp.ChaincodeEventsRequest {
				return &gp.ChaincodeEventsRequest{ChannelId: testChannel, ChaincodeId: testChaincode, Identity: h.creator(t)}
			},
			signature: []byte("not a signature"),
			code:      codes.PermissionDenied,
		},
		{
			name: "Rejects a request for another channel",
			request: func(h *harness) *gp.ChaincodeEventsRequest {
				return &gp.ChaincodeEventsRequest{ChannelId: "other", ChaincodeId: testChaincode, Identity: h.creator(t)}
			},
			code: codes.PermissionDenied,
		},
		{
			name: "Rejects an unsupported start position",
			request: func(h *harness) *gp.ChaincodeEventsRequest {
				return &gp.ChaincodeEventsRequest{
					ChannelId: testChannel, ChaincodeId: testChaincode, Identity: h.creator(t),
					StartPosition: &orderer.SeekPosition{Type: &orderer.SeekPosition_Oldest{Oldest: &orderer.SeekOldest{}}},
				}
			},
			code: codes.InvalidArgument,
		},
		{
			name:    "Rejects an empty request",
			request: func(*harness) *gp.ChaincodeEventsRequest { return nil },
			code:    codes.InvalidArgument,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			signed := &gp.SignedChaincodeEventsRequest{}
			if request := tt.request(h); request != nil {
				signed.Request, signed.Signature = h.signRequest(t, request)
			}
			if tt.signature != nil {
				signed.Signature = tt.signature
			}
			stream, err := gp.NewGatewayClient(h.conn).ChaincodeEvents(testContext(t), signed)
			require.NoError(t, err)
			_, err = stream.Recv()
			require.Equal(t, tt.code, status.Code(err), "error: %v", err)
		})
	}
}

func TestChaincodeEventsFromBlock(t *testing.T) {
	h := newHarness(t)
	valid := []byte{byte(peer.TxValidationCode_VALID)}
	tests := []struct {
		name     string
		data     [][]byte
		metadata [][]byte
		want     []string
	}{
		{
			name:     "Returns the event of a valid transaction",
			data:     [][]byte{signedEnvelope(t, h, "emit", "created")},
			metadata: [][]byte{nil, nil, valid},
			want:     []string{"created"},
		},
		{
			name: "Skips a transaction without a validation code",
			data: [][]byte{signedEnvelope(t, h, "emit", "created")},
		},
		{
			name:     "Skips an event without a name",
			data:     [][]byte{signedEnvelope(t, h, "emit", "")},
			metadata: [][]byte{nil, nil, valid},
		},
		{
			name:     "Skips an envelope that does not parse",
			data:     [][]byte{[]byte("garbage")},
			metadata: [][]byte{nil, nil, valid},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			block := &common.Block{Data: &common.BlockData{Data: tt.data}, Metadata: &common.BlockMetadata{Metadata: tt.metadata}}
			var names []string
			for _, event := range chaincodeEvents(block) {
				names = append(names, event.GetEventName())
			}
			require.Equal(t, tt.want, names)
		})
	}
}

// signedEnvelope endorses a transaction and returns its envelope bytes.
func signedEnvelope(t *testing.T, h *harness, function string, args ...string) []byte {
	t.Helper()
	proposal, err := h.contract.NewProposal(function, client.WithArguments(args...))
	require.NoError(t, err)
	transaction, err := proposal.Endorse()
	require.NoError(t, err)
	envelope := preparedTransaction(t, transaction).Envelope
	envelope.Signature = []byte("signature")
	return mustMarshal(envelope)
}

// eventStream is a server stream that only has a context.
type eventStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *eventStream) Context() context.Context { return s.ctx }

func (s *eventStream) Send(*gp.ChaincodeEventsResponse) error { return nil }
