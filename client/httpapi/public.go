package httpapi

import (
	"github.com/scfledger/warrants/chaincode/warrant"
)

// PublicRecord is what the public registry lookup (登记公示) shows: whether the
// receivable is registered, its registry number, status, whether it is encumbered
// (pledged or in custody), amount and maturity; never the parties, custody or pledge
// terms, nor the trade background (R20). It is the chaincode's own answer, passed
// through unchanged, so the server never widens what the public may read.
type PublicRecord = warrant.RegistryEntry

// publicLookup passes a lookup's result through.
func publicLookup(r *warrant.RegistryEntry, err error) (*PublicRecord, error) {
	if err != nil {
		return nil, err
	}
	return r, nil
}
