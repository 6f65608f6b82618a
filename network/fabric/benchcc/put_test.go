package main

import (
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"
)

// recordingStub serves the function and arguments of one call and records its writes;
// any other stub call panics (the interface is nil), so the test also shows that Put
// reads nothing.
type recordingStub struct {
	shim.ChaincodeStubInterface
	function string
	args     []string
	writes   map[string]string
}

func (s *recordingStub) GetFunctionAndParameters() (string, []string) { return s.function, s.args }

func (s *recordingStub) PutState(key string, value []byte) error {
	s.writes[key] = string(value)
	return nil
}

func TestInvoke(t *testing.T) {
	for _, tc := range []struct {
		name     string
		function string
		args     []string
		writes   map[string]string
		err      string
	}{
		{name: "Put writes one key", function: "Put", args: []string{"k1", "v1"}, writes: map[string]string{"k1": "v1"}},
		{name: "Put of an empty value writes it", function: "Put", args: []string{"k1", ""}, writes: map[string]string{"k1": ""}},
		{name: "unknown function", function: "Get", args: []string{"k1"}, writes: map[string]string{}, err: `unknown function "Get"`},
		{name: "missing value", function: "Put", args: []string{"k1"}, writes: map[string]string{}, err: "got 1 arguments"},
		{name: "empty key", function: "Put", args: []string{"", "v"}, writes: map[string]string{}, err: "non-empty key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stub := &recordingStub{function: tc.function, args: tc.args, writes: map[string]string{}}
			response := putChaincode{}.Invoke(stub)
			if tc.err == "" {
				require.EqualValues(t, shim.OK, response.GetStatus(), response.GetMessage())
			} else {
				require.EqualValues(t, shim.ERROR, response.GetStatus())
				require.Contains(t, response.GetMessage(), tc.err)
			}
			require.Equal(t, tc.writes, stub.writes)
		})
	}
}

func TestServeNeedsTheChaincodeID(t *testing.T) {
	require.ErrorContains(t, serve("127.0.0.1:0", ""), "CORE_CHAINCODE_ID_NAME")
}
