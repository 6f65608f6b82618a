package testnet_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/test/testnet"
)

func TestSubmitAt(t *testing.T) {
	net := testnet.Start(t)
	gw, contract := net.Gateway(t, testnet.AsCore)
	ctx := context.Background()
	at := time.Now().UTC().Add(time.Minute).Truncate(time.Millisecond)

	t.Run("The transaction's ledger time is the chosen timestamp", func(t *testing.T) {
		request, err := json.Marshal(net.IssueRequest(testnet.Jinggong, 1_000_00))
		require.NoError(t, err)
		transaction, status, err := testnet.SubmitAt(ctx, gw, contract, warrant.IssuanceContract+":Issue", at, string(request))
		require.NoError(t, err)
		require.Equal(t, peer.TxValidationCode_VALID, status.Code)
		var issued warrant.Warrant
		require.NoError(t, json.Unmarshal(transaction.Result(), &issued))
		require.True(t, at.Equal(issued.IssuedAt), "issued at %s, want %s", issued.IssuedAt, at)

		read, err := net.Connect(t, testnet.AsCore).GetWarrant(ctx, issued.ID)
		require.NoError(t, err)
		require.True(t, at.Equal(read.IssuedAt))
	})

	t.Run("A refusal at the chosen time carries the chaincode's code", func(t *testing.T) {
		_, _, err := testnet.SubmitAt(ctx, gw, contract, warrant.IssuanceContract+":Issue", at, "{}")
		require.NotEmpty(t, client.Code(err), "no chaincode error code in %v", err)
	})
}

func TestStartWith(t *testing.T) {
	t.Run("A bare network runs the given chaincode, has no enterprise and stops once", func(t *testing.T) {
		made := 0
		net := testnet.StartWith(t, testnet.Options{Bare: true, Chaincode: func() (shim.Chaincode, error) {
			made++
			return testnet.NewChaincode()
		}})
		require.Equal(t, 1, made)
		_, err := net.Connect(t, testnet.AsCore).GetEnterprise(context.Background(), testnet.Core)
		require.Equal(t, warrant.CodeNotFound, client.Code(err), "%v", err)
		require.NoError(t, net.Stop())
		require.NoError(t, net.Stop())
	})
}

func TestSharedStartsOnceAndCloseRemovesIt(t *testing.T) {
	shared := testnet.NewShared(testnet.Options{Bare: true})
	first := shared.Get(t)
	t.Run("Every test gets the same network", func(t *testing.T) {
		require.Same(t, first, shared.Get(t))
	})
	t.Run("Close stops it and removes its directory", func(t *testing.T) {
		require.NoError(t, shared.Close())
		<-first.Done()
		require.ErrorIs(t, first.Err(), devnet.ErrClosed)
		require.NoDirExists(t, first.Dir())
	})
}
