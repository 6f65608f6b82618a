package main

import (
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// putChaincode writes one key per transaction.
type putChaincode struct{}

// Init does nothing: the chaincode has no state to set up.
func (putChaincode) Init(shim.ChaincodeStubInterface) *peer.Response { return shim.Success(nil) }

// Invoke serves Put(key, value): one PutState, no read.
func (putChaincode) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	function, args := stub.GetFunctionAndParameters()
	if function != "Put" {
		return shim.Error(fmt.Sprintf("unknown function %q: the only one is Put(key, value)", function))
	}
	if len(args) != 2 || args[0] == "" {
		return shim.Error(fmt.Sprintf("Put wants a non-empty key and a value, got %d arguments", len(args)))
	}
	if err := stub.PutState(args[0], []byte(args[1])); err != nil {
		return shim.Error(fmt.Sprintf("put %s: %v", args[0], err))
	}
	return shim.Success(nil)
}
