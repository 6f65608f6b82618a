package contracts_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// TestNeedToKnowReadsOnTheDevNetwork checks the wiring of R20: the query contract reads
// for the caller of the proposal, for warrants, related parties, credit lines and
// enterprises' controllers alike.
func TestNeedToKnowReadsOnTheDevNetwork(t *testing.T) {
	l := newLedger(t)
	l.onboard()
	w := l.active(10_000)
	listJinggong := l.body(warrant.ListRequest{Party: codeT1A})
	reads := []struct {
		fn   string
		args []string
	}{
		{"query:GetWarrant", []string{w.ID}},
		{"query:History", []string{w.ID}},
		{"query:Lineage", []string{l.body(warrant.LineageRequest{RootID: w.ID})}},
		{"query:RootSummary", []string{w.ID}},
		{"query:ListByHolder", []string{listJinggong}},
		{"query:RelatedParties", []string{codeT1A}},
	}
	for _, r := range reads {
		var out any
		require.NoError(t, l.evaluateAs(asJinggong, r.fn, &out, r.args...), "the holder: %s", r.fn)
		require.NoError(t, l.evaluateAs(asAssoc, r.fn, &out, r.args...), "the association: %s", r.fn)
		require.Equal(t, warrant.CodeForbidden, code(t, l.evaluateAs(asShengtong, r.fn, &out, r.args...)), "an outsider: %s", r.fn)
		require.Equal(t, warrant.CodeForbidden, code(t, l.evaluateAs(asNoAttributes, r.fn, &out, r.args...)), "no scf attributes: %s", r.fn)
	}
	var out any
	require.NoError(t, l.evaluateAs(asCore, "query:GetWarrant", &out, w.ID), "the debtor")
	require.Equal(t, warrant.CodeForbidden, code(t, l.evaluateAs(asBank, "query:GetWarrant", &out, w.ID)), "a bank not asked")
	require.Equal(t, entryOf(w), l.lookup("query:LookupRegistryNo", w.RegistryNo), "an outsider learns the public entry only")
	for _, reader := range []string{asCore, asBank, asAssoc} {
		require.NoError(t, l.evaluateAs(reader, "query:GetCreditLine", &out, codeCore), "credit line: %s", reader)
	}
	require.Equal(t, warrant.CodeForbidden, code(t, l.evaluateAs(asShengtong, "query:GetCreditLine", &out, codeCore)), "a supplier reads a bank's credit line")
	var enterprise warrant.Enterprise
	require.NoError(t, l.evaluateAs(asShengtong, "query:GetEnterprise", &enterprise, codeT1A))
	require.Equal(t, codeT1A, enterprise.CreditCode)
	require.Empty(t, enterprise.Controller, "another supplier learns the register entry, not the controller")
}
