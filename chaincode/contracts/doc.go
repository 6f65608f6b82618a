// Package contracts exposes the warrant domain (package warrant) as Fabric
// contracts on fabric-contract-api-go: one contract per area (admin, issuance,
// registry, transfer, custody, finance, settlement, regulator, query), each
// function a thin adapter that reads the caller from the MSP ID and the
// certificate attributes scf.entity and scf.role (R1), takes the ledger time
// from the transaction timestamp, decodes its JSON request strictly, runs the
// domain operation against the stub, sets the key-level endorsement policies
// the operation asks for (R10), emits its one event (R15), and returns the
// result as JSON.
//
// Errors reach the client as the JSON text {"code":..,"message":..,"details":..}
// so that an ERP can branch on the code.
//
// It imports package warrant and the Fabric chaincode libraries; nothing imports it
// but the chaincode's main and tests.
package contracts
