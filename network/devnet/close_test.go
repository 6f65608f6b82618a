package devnet_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet"
)

// TestCloseUnderLoad closes a network while clients evaluate and submit: every
// call in flight ends with an error or a result, and nothing touches a closed
// ledger (which would panic the process).
func TestCloseUnderLoad(t *testing.T) {
	network, err := devnet.Start(context.Background(), devnet.Options{Config: testConfig("MAJORITY Endorsement"), FreePorts: true})
	require.NoError(t, err)
	var clients sync.WaitGroup
	stop := make(chan struct{})
	for worker := range 16 {
		gateway, err := network.Connect("CoreEnterpriseMSP", "User1")
		require.NoError(t, err)
		contract := gateway.GetNetwork(network.Channel()).GetContract("basic")
		clients.Add(1)
		go func() {
			defer clients.Done()
			defer gateway.Close()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_, _ = contract.EvaluateTransaction("Range", "", "")
				_, _ = contract.SubmitTransaction("Put", fmt.Sprintf("w%d-%d", worker, i), "v")
			}
		}()
	}
	time.Sleep(time.Second)
	require.NoError(t, network.Close())
	close(stop)
	clients.Wait()
}
