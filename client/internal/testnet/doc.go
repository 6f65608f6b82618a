// Package testnet is test support for the client and its command line: it starts the
// embedded dev network with the warrant chaincode running in-process, onboards the
// project's fictional cast and builds valid requests. Only tests import it; it is the
// one place outside the chaincode's own tests that imports the contracts, to run them.
package testnet
