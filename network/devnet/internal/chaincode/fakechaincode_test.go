package chaincode_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/scfledger/warrants/network/devnet/internal/chaincode"
)

// fakeChaincode is an in-process chaincode server whose stream the test
// drives by hand, to send requests the test chaincode never would.
type fakeChaincode struct {
	peer.UnimplementedChaincodeServer
	sessions chan *fakeSession
}

// fakeSession is one accepted stream; ending done ends the stream.
type fakeSession struct {
	stream peer.Chaincode_ConnectServer
	done   chan struct{}
}

func (f *fakeChaincode) Connect(stream peer.Chaincode_ConnectServer) error {
	id, _ := proto.Marshal(&peer.ChaincodeID{Name: "fake:1"})
	if err := stream.Send(&peer.ChaincodeMessage{Type: peer.ChaincodeMessage_REGISTER, Payload: id}); err != nil {
		return err
	}
	for _, want := range []peer.ChaincodeMessage_Type{peer.ChaincodeMessage_REGISTERED, peer.ChaincodeMessage_READY} {
		msg, err := stream.Recv()
		if err != nil {
			return err
		}
		if msg.GetType() != want {
			return nil
		}
	}
	session := &fakeSession{stream: stream, done: make(chan struct{})}
	f.sessions <- session
	<-session.done
	return nil
}

// startFake serves a fakeChaincode and returns a connection to it and the
// session the connection opened.
func startFake(t *testing.T) (*chaincode.Connection, *fakeSession) {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	server := grpc.NewServer()
	fake := &fakeChaincode{sessions: make(chan *fakeSession, 1)}
	peer.RegisterChaincodeServer(server, fake)
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(server.Stop)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := chaincode.Dial(ctx, listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	session := <-fake.sessions
	t.Cleanup(session.end)
	return conn, session
}

func (s *fakeSession) end() {
	select {
	case <-s.done:
	default:
		close(s.done)
	}
}

// expectTransaction receives the next TRANSACTION.
func (s *fakeSession) expectTransaction(t *testing.T) *peer.ChaincodeMessage {
	t.Helper()
	msg, err := s.stream.Recv()
	require.NoError(t, err)
	require.Equal(t, peer.ChaincodeMessage_TRANSACTION, msg.GetType())
	require.NotNil(t, msg.GetProposal())
	return msg
}

// call sends a request for tx and returns the peer's reply.
func (s *fakeSession) call(t *testing.T, tx *peer.ChaincodeMessage, typ peer.ChaincodeMessage_Type, payload []byte) *peer.ChaincodeMessage {
	t.Helper()
	require.NoError(t, s.stream.Send(&peer.ChaincodeMessage{Type: typ, Payload: payload, Txid: tx.GetTxid(), ChannelId: tx.GetChannelId()}))
	reply, err := s.stream.Recv()
	require.NoError(t, err)
	require.Equal(t, tx.GetTxid(), reply.GetTxid())
	require.Equal(t, tx.GetChannelId(), reply.GetChannelId())
	return reply
}

// complete answers tx with COMPLETED and status 200.
func (s *fakeSession) complete(t *testing.T, tx *peer.ChaincodeMessage) {
	t.Helper()
	payload, err := proto.Marshal(&peer.Response{Status: 200})
	require.NoError(t, err)
	require.NoError(t, s.stream.Send(&peer.ChaincodeMessage{Type: peer.ChaincodeMessage_COMPLETED, Payload: payload, Txid: tx.GetTxid(), ChannelId: tx.GetChannelId()}))
}

// result is what an Execute running in the background returned.
type result struct {
	response *peer.Response
	err      error
}

// executeAsync runs Execute in the background.
func executeAsync(ctx context.Context, conn *chaincode.Connection, txID string, store *memStore) <-chan result {
	results := make(chan result, 1)
	go func() {
		response, _, err := conn.Execute(ctx, testChannel, txID, &peer.SignedProposal{}, &peer.ChaincodeInput{}, store.simulator(txID))
		results <- result{response, err}
	}()
	return results
}
