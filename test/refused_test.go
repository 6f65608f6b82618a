package test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// refusedCall is a call the chaincode must refuse with a given code.
type refusedCall struct {
	name     string
	as       identity
	function string
	args     []string
	want     warrant.Code
}

// concurrentRounds is how often the long variant sends a whole batch of
// refused calls again, all at once.
const concurrentRounds = 4

// requireRefused submits each call in a subtest of its own and requires the
// chaincode to refuse it with its code; a call that were endorsed would be
// submitted and committed, for the fingerprint to catch. The long variant
// then sends the whole batch concurrently, from a connection per call, a few
// times over.
func (c *chain) requireRefused(t *testing.T, calls []refusedCall) {
	for _, call := range calls {
		t.Run(call.name, func(t *testing.T) {
			_, err := c.contract(call.as).Submit(call.function, client.WithArguments(call.args...))
			requireCode(t, call.want, err)
		})
	}
	if !long() {
		return
	}
	t.Run(fmt.Sprintf("The same calls sent all at once, %d times over, are refused alike", concurrentRounds), func(t *testing.T) {
		contracts := make([]*client.Contract, len(calls))
		for i, call := range calls {
			contracts[i], _ = c.fresh(call.as)
		}
		for range concurrentRounds {
			errs := make([]error, len(calls))
			var wg sync.WaitGroup
			for i, call := range calls {
				wg.Go(func() {
					_, errs[i] = contracts[i].Submit(call.function, client.WithArguments(call.args...))
				})
			}
			wg.Wait()
			for i, call := range calls {
				requireCode(t, call.want, errs[i], call.name)
			}
		}
	})
}
