package standard_test

import (
	"reflect"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// registryRecordType is the public registry record's type.
var registryRecordType = reflect.TypeFor[warrant.RegistryEntry]()

// lookupRegistryRecord is the public lookup of a registry number.
func lookupRegistryRecord(r warrant.StateReader, registryNo string) (any, error) {
	return warrant.LookupRegistryNo(r, registryNo)
}
