package main

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// Private data files (R17): trade documents and financing terms are read from JSON
// files and sent in the proposal's transient map, never as public arguments. They may
// be combined with --request.
const (
	tradeFileFlag = "trade-file"
	termsFileFlag = "terms-file"
)

// privateFlags are the flags that name private data files.
var privateFlags = []string{tradeFileFlag, termsFileFlag}

// tradeFileFlags binds --trade-file; the returned function reads it (nil if unset).
func tradeFileFlags(fs *pflag.FlagSet) func() (*warrant.TradeDocuments, error) {
	var file string
	fs.StringVar(&file, tradeFileFlag, "", "trade documents JSON (salt, contract, invoice line items), sent as private data (R17)")
	return func() (*warrant.TradeDocuments, error) {
		if file == "" {
			return nil, nil
		}
		var d warrant.TradeDocuments
		if err := readPrivateFile(file, &d, &d.Salt); err != nil {
			return nil, err
		}
		return &d, nil
	}
}

// termsFileFlags binds --terms-file; the returned function records the terms in the
// caller's implicit collection and returns their hash ("" if unset).
func termsFileFlags(fs *pflag.FlagSet) func(context.Context, *client.Client) (string, error) {
	var file string
	fs.StringVar(&file, termsFileFlag, "", "financing terms JSON (salt, loanAmount, rateBp, fees), recorded in the bank's implicit collection first (R17)")
	return func(ctx context.Context, c *client.Client) (string, error) {
		if file == "" {
			return "", nil
		}
		var t warrant.FinancingTerms
		if err := readPrivateFile(file, &t, &t.Salt); err != nil {
			return "", err
		}
		record, err := c.RecordFinancingTerms(ctx, t)
		if err != nil {
			return "", err
		}
		return record.TermsHash, nil
	}
}

// readPrivateFile decodes a private document strictly and requires its salt.
func readPrivateFile(file string, out any, salt *string) error {
	if err := readRequest(nil, file, out); err != nil {
		return err
	}
	if *salt == "" {
		return fmt.Errorf("%s: the document needs a random salt of 32 to 128 hex digits (e.g. openssl rand -hex 16); keep it with the document to verify it later", file)
	}
	return nil
}
