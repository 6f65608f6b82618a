// Command chaincode runs the warrant chaincode. With CHAINCODE_SERVER_ADDRESS
// and CORE_CHAINCODE_ID_NAME set it serves as chaincode-as-a-service (the
// peer dials it); otherwise it dials the peer like a classic chaincode.
package main

import (
	"fmt"
	"os"

	"github.com/scfledger/warrants/chaincode/contracts"
)

func main() {
	chaincode, err := contracts.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := chaincode.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "warrant chaincode:", err)
		os.Exit(1)
	}
}
