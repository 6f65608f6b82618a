package contracts

import (
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// callerOf reads the caller from the MSP ID and the scf.entity and scf.role
// certificate attributes (R1). Missing attributes give a caller with no
// entity or roles, which the domain's access checks reject.
func callerOf(ctx contractapi.TransactionContextInterface) (warrant.Caller, error) {
	identity := ctx.GetClientIdentity()
	mspID, err := identity.GetMSPID()
	if err != nil {
		return warrant.Caller{}, fmt.Errorf("read caller MSP ID: %w", err)
	}
	entity, _, err := identity.GetAttributeValue(warrant.AttrEntity)
	if err != nil {
		return warrant.Caller{}, fmt.Errorf("read caller attribute %s: %w", warrant.AttrEntity, err)
	}
	roles, _, err := identity.GetAttributeValue(warrant.AttrRole)
	if err != nil {
		return warrant.Caller{}, fmt.Errorf("read caller attribute %s: %w", warrant.AttrRole, err)
	}
	return warrant.NewCaller(mspID, entity, roles), nil
}

// txOf takes the transaction ID and the ledger time (the transaction timestamp).
func txOf(stub shim.ChaincodeStubInterface) (warrant.Tx, error) {
	timestamp, err := stub.GetTxTimestamp()
	if err != nil {
		return warrant.Tx{}, fmt.Errorf("read transaction timestamp: %w", err)
	}
	return warrant.NewTx(stub.GetTxID(), timestamp.AsTime()), nil
}
