package client

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	fabric "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/scfledger/warrants/client/profile"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// Client calls the warrant chaincode as one identity through one peer's gateway. It is
// safe for concurrent use. Close it when done.
type Client struct {
	conn      *grpc.ClientConn
	gateway   *fabric.Gateway
	network   *fabric.Network
	chaincode string
	mspID     string
	opts      options
}

// Connect dials the peer named by cfg and returns a Client acting as cfg's identity.
func Connect(cfg Config, opts ...Option) (*Client, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	target, mspID, err := cfg.peer()
	if err != nil {
		return nil, err
	}
	id, sign, err := cfg.identity(mspID)
	if err != nil {
		return nil, err
	}
	transport := insecure.NewCredentials()
	if target.TLS {
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(target.RootPEM) {
			return nil, errors.New("peer TLS root: no PEM certificate")
		}
		transport = credentials.NewClientTLSFromCert(roots, target.HostAlias)
	}
	conn, err := grpc.NewClient(target.Address, grpc.WithTransportCredentials(transport))
	if err != nil {
		return nil, fmt.Errorf("dial peer %s: %w", target.Address, err)
	}
	gw, err := fabric.Connect(id, fabric.WithSign(sign), fabric.WithHash(hash.SHA256), fabric.WithClientConnection(conn),
		fabric.WithEvaluateTimeout(o.evaluateTimeout), fabric.WithEndorseTimeout(o.endorseTimeout),
		fabric.WithSubmitTimeout(o.submitTimeout), fabric.WithCommitStatusTimeout(o.commitStatusTimeout))
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("connect gateway: %w", err)
	}
	channel, chaincode := cfg.Channel, cfg.Chaincode
	if channel == "" {
		channel = DefaultChannel
	}
	if chaincode == "" {
		chaincode = DefaultChaincode
	}
	return &Client{conn: conn, gateway: gw, network: gw.GetNetwork(channel), chaincode: chaincode, mspID: mspID, opts: o}, nil
}

// Close closes the gateway and its gRPC connection.
func (c *Client) Close() error {
	return errors.Join(c.gateway.Close(), c.conn.Close())
}

// MSPID is the MSP ID of the client's identity.
func (c *Client) MSPID() string { return c.mspID }

// peer resolves the peer to dial and the identity's MSP ID.
func (cfg Config) peer() (profile.Target, string, error) {
	mspID := cfg.MSPID
	var target profile.Target
	if cfg.Profile != "" {
		p, err := profile.Load(cfg.Profile)
		if err != nil {
			return profile.Target{}, "", err
		}
		if target, err = p.Target(cfg.Peer); err != nil {
			return profile.Target{}, "", err
		}
		if mspID == "" {
			mspID = p.MSPID()
		}
	}
	if cfg.Endpoint != "" {
		target.Address = cfg.Endpoint
	}
	if cfg.HostAlias != "" {
		target.HostAlias = cfg.HostAlias
	}
	if cfg.TLSCertPath != "" {
		data, err := os.ReadFile(cfg.TLSCertPath)
		if err != nil {
			return profile.Target{}, "", fmt.Errorf("peer TLS root: %w", err)
		}
		target.TLS, target.RootPEM = true, data
	}
	if target.Address == "" {
		return profile.Target{}, "", errors.New("no peer: give a connection profile or an endpoint")
	}
	if mspID == "" {
		return profile.Target{}, "", errors.New("no MSP ID: give one or a connection profile naming the client organization")
	}
	return target, mspID, nil
}

// identity loads the X.509 identity and its signer.
func (cfg Config) identity(mspID string) (*identity.X509Identity, identity.Sign, error) {
	cert, err := cfg.Certificate()
	if err != nil {
		return nil, nil, err
	}
	_, keyPath, err := cfg.credentialPaths()
	if err != nil {
		return nil, nil, err
	}
	id, err := identity.NewX509Identity(mspID, cert)
	if err != nil {
		return nil, nil, fmt.Errorf("identity: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, fmt.Errorf("read private key: %w", err)
	}
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("parse private key %s: %w", keyPath, err)
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return nil, nil, fmt.Errorf("signer: %w", err)
	}
	return id, sign, nil
}

// SubmitJSON submits contract:function with one JSON argument and returns the raw JSON
// result once committed. A request with a non-empty requestID is retried on read
// conflicts. The typed methods call it; it is exported for tools that pass requests
// through (such as a command line reading request files).
func (c *Client) SubmitJSON(ctx context.Context, contract, function, requestID string, request []byte) ([]byte, error) {
	return c.SubmitPrivateJSON(ctx, contract, function, requestID, request, Private{})
}

