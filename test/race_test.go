package test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	warrantclient "github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/test/testnet"
)

// contender is one client of a race: who calls which function with what, and
// at what ledger time (the proposal timestamp; zero means now).
type contender struct {
	id       identity
	function string
	request  any
	at       time.Time
}

// outcome is what became of a contender's transaction.
type outcome struct {
	contender
	// result is the function's result, as endorsed.
	result []byte
	// code is the transaction's validation code once committed.
	code peer.TxValidationCode
	// rejected is the chaincode's error code when endorsement was refused.
	rejected warrant.Code
	// err is any other failure.
	err error
}

// race gives every contender a connection of its own, endorses all their
// transactions against the same state, then submits them all at once and
// waits for their commit status.
func (c *chain) race(contenders []contender) []outcome {
	outcomes := make([]outcome, len(contenders))
	contracts := make([]*client.Contract, len(contenders))
	gateways := make([]*client.Gateway, len(contenders))
	for i, each := range contenders {
		outcomes[i].contender = each
		contracts[i], gateways[i] = c.fresh(each.id)
	}
	transactions := make([]*client.Transaction, len(contenders))
	var wg sync.WaitGroup
	for i, each := range contenders {
		wg.Go(func() {
			transaction, err := c.endorse(gateways[i], contracts[i], each)
			if err != nil {
				outcomes[i].rejected = warrantclient.Code(err)
				if outcomes[i].rejected == "" {
					outcomes[i].err = fmt.Errorf("endorse: %w", err)
				}
				return
			}
			transactions[i], outcomes[i].result = transaction, transaction.Result()
		})
	}
	wg.Wait()
	for i, transaction := range transactions {
		if transaction == nil {
			continue
		}
		wg.Go(func() {
			commit, err := transaction.Submit()
			if err != nil {
				outcomes[i].err = fmt.Errorf("submit: %w", err)
				return
			}
			status, err := commit.Status()
			if err != nil {
				outcomes[i].err = fmt.Errorf("commit status: %w", err)
				return
			}
			outcomes[i].code = status.Code
		})
	}
	wg.Wait()
	return outcomes
}

// endorse endorses a contender's transaction, at its time when it has one.
func (c *chain) endorse(gw *client.Gateway, contract *client.Contract, each contender) (*client.Transaction, error) {
	if !each.at.IsZero() {
		return testnet.EndorseAt(context.Background(), gw, contract, each.function, each.at, encode(c.t, each.request))
	}
	proposal, err := contract.NewProposal(each.function, client.WithArguments(encode(c.t, each.request)))
	if err != nil {
		return nil, fmt.Errorf("new proposal: %w", err)
	}
	return proposal.Endorse()
}

// requireOneWinner requires exactly one transaction of a race to commit VALID
// and every other to fail with an MVCC read conflict or be refused by the
// chaincode; it returns the winner.
func requireOneWinner(t *testing.T, outcomes []outcome) outcome {
	t.Helper()
	var winners []outcome
	conflicts, rejections := 0, 0
	for i, o := range outcomes {
		require.NoError(t, o.err, "contender %d", i)
		switch {
		case o.rejected != "":
			rejections++
		case o.code == peer.TxValidationCode_VALID:
			winners = append(winners, o)
		default:
			require.Equal(t, peer.TxValidationCode_MVCC_READ_CONFLICT, o.code, "contender %d", i)
			conflicts++
		}
	}
	require.Len(t, winners, 1, "%d conflicts, %d rejections", conflicts, rejections)
	require.Equal(t, len(outcomes)-1, conflicts+rejections)
	return winners[0]
}
