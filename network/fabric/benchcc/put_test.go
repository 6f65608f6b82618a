package main

import (
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"
)

// recordingStub serves the function and arguments of one call and records its
// batched reads, writes, deletes and event; any other stub call panics (the interface is
// nil), so the test also shows that Put and Shape make no other call.
type recordingStub struct {
	shim.ChaincodeStubInterface
	function string
	args     []string
	batches  [][]string
	writes   map[string]string
	deletes  []string
	event    string
}

func (s *recordingStub) GetFunctionAndParameters() (string, []string) { return s.function, s.args }

func (s *recordingStub) GetMultipleStates(keys ...string) ([][]byte, error) {
	s.batches = append(s.batches, keys)
	return make([][]byte, len(keys)), nil
}

func (s *recordingStub) PutState(key string, value []byte) error {
	s.writes[key] = string(value)
	return nil
}

func (s *recordingStub) DelState(key string) error {
	s.deletes = append(s.deletes, key)
	return nil
}

func (s *recordingStub) SetEvent(name string, payload []byte) error {
	s.event = name + ":" + string(payload)
	return nil
}

func TestInvoke(t *testing.T) {
	pad := strings.Repeat("i", 62)
	for _, tc := range []struct {
		name     string
		function string
		args     []string
		batches  [][]string
		writes   map[string]string
		deletes  []string
		event    string
		result   string
		err      string
	}{
		{name: "Put writes one key", function: "Put", args: []string{"k1", "v1"}, writes: map[string]string{"k1": "v1"}},
		{name: "Put of an empty value writes it", function: "Put", args: []string{"k1", ""}, writes: map[string]string{"k1": ""}},
		{name: "unknown function", function: "Get", args: []string{"k1"}, writes: map[string]string{}, err: `unknown function "Get"`},
		{name: "missing value", function: "Put", args: []string{"k1"}, writes: map[string]string{}, err: "got 1 arguments"},
		{name: "empty key", function: "Put", args: []string{"", "v"}, writes: map[string]string{}, err: "non-empty key"},
		{
			name: "Shape reads in batches, writes documents and index entries, sets the event and returns the result", function: "Shape",
			args:    []string{"t1", "5", "2", "2", "3", "2", "1", "4", "2"},
			batches: [][]string{{"shared-0", "shared-1"}, {"shared-2", "shared-3", "shared-4"}},
			writes:  map[string]string{"t1/doc/0": "ddd", "t1/doc/1": "ddd", "t1/index/00/" + pad: "\x00", "t1/index/01/" + pad: "\x00"},
			deletes: []string{"t1/gone/00/" + pad},
			event:   "shaped:ee", result: "rrrr",
		},
		{name: "Shape of nothing", function: "Shape", args: []string{"t1", "0", "0", "0", "0", "0", "0", "0", "0"}, writes: map[string]string{}},
		{name: "Shape without an id", function: "Shape", args: []string{"", "0", "0", "0", "0", "0", "0", "0", "0"}, writes: map[string]string{}, err: "non-empty id"},
		{name: "Shape with an argument missing", function: "Shape", args: []string{"t1", "0"}, writes: map[string]string{}, err: "got 2 arguments"},
		{name: "Shape with a negative count", function: "Shape", args: []string{"t1", "-1", "0", "0", "0", "0", "0", "0", "0"}, writes: map[string]string{}, err: "reads must be an integer from 0 to 64"},
		{name: "Shape with too many keys", function: "Shape", args: []string{"t1", "0", "0", "65", "0", "0", "0", "0", "0"}, writes: map[string]string{}, err: "docs must be an integer from 0 to 64"},
		{name: "Shape with too large a value", function: "Shape", args: []string{"t1", "0", "0", "1", "65537", "0", "0", "0", "0"}, writes: map[string]string{}, err: "docBytes must be an integer from 0 to 65536"},
		{name: "Shape with a count that is no number", function: "Shape", args: []string{"t1", "x", "0", "0", "0", "0", "0", "0", "0"}, writes: map[string]string{}, err: `got "x"`},
		{name: "Shape with too many deletes", function: "Shape", args: []string{"t1", "0", "0", "0", "0", "0", "65", "0", "0"}, writes: map[string]string{}, err: "deletes must be an integer from 0 to 64"},
		{name: "Shape with a NUL in its id", function: "Shape", args: []string{"t\x001", "0", "0", "0", "0", "0", "0", "0", "0"}, writes: map[string]string{}, err: "UTF-8 without U+0000"},
		{name: "Shape with an id of invalid UTF-8", function: "Shape", args: []string{"t\xff", "0", "0", "0", "0", "0", "0", "0", "0"}, writes: map[string]string{}, err: "UTF-8 without U+0000"},
		{name: "Shape with reads and no batch", function: "Shape", args: []string{"t1", "2", "0", "0", "0", "0", "0", "0", "0"}, writes: map[string]string{}, err: "batches must be from 1 to reads"},
		{name: "Shape with more batches than reads", function: "Shape", args: []string{"t1", "1", "2", "0", "0", "0", "0", "0", "0"}, writes: map[string]string{}, err: "batches must be from 1 to reads"},
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
			require.Equal(t, tc.batches, stub.batches)
			require.Equal(t, tc.writes, stub.writes)
			require.Equal(t, tc.deletes, stub.deletes)
			require.Equal(t, tc.event, stub.event)
			require.Equal(t, tc.result, string(response.GetPayload()))
		})
	}
}

func TestServeNeedsTheChaincodeID(t *testing.T) {
	require.ErrorContains(t, serve("127.0.0.1:0", ""), "CORE_CHAINCODE_ID_NAME")
}
