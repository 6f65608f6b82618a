package test

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	warrantclient "github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/test/cast"
	"github.com/scfledger/warrants/test/testnet"
)

// MSP IDs of the cast's orgs (test/cast).
var (
	mspCore  = cast.Get(cast.Core).Org
	mspBank  = cast.Get(cast.Bank).Org
	mspAssoc = cast.Get(cast.Association).Org
)

// longEnv selects the long variant of every suite when set to 1.
const longEnv = "SCF_LONG"

// long reports whether the long variants run.
func long() bool { return os.Getenv(longEnv) == "1" }

// chain drives the warrant chaincode as the network's users. It keeps one
// gateway connection per identity; fresh gives a connection of its own to
// clients that must not share one.
type chain struct {
	t       *testing.T
	channel string
	// dir is the network's directory: its crypto material and connection profiles.
	dir  string
	dial func(identity) (*client.Gateway, io.Closer, error)
	// height is the orderer's block height, when the network runs in this process.
	height func() uint64
	// reader is the identity that evaluates queries, on its org's peer.
	reader identity

	mu        sync.Mutex
	contracts map[identity]*client.Contract
	closers   []io.Closer
	invoices  atomic.Int64
}

// newChain starts a network (test/testnet) with the cast onboarded and returns a
// chain over it.
func newChain(t *testing.T) (*chain, *testnet.Net) {
	t.Helper()
	net := testnet.Start(t)
	return chainOn(t, net), net
}

// chainOn drives an in-process network.
func chainOn(t *testing.T, net *testnet.Net) *chain {
	dial := func(id identity) (*client.Gateway, io.Closer, error) {
		gw, err := net.Network.Connect(id.mspID, id.user)
		if err != nil {
			return nil, nil, err
		}
		return gw.Gateway, gw, nil
	}
	return newChainWith(t, net.Channel(), net.Dir(), dial, net.Height)
}

func newChainWith(t *testing.T, channel, dir string, dial func(identity) (*client.Gateway, io.Closer, error), height func() uint64) *chain {
	if height == nil {
		height = func() uint64 { return 0 }
	}
	c := &chain{t: t, channel: channel, dir: dir, dial: dial, height: height, reader: assoc, contracts: map[identity]*client.Contract{}}
	t.Cleanup(c.close)
	return c
}

// close closes every gateway connection the chain opened.
func (c *chain) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, closer := range c.closers {
		_ = closer.Close()
	}
	c.closers, c.contracts = nil, map[identity]*client.Contract{}
}

// contract is the warrant chaincode as seen by an identity, over a shared connection.
func (c *chain) contract(id identity) *client.Contract {
	c.mu.Lock()
	contract, ok := c.contracts[id]
	c.mu.Unlock()
	if ok {
		return contract
	}
	contract, _ = c.fresh(id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if existing, ok := c.contracts[id]; ok {
		return existing
	}
	c.contracts[id] = contract
	return contract
}

// fresh opens a connection of its own for an identity, closed with the chain.
func (c *chain) fresh(id identity) (*client.Contract, *client.Gateway) {
	gw, closer, err := c.dial(id)
	require.NoError(c.t, err, "connect %s", id)
	c.mu.Lock()
	c.closers = append(c.closers, closer)
	c.mu.Unlock()
	return gw.GetNetwork(c.channel).GetContract(testnet.ChaincodeName), gw
}

// submit runs a mutating function with request as its JSON argument (a string
// is passed as it is) and decodes the result into out when out is not nil.
func (c *chain) submit(id identity, function string, request, out any) error {
	result, err := c.contract(id).SubmitTransaction(function, encode(c.t, request))
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(result, out); err != nil {
			return fmt.Errorf("decode result of %s: %w", function, err)
		}
	}
	return nil
}

// mustSubmit is submit that fails the test on error.
func (c *chain) mustSubmit(id identity, function string, request, out any) {
	c.t.Helper()
	require.NoError(c.t, c.submit(id, function, request, out), "%s as %s", function, id)
}

// evaluate runs a query function as the reader and decodes its result.
func (c *chain) evaluate(out any, function string, args ...string) error {
	result, err := c.contract(c.reader).EvaluateTransaction(function, args...)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(result, out); err != nil {
		return fmt.Errorf("decode result of %s: %w", function, err)
	}
	return nil
}

// mustEvaluate is evaluate that fails the test on error.
func (c *chain) mustEvaluate(out any, function string, args ...string) {
	c.t.Helper()
	require.NoError(c.t, c.evaluate(out, function, args...), "%s %v", function, args)
}

// raw evaluates a query function and returns its result bytes.
func (c *chain) raw(function string, args ...string) ([]byte, error) {
	return c.contract(c.reader).EvaluateTransaction(function, args...)
}

// encode turns a request into the function's JSON argument.
func encode(t testing.TB, request any) string {
	if text, ok := request.(string); ok {
		return text
	}
	body, err := json.Marshal(request)
	require.NoError(t, err)
	return string(body)
}

// requireCode requires err to carry the structured chaincode error code want.
func requireCode(t testing.TB, want warrant.Code, err error, context ...any) {
	t.Helper()
	where := fmt.Sprint(context...)
	require.Error(t, err, where)
	got := warrantclient.Code(err)
	require.NotEmpty(t, got, "%s: no structured chaincode error in %v", where, err)
	require.Equal(t, want, got, "%s: %v", where, err)
}
