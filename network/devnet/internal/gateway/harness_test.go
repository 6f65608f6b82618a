package gateway

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	gp "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/proto"
)

const (
	testChannel   = "warrants"
	testChaincode = "warrant"
	org1          = "Org1MSP"
	org2          = "Org2MSP"
)

// harness runs a gateway Server over an in-process gRPC connection, with the
// fabric-gateway client connected to it as a throwaway Org1 identity.
type harness struct {
	server    *Server
	chain     *chain
	endorsers map[string]*fakeEndorser
	planner   *fakePlanner
	conn      *grpc.ClientConn
	gateway   *client.Gateway
	network   *client.Network
	contract  *client.Contract
	id        *identity.X509Identity
	sign      identity.Sign
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{
		chain: newChain(testChannel),
		endorsers: map[string]*fakeEndorser{
			org1: {mspID: org1},
			org2: {mspID: org2},
		},
		planner: &fakePlanner{orgs: []string{org1, org2}},
	}
	local := Peer{MSPID: org1, Address: "peer0.org1.example.com:7051", Endorser: h.endorsers[org1]}
	h.server = NewServer(Config{
		Channel:  testChannel,
		Local:    local,
		Peers:    []Peer{local, {MSPID: org2, Address: "peer0.org2.example.com:9051", Endorser: h.endorsers[org2]}},
		Planner:  h.planner,
		Orderer:  h.chain,
		Ledger:   h.chain,
		Notifier: h.chain,
		Verifier: ecdsaVerifier{},
	})

	listener := bufconn.Listen(1 << 20)
	grpcServer := grpc.NewServer()
	gp.RegisterGatewayServer(grpcServer, h.server)
	go func() { _ = grpcServer.Serve(listener) }()
	t.Cleanup(grpcServer.Stop)

	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return listener.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	h.conn = conn

	id, sign := newIdentity(t, org1)
	gw, err := client.Connect(id, client.WithSign(sign), client.WithClientConnection(conn))
	require.NoError(t, err)
	t.Cleanup(func() { _ = gw.Close() })
	h.gateway = gw
	h.sign = sign
	h.id = id
	h.network = gw.GetNetwork(testChannel)
	h.contract = h.network.GetContract(testChaincode)
	return h
}

// newIdentity creates a self-signed ECDSA identity of the given organization.
func newIdentity(t *testing.T, mspID string) (*identity.X509Identity, identity.Sign) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "User1@" + mspID},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	id, err := identity.NewX509Identity(mspID, cert)
	require.NoError(t, err)
	sign, err := identity.NewPrivateKeySign(key)
	require.NoError(t, err)
	return id, sign
}

// testContext bounds a test that waits on a stream, so a failure cannot hang it.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// creator is the serialized identity of the harness's client.
func (h *harness) creator(t *testing.T) []byte {
	t.Helper()
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: h.id.MspID(), IdBytes: h.id.Credentials()})
	require.NoError(t, err)
	return creator
}

// signRequest marshals a request and signs its bytes as the client does.
func (h *harness) signRequest(t *testing.T, request proto.Message) (data, signature []byte) {
	t.Helper()
	data, err := proto.Marshal(request)
	require.NoError(t, err)
	digest := sha256.Sum256(data)
	signature, err = h.sign(digest[:])
	require.NoError(t, err)
	return data, signature
}

// errorDetails returns the gateway.ErrorDetail values attached to a status error.
func errorDetails(t *testing.T, err error) []*gp.ErrorDetail {
	t.Helper()
	st, ok := status.FromError(err)
	require.True(t, ok, "not a gRPC status error: %v", err)
	var details []*gp.ErrorDetail
	for _, d := range st.Details() {
		if detail, ok := d.(*gp.ErrorDetail); ok {
			details = append(details, detail)
		}
	}
	return details
}
