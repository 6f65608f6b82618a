package devnettest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// stepTimeout bounds each step of a client's transaction: evaluate,
// endorse, submit and commit status.
const stepTimeout = 30 * time.Second

// Connect returns a fabric-gateway client for an enrolled user of an org,
// connected without TLS to that org's peer, with the user's credentials read
// from the fabric-samples layout under the network directory. The
// connection closes when the process is killed or stopped, or earlier
// through the returned Closer.
func (p *Process) Connect(mspID, user string) (*client.Gateway, io.Closer, error) {
	return p.ConnectAt(mspID, mspID, user)
}

// ConnectAt is Connect to the peer of another org, peerMSPID: a client of one org
// evaluating on another org's peer, as a Fabric gateway allows.
func (p *Process) ConnectAt(peerMSPID, mspID, user string) (*client.Gateway, io.Closer, error) {
	org, err := p.runner.cfg.Org(mspID)
	if err != nil {
		return nil, nil, err
	}
	address := p.PeerAddress(peerMSPID)
	if address == "" {
		return nil, nil, fmt.Errorf("no peer address for %s", peerMSPID)
	}
	mspDir := filepath.Join(p.runner.dir, "organizations", "peerOrganizations", org.Domain, "users", user+"@"+org.Domain, "msp")
	certPEM, err := os.ReadFile(filepath.Join(mspDir, "signcerts", "cert.pem"))
	if err != nil {
		return nil, nil, fmt.Errorf("certificate of %s@%s: %w", user, org.Domain, err)
	}
	keyPEM, err := os.ReadFile(filepath.Join(mspDir, "keystore", "priv_sk"))
	if err != nil {
		return nil, nil, fmt.Errorf("key of %s@%s: %w", user, org.Domain, err)
	}
	cert, err := identity.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate of %s@%s: %w", user, org.Domain, err)
	}
	id, err := identity.NewX509Identity(mspID, cert)
	if err != nil {
		return nil, nil, fmt.Errorf("identity of %s@%s: %w", user, org.Domain, err)
	}
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("key of %s@%s: %w", user, org.Domain, err)
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return nil, nil, fmt.Errorf("signer of %s@%s: %w", user, org.Domain, err)
	}
	conn, err := grpc.NewClient(address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, nil, fmt.Errorf("dial peer of %s: %w", mspID, err)
	}
	gateway, err := client.Connect(id, client.WithSign(sign), client.WithHash(hash.SHA256), client.WithClientConnection(conn),
		client.WithEvaluateTimeout(stepTimeout), client.WithEndorseTimeout(stepTimeout),
		client.WithSubmitTimeout(stepTimeout), client.WithCommitStatusTimeout(stepTimeout))
	if err != nil {
		_ = conn.Close()
		return nil, nil, fmt.Errorf("connect %s@%s: %w", user, org.Domain, err)
	}
	p.mu.Lock()
	p.conns = append(p.conns, conn)
	p.mu.Unlock()
	return gateway, conn, nil
}
