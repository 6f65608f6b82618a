package devnet

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/scfledger/warrants/network/devnet/internal/crypto"
)

// Dir is the network's directory: crypto material under organizations/, ledgers, blocks.
func (n *Network) Dir() string { return n.dir }

// Material is the network's crypto material.
func (n *Network) Material() *crypto.Material { return n.material }

// Channel is the name of the network's channel.
func (n *Network) Channel() string { return n.config.Channel }

// PeerAddress is the host:port where an org's peer serves gRPC.
func (n *Network) PeerAddress(mspID string) (string, error) {
	address, ok := n.addresses[mspID]
	if !ok {
		return "", fmt.Errorf("no peer for MSP ID %q", mspID)
	}
	return address, nil
}

// Height is the number of blocks the orderer has cut.
func (n *Network) Height() uint64 { return n.orderer.Height() }

// Dial opens a gRPC connection to an org's peer, over TLS with the org's TLS
// CA unless the network is plaintext. The caller closes it.
func (n *Network) Dial(mspID string) (*grpc.ClientConn, error) {
	address, err := n.PeerAddress(mspID)
	if err != nil {
		return nil, err
	}
	org, err := n.config.Org(mspID)
	if err != nil {
		return nil, err
	}
	material, err := n.material.Org(mspID)
	if err != nil {
		return nil, err
	}
	transport := insecure.NewCredentials()
	if !n.plaintext {
		roots := x509.NewCertPool()
		roots.AddCert(material.TLSCACert)
		transport = credentials.NewClientTLSFromCert(roots, org.PeerHost())
	}
	conn, err := grpc.NewClient(address, grpc.WithTransportCredentials(transport))
	if err != nil {
		return nil, fmt.Errorf("dial peer of %s: %w", mspID, err)
	}
	return conn, nil
}

// Gateway is a fabric-gateway connection with the gRPC connection under it.
type Gateway struct {
	*client.Gateway
	conn *grpc.ClientConn
}

// Close closes the gateway and its gRPC connection.
func (g *Gateway) Close() error {
	_ = g.Gateway.Close()
	return g.conn.Close()
}

// Connect returns a fabric-gateway client for an enrolled user of an org,
// connected to that org's peer. Options are added after the defaults (SHA-256
// hashing and the per-step timeouts of the network's configuration).
func (n *Network) Connect(mspID, user string, options ...client.ConnectOption) (*Gateway, error) {
	org, err := n.material.Org(mspID)
	if err != nil {
		return nil, err
	}
	credentials, err := org.User(user)
	if err != nil {
		return nil, err
	}
	id, err := identity.NewX509Identity(mspID, credentials.Cert)
	if err != nil {
		return nil, fmt.Errorf("identity of %s@%s: %w", user, org.Domain, err)
	}
	sign, err := identity.NewPrivateKeySign(credentials.Key)
	if err != nil {
		return nil, fmt.Errorf("signer of %s@%s: %w", user, org.Domain, err)
	}
	conn, err := n.Dial(mspID)
	if err != nil {
		return nil, err
	}
	defaults := []client.ConnectOption{
		client.WithSign(sign),
		client.WithHash(hash.SHA256),
		client.WithClientConnection(conn),
		client.WithEvaluateTimeout(time.Duration(n.timeouts.Evaluate)),
		client.WithEndorseTimeout(time.Duration(n.timeouts.Endorse)),
		client.WithSubmitTimeout(time.Duration(n.timeouts.Submit)),
		client.WithCommitStatusTimeout(time.Duration(n.timeouts.CommitStatus)),
	}
	gateway, err := client.Connect(id, append(defaults, options...)...)
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("connect %s@%s: %w", user, org.Domain, err)
	}
	return &Gateway{Gateway: gateway, conn: conn}, nil
}
