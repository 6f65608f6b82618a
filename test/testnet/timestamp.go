package testnet

import (
	"context"
	"fmt"
	"time"

	fabric "github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/scfledger/warrants/client"
)

// The ledger time of a transaction is the timestamp its client puts in the
// proposal's channel header. A client may choose it (within the endorsers' clock
// skew, R19), so tests choose it too: to reach a maturity or the end of an
// acceptance window without waiting, or to play a client that backdates. The
// client library's Connect takes a clock (client.WithClock); EndorseAt and SubmitAt
// restamp single proposals of the plain fabric-gateway client (client.Retime).

// EndorseAt endorses function of contract with args, as the identity of gw (the
// gateway contract was obtained from), with the proposal timestamp at.
func EndorseAt(ctx context.Context, gw *fabric.Gateway, contract *fabric.Contract, function string, at time.Time, args ...string) (*fabric.Transaction, error) {
	proposal, err := contract.NewProposal(function, fabric.WithArguments(args...))
	if err != nil {
		return nil, fmt.Errorf("%s: new proposal: %w", function, err)
	}
	data, err := proposal.Bytes()
	if err != nil {
		return nil, fmt.Errorf("%s: proposal bytes: %w", function, err)
	}
	retimed, err := client.Retime(data, at)
	if err != nil {
		return nil, err
	}
	timed, err := gw.NewProposal(retimed)
	if err != nil {
		return nil, fmt.Errorf("%s: retimed proposal: %w", function, err)
	}
	return timed.EndorseWithContext(ctx)
}

// SubmitAt endorses function with the proposal timestamp at (EndorseAt), submits
// the transaction and waits for its commit. It returns the endorsed transaction
// (its Result and TransactionID) and the commit status; an endorsement refusal
// comes back as the fabric-gateway error, which client.Code reads.
func SubmitAt(ctx context.Context, gw *fabric.Gateway, contract *fabric.Contract, function string, at time.Time, args ...string) (*fabric.Transaction, *fabric.Status, error) {
	transaction, err := EndorseAt(ctx, gw, contract, function, at, args...)
	if err != nil {
		return nil, nil, err
	}
	commit, err := transaction.SubmitWithContext(ctx)
	if err != nil {
		return transaction, nil, err
	}
	status, err := commit.StatusWithContext(ctx)
	if err != nil {
		return transaction, nil, err
	}
	return transaction, status, nil
}
