package chaincode

import (
	"crypto/tls"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"

	"github.com/scfledger/warrants/network/devnet/config"
)

// maxMessageSize is the gRPC message limit on the chaincode stream, the same
// 100 MiB that Fabric peers and the shim's server use.
const maxMessageSize = 100 * 1024 * 1024

// clientKeepalive pings no more often than the shim server's enforcement
// policy allows (one ping a minute); a faster client would be disconnected.
var clientKeepalive = keepalive.ClientParameters{
	Time:                config.ChaincodeKeepaliveTime,
	Timeout:             config.ChaincodeKeepaliveTimeout,
	PermitWithoutStream: true,
}

// DialOption configures [Dial].
type DialOption func(*dialConfig)

type dialConfig struct {
	tls         *tls.Config
	chaincodeID string
	namespace   string
}

// WithTLS dials the chaincode server over TLS instead of plaintext.
func WithTLS(config *tls.Config) DialOption {
	return func(c *dialConfig) { c.tls = config }
}

// WithChaincodeID makes the handshake fail unless the chaincode registers
// with exactly this ID, as a Fabric peer refuses a chaincode it did not launch.
func WithChaincodeID(id string) DialOption {
	return func(c *dialConfig) { c.chaincodeID = id }
}

// WithNamespace sets the ledger namespace the chaincode's state lives in (the
// chaincode name). Without it the namespace is the registered chaincode ID up
// to its first ':'.
func WithNamespace(namespace string) DialOption {
	return func(c *dialConfig) { c.namespace = namespace }
}

func (c *dialConfig) grpcOptions() []grpc.DialOption {
	creds := insecure.NewCredentials()
	if c.tls != nil {
		creds = credentials.NewTLS(c.tls)
	}
	return []grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithKeepaliveParams(clientKeepalive),
		grpc.WithDefaultCallOptions(
			grpc.MaxCallRecvMsgSize(maxMessageSize),
			grpc.MaxCallSendMsgSize(maxMessageSize),
		),
	}
}

// namespaceFor returns the configured namespace or the name part of the
// registered chaincode ID ("name:version" → "name").
func (c *dialConfig) namespaceFor(registeredID string) string {
	if c.namespace != "" {
		return c.namespace
	}
	name, _, _ := strings.Cut(registeredID, ":")
	return name
}