// Private is the private data of a proposal (R17): Transient goes in the proposal's
// transient map, never on the ledger; EndorsingOrgs, when set, are the only orgs whose
// peers receive the proposal (and so the transient data).
type Private struct {
	Transient     map[string][]byte
	EndorsingOrgs []string
}

// SubmitPrivateJSON is SubmitJSON with private data: the transient map and, if set, the
// endorsing orgs.
func (c *Client) SubmitPrivateJSON(ctx context.Context, contract, function, requestID string, request []byte, private Private) ([]byte, error) {
	name := contract + ":" + function
	options := []fabric.ProposalOption{fabric.WithArguments(string(request))}
	if len(private.Transient) > 0 {
		options = append(options, fabric.WithTransient(private.Transient))
	}
	if len(private.EndorsingOrgs) > 0 {
		options = append(options, fabric.WithEndorsingOrganizations(private.EndorsingOrgs...))
	}
	return retry(ctx, c.opts.retry, c.opts.sleep, name, requestID, func(ctx context.Context) ([]byte, error) {
		return c.submitOnce(ctx, contract, function, options...)
	})
}

// submitOnce endorses, submits and waits for one transaction, each step under its own
// timeout.
func (c *Client) submitOnce(ctx context.Context, contract, function string, options ...fabric.ProposalOption) ([]byte, error) {
	name := contract + ":" + function
	proposal, err := c.network.GetContractWithName(c.chaincode, contract).NewProposal(function, options...)
	if err == nil {
		proposal, err = c.stamped(proposal)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	endorseCtx, cancel := withTimeout(ctx, c.opts.endorseTimeout)
	transaction, err := proposal.EndorseWithContext(endorseCtx)
	cancel()
	if err != nil {
		return nil, decodeError(name, proposal.TransactionID(), err)
	}
	submitCtx, cancel := withTimeout(ctx, c.opts.submitTimeout)
	commit, err := transaction.SubmitWithContext(submitCtx)
	cancel()
	if err != nil {
		return nil, decodeError(name, transaction.TransactionID(), err)
	}
	statusCtx, cancel := withTimeout(ctx, c.opts.commitStatusTimeout)
	status, err := commit.StatusWithContext(statusCtx)
	cancel()
	if err != nil {
		return nil, decodeError(name, transaction.TransactionID(), err)
	}
	if !status.Successful {
		return nil, &CommitError{Function: name, TransactionID: status.TransactionID, Code: status.Code}
	}
	return transaction.Result(), nil
}

// EvaluateJSON evaluates contract:function with string arguments and returns the raw
// JSON result.
func (c *Client) EvaluateJSON(ctx context.Context, contract, function string, args ...string) ([]byte, error) {
	ctx, cancel := withTimeout(ctx, c.opts.evaluateTimeout)
	defer cancel()
	proposal, err := c.network.GetContractWithName(c.chaincode, contract).NewProposal(function, fabric.WithArguments(args...))
	if err == nil {
		proposal, err = c.stamped(proposal)
	}
	if err != nil {
		return nil, fmt.Errorf("%s:%s: %w", contract, function, err)
	}
	result, err := proposal.EvaluateWithContext(ctx)
	if err != nil {
		return nil, decodeError(contract+":"+function, "", err)
	}
	return result, nil
}

// submit marshals a typed request, submits it and decodes the typed result.
func submit[Res any](ctx context.Context, c *Client, contract, function, requestID string, request any) (*Res, error) {
	return submitPrivate[Res](ctx, c, contract, function, requestID, request, Private{})
}

// submitPrivate is submit with private data (R17).
func submitPrivate[Res any](ctx context.Context, c *Client, contract, function, requestID string, request any, private Private) (*Res, error) {
	data, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("%s:%s: encode request: %w", contract, function, err)
	}
	result, err := c.SubmitPrivateJSON(ctx, contract, function, requestID, data, private)
	if err != nil {
		return nil, err
	}
	return decodeResult[Res](contract, function, result)
}

// evaluate runs a query with string arguments and decodes the typed result.
func evaluate[Res any](ctx context.Context, c *Client, contract, function string, args ...string) (*Res, error) {
	result, err := c.EvaluateJSON(ctx, contract, function, args...)
	if err != nil {
		return nil, err
	}
	return decodeResult[Res](contract, function, result)
}

// evaluateRequest runs a query taking one JSON request and decodes the typed result.
func evaluateRequest[Res any](ctx context.Context, c *Client, contract, function string, request any) (*Res, error) {
	data, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("%s:%s: encode request: %w", contract, function, err)
	}
	return evaluate[Res](ctx, c, contract, function, string(data))
}

func decodeResult[Res any](contract, function string, data []byte) (*Res, error) {
	var res Res
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("%s:%s: decode result: %w", contract, function, err)
	}
	return &res, nil
}
