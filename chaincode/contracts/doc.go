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
// Before every mutating function, each contract but the query contract refuses a
// proposal whose timestamp is further than the allowed skew from the endorsing
// peer's clock (R19); the clock is injected with WithClock and only ever refuses.
// Queries answer each caller only what it needs to know (R20).
//
// It imports package warrant and the Fabric chaincode libraries. It is imported by
// the chaincode's main and by code that runs the chaincode in-process on a dev
// network: its own tests, test/ and test/testnet, and today the load generator
// (client/load) and with it warrantctl. The client library, package client, does
// not import it.
package contracts
