package contracts

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// New returns the warrant chaincode with all its contracts; the query
// contract is the default one.
func New() (*contractapi.ContractChaincode, error) {
	contracts := []contractapi.ContractInterface{
		&Query{}, &Admin{}, &Issuance{}, &Registry{}, &Transfer{},
		&Custody{}, &Finance{}, &Settlement{}, &Regulator{},
	}
	for _, contract := range contracts {
		contract.(interface{ setUp() }).setUp()
	}
	chaincode, err := contractapi.NewChaincode(contracts...)
	if err != nil {
		return nil, fmt.Errorf("create warrant chaincode: %w", err)
	}
	chaincode.Info.Title = "warrant"
	chaincode.Info.Version = "1.0"
	return chaincode, nil
}

// base is embedded by every contract: it names the contract and answers
// unknown functions with a structured error.
type base struct {
	contractapi.Contract
}

func (b *base) init(name string, contract any) {
	b.Name = name
	arity := parameterCounts(contract)
	b.UnknownTransaction = func(ctx contractapi.TransactionContextInterface) error {
		function, _ := ctx.GetStub().GetFunctionAndParameters()
		return clientError(&warrant.Error{Code: warrant.CodeNotFound, Message: fmt.Sprintf("contract %s has no function %q", name, function)})
	}
	// fabric-contract-api-go drops extra arguments silently and refuses missing
	// ones in plain text: check the count first, for a structured error.
	b.BeforeTransaction = func(ctx contractapi.TransactionContextInterface) error {
		function, parameters := ctx.GetStub().GetFunctionAndParameters()
		if _, after, qualified := strings.Cut(function, ":"); qualified {
			function = after
		}
		want, known := arity[function]
		if known && len(parameters) != want {
			return clientError(&warrant.Error{Code: warrant.CodeInvalidArgument,
				Message: fmt.Sprintf("%s:%s takes %d argument(s), got %d", name, function, want, len(parameters))})
		}
		return nil
	}
}

// parameterCounts maps each exported method of a contract to the number of
// arguments a client passes it (its parameters after the transaction context).
func parameterCounts(contract any) map[string]int {
	counts := map[string]int{}
	contractType := reflect.TypeOf(contract)
	for i := range contractType.NumMethod() {
		method := contractType.Method(i)
		if method.Type.NumIn() >= 2 {
			counts[method.Name] = method.Type.NumIn() - 2 // the receiver and the context
		}
	}
	return counts
}
