package main

import (
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// putChaincode writes one key per Put transaction, and makes the state calls of a
// given shape per Shape transaction.
type putChaincode struct{}

// Init does nothing: the chaincode has no state to set up.
func (putChaincode) Init(shim.ChaincodeStubInterface) *peer.Response { return shim.Success(nil) }

// Invoke serves Put(key, value), one PutState and no read, and
// Shape(id, reads, batches, docs, docBytes, markers, deletes, resultBytes, eventBytes),
// the state access of another chaincode's transaction without its logic.
func (putChaincode) Invoke(stub shim.ChaincodeStubInterface) *peer.Response {
	function, args := stub.GetFunctionAndParameters()
	switch function {
	case "Put":
		if len(args) != 2 || args[0] == "" {
			return shim.Error(fmt.Sprintf("Put wants a non-empty key and a value, got %d arguments", len(args)))
		}
		if err := stub.PutState(args[0], []byte(args[1])); err != nil {
			return shim.Error(fmt.Sprintf("put %s: %v", args[0], err))
		}
		return shim.Success(nil)
	case "Shape":
		s, err := parseShape(args)
		if err != nil {
			return shim.Error(err.Error())
		}
		result, err := s.run(stub)
		if err != nil {
			return shim.Error(fmt.Sprintf("shape %s: %v", s.id, err))
		}
		return shim.Success(result)
	default:
		return shim.Error(fmt.Sprintf("unknown function %q: the functions are Put(key, value) and Shape(id, ...)", function))
	}
}
