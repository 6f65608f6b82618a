// Command chaincode runs the warrant chaincode. With CHAINCODE_SERVER_ADDRESS
// and CORE_CHAINCODE_ID_NAME set it serves as chaincode-as-a-service (the
// peer dials it); otherwise it dials the peer like a classic chaincode.
// WARRANT_MAX_CLOCK_SKEW (a Go duration, default 5m) is how far a
// transaction's timestamp may be from this server's clock (R19).
// -association-msp (or WARRANT_ASSOCIATION_MSP) names the MSP whose admin may
// initialise the ledger as the association, the first member (R34); every org
// of the network passes the same value, from the network's configuration.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/scfledger/warrants/chaincode/contracts"
)

func main() {
	associationMSP := flag.String("association-msp", os.Getenv("WARRANT_ASSOCIATION_MSP"),
		"MSP ID whose admin initialises the ledger as the association (R34)")
	flag.Parse()
	if *associationMSP == "" {
		fmt.Fprintln(os.Stderr, "warrant chaincode: the association MSP is needed: -association-msp or WARRANT_ASSOCIATION_MSP (R34)")
		os.Exit(2)
	}
	options := []contracts.Option{contracts.WithAssociationMSP(*associationMSP)}
	if text := os.Getenv("WARRANT_MAX_CLOCK_SKEW"); text != "" {
		skew, err := time.ParseDuration(text)
		if err != nil {
			fmt.Fprintln(os.Stderr, "warrant chaincode: WARRANT_MAX_CLOCK_SKEW:", err)
			os.Exit(1)
		}
		options = append(options, contracts.WithMaxClockSkew(skew))
	}
	chaincode, err := contracts.New(options...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := chaincode.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "warrant chaincode:", err)
		os.Exit(1)
	}
}
