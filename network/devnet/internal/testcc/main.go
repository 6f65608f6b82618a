// Command testcc is the test asset chaincode (package assetcc) as a chaincode
// process, which the dev network's own tests launch or run as
// chaincode-as-a-service. It starts as a chaincode server when
// CHAINCODE_SERVER_ADDRESS and CORE_CHAINCODE_ID_NAME are set.
package main

import (
	"log"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/scfledger/warrants/network/devnet/internal/testcc/assetcc"
)

func main() {
	cc, err := contractapi.NewChaincode(&assetcc.AssetContract{})
	if err != nil {
		log.Fatalf("create chaincode: %v", err)
	}
	if err := cc.Start(); err != nil {
		log.Fatalf("start chaincode: %v", err)
	}
}
