package contracts

import (
	"reflect"

	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"
	"github.com/hyperledger/fabric-contract-api-go/v2/serializer"
)

// stringSerializer is the contract API's JSON serializer without its JSON-schema
// check of string arguments and results. Every function of the chaincode takes and
// returns plain strings, whose schema ({"type": "string"}) a Go string always meets,
// and the domain decodes each request strictly itself (warrant.DecodeRequest); the
// check only cost a JSON round trip of every argument and result per call. Values of
// any other type keep the full check.
type stringSerializer struct {
	serializer.JSONSerializer
}

// FromString converts an argument, checking its schema unless it is a string.
func (s *stringSerializer) FromString(param string, fieldType reflect.Type, paramMetadata *metadata.ParameterMetadata, components *metadata.ComponentMetadata) (reflect.Value, error) {
	if fieldType.Kind() == reflect.String {
		paramMetadata = nil
	}
	return s.JSONSerializer.FromString(param, fieldType, paramMetadata, components)
}

// ToString converts a result, checking its schema unless it is a string.
func (s *stringSerializer) ToString(result reflect.Value, resultType reflect.Type, returns *metadata.ReturnMetadata, components *metadata.ComponentMetadata) (string, error) {
	if resultType.Kind() == reflect.String {
		returns = nil
	}
	return s.JSONSerializer.ToString(result, resultType, returns, components)
}
