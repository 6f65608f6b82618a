package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/scfledger/warrants/network/devnet"
)

// chaincodeName is the warrant chaincode's name on the channel.
const chaincodeName = "warrant"

// party is a member connected to its org's peer through the gateway.
type party struct {
	member
	gateway  *devnet.Gateway
	contract *client.Contract
}

// connect opens a gateway connection for m.
func connect(network *devnet.Network, m member) (*party, error) {
	gateway, err := network.Connect(m.MSPID, m.User)
	if err != nil {
		return nil, fmt.Errorf("connect %s@%s: %w", m.User, m.MSPID, err)
	}
	contract := gateway.GetNetwork(network.Channel()).GetContract(chaincodeName)
	return &party{member: m, gateway: gateway, contract: contract}, nil
}

func (p *party) close() { _ = p.gateway.Close() }

// outcome is what became of one transaction.
type outcome struct {
	latency time.Duration
	result  []byte
	// code is the validation code name of a committed but invalid transaction.
	code string
	// failure is why a transaction never committed ("endorse", "submit",
	// "commit status"), with err the error.
	failure string
	err     error
}

// ok reports whether the transaction committed valid (or the query answered).
func (o outcome) ok() bool { return o.failure == "" && o.code == "" }

// error returns the outcome as an error, nil when ok.
func (o outcome) error() error {
	switch {
	case o.failure != "":
		return fmt.Errorf("%s: %w", o.failure, o.err)
	case o.code != "":
		return fmt.Errorf("transaction committed as %s", o.code)
	}
	return nil
}

// submit endorses, orders and waits for the commit of function with request
// encoded as its JSON argument.
func (p *party) submit(ctx context.Context, function string, request any) outcome {
	arg, err := json.Marshal(request)
	if err != nil {
		return outcome{failure: "encode", err: err}
	}
	start := time.Now()
	result, commit, err := p.contract.SubmitAsyncWithContext(ctx, function, client.WithBytesArguments(arg))
	if err != nil {
		var endorseErr *client.EndorseError
		if errors.As(err, &endorseErr) {
			return outcome{failure: "endorse", err: err}
		}
		return outcome{failure: "submit", err: err}
	}
	status, err := commit.StatusWithContext(ctx)
	if err != nil {
		return outcome{failure: "commit status", err: err}
	}
	o := outcome{latency: time.Since(start), result: result}
	if status.Code != peer.TxValidationCode_VALID {
		o.code = status.Code.String()
	}
	return o
}

// evaluate runs a query on the gateway's peer.
func (p *party) evaluate(ctx context.Context, function string, args ...string) outcome {
	start := time.Now()
	result, err := p.contract.EvaluateWithContext(ctx, function, client.WithArguments(args...))
	if err != nil {
		return outcome{failure: "evaluate", err: err}
	}
	return outcome{latency: time.Since(start), result: result}
}
