package devnet_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/network/devnet"
	"github.com/scfledger/warrants/network/devnet/config"
)

// counterContract reads and writes in one transaction, which the test asset
// chaincode never does; it runs in the test process as chaincode "counter".
type counterContract struct {
	contractapi.Contract
}

// Put stores value under key without reading it.
func (c *counterContract) Put(ctx contractapi.TransactionContextInterface, key, value string) error {
	return ctx.GetStub().PutState(key, []byte(value))
}

// Delete removes key without reading it.
func (c *counterContract) Delete(ctx contractapi.TransactionContextInterface, key string) error {
	return ctx.GetStub().DelState(key)
}

// Increment reads the number under key (0 when absent) and writes it plus one.
func (c *counterContract) Increment(ctx contractapi.TransactionContextInterface, key string) (int, error) {
	value, err := ctx.GetStub().GetState(key)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", key, err)
	}
	n := 0
	if value != nil {
		if n, err = strconv.Atoi(string(value)); err != nil {
			return 0, fmt.Errorf("%s is not a number: %w", key, err)
		}
	}
	n++
	return n, ctx.GetStub().PutState(key, []byte(strconv.Itoa(n)))
}

// CountInto counts the keys in [start, end) and writes the count under target.
func (c *counterContract) CountInto(ctx contractapi.TransactionContextInterface, start, end, target string) (int, error) {
	it, err := ctx.GetStub().GetStateByRange(start, end)
	if err != nil {
		return 0, fmt.Errorf("range [%s, %s): %w", start, end, err)
	}
	defer it.Close()
	n := 0
	for it.HasNext() {
		if _, err := it.Next(); err != nil {
			return 0, fmt.Errorf("range [%s, %s): %w", start, end, err)
		}
		n++
	}
	return n, ctx.GetStub().PutState(target, []byte(strconv.Itoa(n)))
}

// startCounterNetwork starts the test network with the counter contract
// defined as chaincode "counter", served in-process.
func startCounterNetwork(t *testing.T) *devnet.Network {
	t.Helper()
	counter, err := contractapi.NewChaincode(&counterContract{})
	require.NoError(t, err)
	cfg := testConfig("MAJORITY Endorsement")
	// The address is a placeholder: InProcess serves the chaincode.
	cfg.Chaincodes = append(cfg.Chaincodes, config.Chaincode{Name: "counter", Version: "1.0", Address: "127.0.0.1:1", EndorsementPolicy: "MAJORITY Endorsement"})
	return startNetworkWith(t, devnet.Options{Config: cfg, InProcess: map[string]shim.Chaincode{"counter": counter}})
}

func TestConcurrentReadModifyWriteOfOneKey(t *testing.T) {
	t.Parallel()
	network := startCounterNetwork(t)
	core := connectGateway(t, network, core, "User1").GetNetwork(network.Channel()).GetContract("counter")
	bank := connectGateway(t, network, bank, "User1").GetNetwork(network.Channel()).GetContract("counter")
	submitEverywhere(t, network, core, "Increment", "hits")

	// Both clients read hits=1 and write 2 before either commits.
	transactions := []*client.Transaction{
		endorse(t, core, "Increment", client.WithArguments("hits")),
		endorse(t, bank, "Increment", client.WithArguments("hits")),
	}
	codes := make([]peer.TxValidationCode, len(transactions))
	commits := make([]*client.Commit, len(transactions))
	var wg sync.WaitGroup
	for i, transaction := range transactions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			commit, err := transaction.Submit()
			if !assertNoError(t, err) {
				return
			}
			status, err := commit.Status()
			if assertNoError(t, err) {
				codes[i], commits[i] = status.Code, commit
			}
		}()
	}
	wg.Wait()
	for _, commit := range commits {
		require.NotNil(t, commit)
		awaitEverywhere(t, network, commit)
	}

	t.Run("One commits and the other fails with an MVCC read conflict", func(t *testing.T) {
		require.ElementsMatch(t, []peer.TxValidationCode{peer.TxValidationCode_VALID, peer.TxValidationCode_MVCC_READ_CONFLICT}, codes)
	})

	t.Run("The state holds the one valid increment", func(t *testing.T) {
		value, err := core.EvaluateTransaction("Increment", "hits")
		require.NoError(t, err)
		require.Equal(t, "3", string(value), "evaluating reads 2 and returns 2+1")
	})

	t.Run("Submitting the losing function again commits", func(t *testing.T) {
		value, err := bank.SubmitTransaction("Increment", "hits")
		require.NoError(t, err)
		require.Equal(t, "3", string(value))
	})
}

