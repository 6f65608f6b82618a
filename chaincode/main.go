// Command chaincode runs the warrant chaincode. With CHAINCODE_SERVER_ADDRESS
// and CORE_CHAINCODE_ID_NAME set it serves as chaincode-as-a-service (the
// peer dials it); otherwise it dials the peer like a classic chaincode.
// WARRANT_MAX_CLOCK_SKEW (a Go duration, default 5m) is how far a
// transaction's timestamp may be from this server's clock (R19).
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/scfledger/warrants/chaincode/contracts"
)

func main() {
	var options []contracts.Option
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
