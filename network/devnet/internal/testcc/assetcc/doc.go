// Package assetcc is the contract of the test asset chaincode: a small asset
// store that exercises every state call the peer side of the shim protocol
// serves (reads, writes, ranges plain and paged, history, key-level
// endorsement metadata, events, client identity, failures). Command testcc
// runs it as a chaincode process; the dev network's tests that do not test
// chaincode processes serve it in-process.
//
// It imports only contract-api and the shim, like any external chaincode.
package assetcc