func TestReadConflicts(t *testing.T) {
	t.Parallel()
	network := startCounterNetwork(t)
	counter := connectGateway(t, network, core, "User1").GetNetwork(network.Channel()).GetContract("counter")

	tests := []struct {
		name string
		// first is endorsed before second commits; args name keys with %s,
		// which becomes a prefix unique to the case.
		first, second []string
		want          peer.TxValidationCode
	}{
		{
			name:   "A read-modify-write after the key changed fails with an MVCC read conflict",
			first:  []string{"Increment", "%s-n"},
			second: []string{"Put", "%s-n", "41"},
			want:   peer.TxValidationCode_MVCC_READ_CONFLICT,
		},
		{
			name:   "A read-modify-write after the key was deleted fails with an MVCC read conflict",
			first:  []string{"Increment", "%s-a"},
			second: []string{"Delete", "%s-a"},
			want:   peer.TxValidationCode_MVCC_READ_CONFLICT,
		},
		{
			name:   "A read of an absent key fails when the key is created meanwhile",
			first:  []string{"Increment", "%s-new"},
			second: []string{"Put", "%s-new", "7"},
			want:   peer.TxValidationCode_MVCC_READ_CONFLICT,
		},
		{
			name:   "A range read fails with a phantom read conflict when a key is inserted into the range",
			first:  []string{"CountInto", "%s-a", "%s-z", "%s-count"},
			second: []string{"Put", "%s-m", "new"},
			want:   peer.TxValidationCode_PHANTOM_READ_CONFLICT,
		},
		{
			name:   "A range read fails with a phantom read conflict when a key in the range is updated",
			first:  []string{"CountInto", "%s-a", "%s-z", "%s-count"},
			second: []string{"Put", "%s-b", "changed"},
			want:   peer.TxValidationCode_PHANTOM_READ_CONFLICT,
		},
		{
			name:   "A range read fails with a phantom read conflict when a key in the range is deleted",
			first:  []string{"CountInto", "%s-a", "%s-z", "%s-count"},
			second: []string{"Delete", "%s-c"},
			want:   peer.TxValidationCode_PHANTOM_READ_CONFLICT,
		},
		{
			name:   "A range read commits when only keys past its end change",
			first:  []string{"CountInto", "%s-a", "%s-z", "%s-count"},
			second: []string{"Put", "%s-z", "outside"},
			want:   peer.TxValidationCode_VALID,
		},
		{
			name:   "A read-modify-write commits when another key changes",
			first:  []string{"Increment", "%s-n"},
			second: []string{"Put", "%s-b", "unrelated"},
			want:   peer.TxValidationCode_VALID,
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := fmt.Sprintf("case%02d", i)
			args := func(call []string) []string {
				out := make([]string, len(call)-1)
				for j, arg := range call[1:] {
					out[j] = fmt.Sprintf(arg, prefix)
				}
				return out
			}
			for _, key := range []string{"a", "b", "c", "n"} {
				submitEverywhere(t, network, counter, "Put", prefix+"-"+key, "1")
			}

			first := endorse(t, counter, tt.first[0], client.WithArguments(args(tt.first)...))
			_, err := counter.SubmitTransaction(tt.second[0], args(tt.second)...)
			require.NoError(t, err)

			status := submitStatus(t, first)
			require.Equal(t, tt.want, status.Code)
			require.Equal(t, tt.want == peer.TxValidationCode_VALID, status.Successful)
		})
	}
}

func TestReadOnlyTransactionsAreValidatedToo(t *testing.T) {
	t.Parallel()
	network := startNetwork(t, testConfig("MAJORITY Endorsement"), "")
	contract := connect(t, network, core, "User1")
	submitEverywhere(t, network, contract, "Put", "ro", "v1")

	read := endorse(t, contract, "Get", client.WithArguments("ro"))
	require.Equal(t, "v1", string(read.Result()))
	submitEverywhere(t, network, contract, "Put", "ro", "v2")

	_, err := contract.Submit("Get", client.WithArguments("ro"))
	require.NoError(t, err, "a fresh read commits")
	require.Equal(t, peer.TxValidationCode_MVCC_READ_CONFLICT, submitStatus(t, read).Code, "a stale read does not")
}
