// Package warrant is the pure domain of supply-chain digital asset warrants: the types,
// the state machine and every rule of the rulebook (docs/RULES.md, R1–R20) that can be
// decided from the ledger, so that they are unit-tested, property-tested and fuzzed
// without Fabric.
//
// # Imports
//
// The Go standard library and golang.org/x/text (Unicode normalisation of names and
// controllers, R3); testify and the test cast in tests. No Fabric package and nothing
// else of this module: the contract adapters (chaincode/contracts) import this package,
// never the other way round.
//
// # How an adapter uses it
//
// A contract function builds a Caller from the MSP ID and the scf.entity / scf.role
// certificate attributes (NewCaller), a Tx from the tx id and tx timestamp (NewTx),
// decodes its JSON argument with DecodeRequest, and calls an operation with a State over
// the stub (Get = GetState, Put = PutState, Delete = DelState, Range = GetStateByRange
// stopping after limit results). An operation returns (result, Effects, error): the
// adapter emits Effects.Event with SetEvent, applies Effects.Endorsements as state-based
// endorsement policies (R10), and returns the result, or the *Error (see AsError) as its
// JSON message. Queries take a ReadState and return pages with an opaque bookmark.
// History of a warrant is GetHistoryForKey(WarrantKey(id)), done by the adapter.
//
// Every operation validates all input first and collects its writes in a buffer that is
// applied only when every check passed, so a rejected call writes nothing (R18). Ids,
// registry numbers and keys derive from inputs and the tx id; time is the ledger time,
// and a transaction dated before the last change of a warrant it writes is rejected
// (putWarrant, store.go); outputs never depend on map order. The domain reads no clock:
// the adapter compares the ledger time with the endorsing peer's clock before an
// operation runs (CheckClockSkew, R19), and the clock never reaches a write.
//
// # Rule → file
//
//	R1–R3  identity, roles, onboarding     access.go, creditcode.go, enterprise.go, normalize.go
//	R4     issue; apply + confirm          issue.go, apply.go
//	R4a    credit line                     creditline.go
//	R4b    requestId idempotency           operation.go
//	R5     verify                          verify.go
//	R6     register                        register.go
//	R7     split-transfer                  transfer.go
//	R8     accept / reject / reclaim       transfer.go
//	R8a    anti self-financing             transfer.go (checkNewHolder, pathParties),
//	                                       finance.go (checkFinancingParties), register.go
//	R9     conservation                    summary.go (CheckConservation), amount.go
//	R10    custody                         custody.go
//	R11    pledge / release / factor       finance.go
//	R12    settlement, overdue             settle.go, summary.go
//	R13    freeze / unfreeze               freeze.go
//	R14    cancel                          cancel.go
//	R15    events                          event.go
//	R16    queries, paging, keys           query.go, page.go, keys.go
//	R18    validate first, write nothing   operation.go, decode.go, errors.go
//	R19    ledger time vs the clock        clock.go (the adapter calls it), store.go
//	R20    need-to-know reads              read.go
//	R30    cross-verification, attestors       attest.go
//	R31    buyer-paid interest, discounts      interest.go
//	R32    settlement confirmed by the bank    confirm.go, settle.go
//	R33    warrant standard version, export    standard.go (schemas: docs/standard)
//	params and hard limits                 params.go
//	state interfaces, in-memory state      state.go, memstate.go
//
// R17 (private trade details) lives in the adapters: only hashes reach this package.
package warrant
