package contracts

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/statebased"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// operation is the shape of every mutating domain operation.
type operation[Req, Res any] func(warrant.State, warrant.Tx, warrant.Caller, Req) (Res, warrant.Effects, error)

// mutate runs a mutating operation on a JSON request and returns its result as JSON.
func mutate[Req, Res any](ctx contractapi.TransactionContextInterface, request string, op operation[Req, Res]) (string, error) {
	req, err := warrant.DecodeRequest[Req]([]byte(request))
	if err != nil {
		return "", clientError(err)
	}
	if err := takeTransient(ctx.GetStub(), &req); err != nil {
		return "", clientError(err)
	}
	caller, err := callerOf(ctx)
	if err != nil {
		return "", clientError(err)
	}
	tx, err := txOf(ctx.GetStub())
	if err != nil {
		return "", clientError(err)
	}
	// The writes go to the peer in one batch when the peer supports it; the shim
	// sends the batch once the function returns.
	ctx.GetStub().StartWriteBatch()
	result, effects, err := op(stubState{ctx.GetStub()}, tx, caller, req)
	if err != nil {
		return "", clientError(err)
	}
	for _, write := range effects.PrivateWrites {
		if err := ctx.GetStub().PutPrivateData(write.Collection, write.Key, write.Value); err != nil {
			return "", clientError(fmt.Errorf("put private data in %s: %w", write.Collection, err))
		}
	}
	for _, endorsement := range effects.Endorsements {
		if err := setKeyEndorsement(ctx.GetStub(), endorsement); err != nil {
			return "", clientError(err)
		}
	}
	if err := ctx.GetStub().SetEvent(effects.Event.Name, effects.Event.Payload); err != nil {
		return "", clientError(fmt.Errorf("set event: %w", err))
	}
	return marshal(result)
}

// takeTransient hands the proposal's transient map to a request that takes private
// data from it (R17), and refuses transient data to any other request: data a client
// meant to keep private must never be silently dropped.
func takeTransient(stub shim.ChaincodeStubInterface, req any) error {
	transient, err := stub.GetTransient()
	if err != nil {
		return fmt.Errorf("read transient data: %w", err)
	}
	if taker, ok := req.(warrant.TransientRequest); ok {
		return taker.TakeTransient(transient)
	}
	if len(transient) > 0 {
		return &warrant.Error{Code: warrant.CodeInvalidArgument, Message: "this function takes no transient data"}
	}
	return nil
}

// query decodes a JSON request, runs a read-only domain query and returns its result as JSON.
func query[Req, Res any](ctx contractapi.TransactionContextInterface, request string, run func(warrant.ReadState, warrant.Caller, Req) (Res, error)) (string, error) {
	req, err := warrant.DecodeRequest[Req]([]byte(request))
	if err != nil {
		return "", clientError(err)
	}
	caller, err := callerOf(ctx)
	if err != nil {
		return "", clientError(err)
	}
	result, err := run(queryState{stubState{ctx.GetStub()}}, caller, req)
	if err != nil {
		return "", clientError(err)
	}
	return marshal(result)
}

// lookup runs a read-only query keyed by one string argument, for the caller.
func lookup[Res any](ctx contractapi.TransactionContextInterface, key string, run func(warrant.ReadState, warrant.Caller, string) (Res, error)) (string, error) {
	caller, err := callerOf(ctx)
	if err != nil {
		return "", clientError(err)
	}
	result, err := run(queryState{stubState{ctx.GetStub()}}, caller, key)
	if err != nil {
		return "", clientError(err)
	}
	return marshal(result)
}

func marshal(result any) (string, error) {
	data, err := json.Marshal(result)
	if err != nil {
		return "", clientError(fmt.Errorf("encode result: %w", err))
	}
	return string(data), nil
}

// setKeyEndorsement sets (or, with no orgs, removes) a key's state-based
// endorsement policy: one peer of each named org (R10).
func setKeyEndorsement(stub shim.ChaincodeStubInterface, endorsement warrant.KeyEndorsement) error {
	if len(endorsement.MSPIDs) == 0 {
		if err := stub.SetStateValidationParameter(endorsement.Key, nil); err != nil {
			return fmt.Errorf("remove key endorsement policy: %w", err)
		}
		return nil
	}
	policy, err := statebased.NewStateEP(nil)
	if err != nil {
		return fmt.Errorf("new key endorsement policy: %w", err)
	}
	if err := policy.AddOrgs(statebased.RoleTypePeer, endorsement.MSPIDs...); err != nil {
		return fmt.Errorf("key endorsement policy: %w", err)
	}
	value, err := policy.Policy()
	if err != nil {
		return fmt.Errorf("key endorsement policy: %w", err)
	}
	if err := stub.SetStateValidationParameter(endorsement.Key, value); err != nil {
		return fmt.Errorf("set key endorsement policy: %w", err)
	}
	return nil
}

// clientError turns any error into one whose message is the JSON form of a
// domain error, so that the client can decode its code; errors that are not
// the domain's become INTERNAL.
func clientError(err error) error {
	domainErr := warrant.AsError(err)
	if domainErr == nil {
		domainErr = &warrant.Error{Code: warrant.CodeInternal, Message: err.Error()}
	}
	data, marshalErr := json.Marshal(domainErr)
	if marshalErr != nil {
		return fmt.Errorf(`{"code":"INTERNAL","message":%q}`, marshalErr.Error())
	}
	return errors.New(string(data))
}
