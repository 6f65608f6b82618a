// Command testcc is a small asset chaincode the dev network's own tests run as
// chaincode-as-a-service: it exercises every state call the peer side of the
// shim protocol serves (reads, writes, ranges plain and paged, history,
// key-level endorsement metadata, events, client identity, failures).
//
// It imports only contract-api and the shim's statebased package, like any
// external chaincode. It starts as a chaincode server when
// CHAINCODE_SERVER_ADDRESS and CORE_CHAINCODE_ID_NAME are set.
package main

import (
	"log"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

func main() {
	cc, err := contractapi.NewChaincode(&AssetContract{})
	if err != nil {
		log.Fatalf("create chaincode: %v", err)
	}
	if err := cc.Start(); err != nil {
		log.Fatalf("start chaincode: %v", err)
	}
}
