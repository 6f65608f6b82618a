package contracts

import (
	"fmt"

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

func (b *base) init(name string) {
	b.Name = name
	b.UnknownTransaction = func(ctx contractapi.TransactionContextInterface) error {
		function, _ := ctx.GetStub().GetFunctionAndParameters()
		return clientError(&warrant.Error{Code: warrant.CodeNotFound, Message: fmt.Sprintf("contract %s has no function %q", name, function)})
	}
}
