// Command benchcc is the trivial chaincode that real-network benchmarks compare
// the warrant chaincode against. Put(key, value) writes one key with one PutState
// and reads nothing. It uses the bare shim (no contract API, no JSON), so what a
// Put costs on a peer is Fabric's own cost of a transaction: what any chaincode
// pays at the least. Shape makes the state calls of another chaincode's
// transaction (keys read in batches, documents and index entries written, a
// result and an event of given sizes) without that chaincode's logic, so that a
// benchmark can tell what a transaction's shape costs on the peers from what its
// chaincode costs.
//
// With CHAINCODE_SERVER_ADDRESS and CORE_CHAINCODE_ID_NAME set it serves as
// chaincode-as-a-service (the peer dials it, no TLS on loopback); otherwise it
// dials the peer like a classic chaincode.
package main

import (
	"fmt"
	"os"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

func main() {
	if err := serve(os.Getenv("CHAINCODE_SERVER_ADDRESS"), os.Getenv("CORE_CHAINCODE_ID_NAME")); err != nil {
		fmt.Fprintln(os.Stderr, "benchcc:", err)
		os.Exit(1)
	}
}

// serve runs the chaincode as a service on address when it is set, else dials the peer.
func serve(address, id string) error {
	if address == "" {
		return shim.Start(putChaincode{})
	}
	if id == "" {
		return fmt.Errorf("CHAINCODE_SERVER_ADDRESS is set but CORE_CHAINCODE_ID_NAME is not")
	}
	server := &shim.ChaincodeServer{CCID: id, Address: address, CC: putChaincode{}, TLSProps: shim.TLSProperties{Disabled: true}}
	if err := server.Start(); err != nil {
		return fmt.Errorf("serve %s on %s: %w", id, address, err)
	}
	return nil
}
