package test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// lookup is one query whose answer is part of a ledger fingerprint.
type lookup struct {
	function string
	args     []string
}

// fingerprint is what a set of queries answer and how many blocks the orderer
// has cut: a rejected call must leave both unchanged.
type fingerprint struct {
	height  uint64
	answers map[string]string
}

// warrantLookups fingerprints warrants by their whole history, which any
// committed change of the warrant lengthens.
func warrantLookups(ids ...string) []lookup {
	lookups := make([]lookup, 0, 2*len(ids))
	for _, id := range ids {
		lookups = append(lookups, lookup{"query:History", []string{id}}, lookup{"query:GetWarrant", []string{id}})
	}
	return lookups
}

// enterpriseLookups fingerprints the cast, the parameters and the core
// enterprise's credit line.
func enterpriseLookups(extra ...string) []lookup {
	lookups := []lookup{{"query:GetParams", nil}, {"query:GetCreditLine", []string{codeOf(core)}}}
	for _, m := range members {
		lookups = append(lookups, lookup{"query:GetEnterprise", []string{m.enterprise.CreditCode}})
	}
	for _, code := range extra {
		lookups = append(lookups, lookup{"query:GetEnterprise", []string{code}})
	}
	return lookups
}

// fingerprint takes the ledger's fingerprint over the given lookups.
func (c *chain) fingerprint(t *testing.T, lookups []lookup) fingerprint {
	t.Helper()
	f := fingerprint{height: c.height(), answers: map[string]string{}}
	for _, l := range lookups {
		answer, err := c.raw(l.function, l.args...)
		require.NoError(t, err, "%s %v", l.function, l.args)
		f.answers[l.function+" "+strings.Join(l.args, ",")] = string(answer)
	}
	return f
}

// requireUnchanged requires the ledger to have the fingerprint it had before.
func (c *chain) requireUnchanged(t *testing.T, before fingerprint, lookups []lookup) {
	t.Helper()
	require.Equal(t, before.height, c.height(), "no block was cut")
	c.requireSameAnswers(t, before, lookups)
}

// requireSameAnswers requires the lookups to answer as they did before,
// whatever blocks were cut meanwhile.
func (c *chain) requireSameAnswers(t *testing.T, before fingerprint, lookups []lookup) {
	t.Helper()
	after := c.fingerprint(t, lookups)
	for key, answer := range before.answers {
		require.Equal(t, answer, after.answers[key], key)
	}
}
