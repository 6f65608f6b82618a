package devnettest

import (
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"
)

// Endorse builds and endorses a proposal without submitting it, failing the
// test on an error: for tests that submit, tamper with or time the
// transaction themselves.
func Endorse(t testing.TB, contract *client.Contract, function string, options ...client.ProposalOption) *client.Transaction {
	t.Helper()
	proposal, err := contract.NewProposal(function, options...)
	require.NoError(t, err)
	transaction, err := proposal.Endorse()
	require.NoError(t, err)
	return transaction
}

// SubmitStatus submits an endorsed transaction and waits for its commit
// status, failing the test on an error.
func SubmitStatus(t testing.TB, transaction *client.Transaction) *client.Status {
	t.Helper()
	commit, err := transaction.Submit()
	require.NoError(t, err)
	status, err := commit.Status()
	require.NoError(t, err)
	return status
}
