package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// action is what a command does once connected; it returns the result to print.
type action func(ctx context.Context, c *client.Client, args []string) (any, error)

// withRequest makes cmd a mutation on req, whose fields the command's flags are bound
// to; --request FILE (- for stdin) reads the whole request as JSON instead, and cannot
// be combined with those flags.
func (a *app) withRequest(cmd *cobra.Command, req any, do action) *cobra.Command {
	var file string
	cmd.Flags().StringVar(&file, "request", "", "read the request as JSON from this file (- for stdin) instead of flags")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if file != "" {
			var mixed []string
			own := cmd.LocalNonPersistentFlags()
			cmd.Flags().Visit(func(f *pflag.Flag) {
				if f.Name != "request" && !slices.Contains(privateFlags, f.Name) && own.Lookup(f.Name) != nil {
					mixed = append(mixed, "--"+f.Name)
				}
			})
			if len(mixed) > 0 {
				return fmt.Errorf("--request cannot be combined with %s", strings.Join(mixed, ", "))
			}
			if err := readRequest(cmd.InOrStdin(), file, req); err != nil {
				return err
			}
		}
		return a.execute(cmd, args, do)
	}
	return cmd
}

// withQuery makes cmd a query.
func (a *app) withQuery(cmd *cobra.Command, do action) *cobra.Command {
	cmd.RunE = func(cmd *cobra.Command, args []string) error { return a.execute(cmd, args, do) }
	return cmd
}

func (a *app) execute(cmd *cobra.Command, args []string, do action) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	result, err := do(cmd.Context(), c, args)
	if err != nil {
		return err
	}
	return a.print(cmd.OutOrStdout(), result)
}

// readRequest decodes one JSON object strictly (unknown fields are an error) into req.
func readRequest(stdin io.Reader, file string, req any) error {
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return fmt.Errorf("read request: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		return fmt.Errorf("request %s: %w", file, err)
	}
	if dec.More() {
		return fmt.Errorf("request %s: trailing data after the request object", file)
	}
	return nil
}

// firstArg stores the positional argument, if given, into *field, and requires one of
// them to be set.
func firstArg(args []string, field *string, name string) error {
	if len(args) > 0 {
		*field = args[0]
	}
	if *field == "" {
		return fmt.Errorf("missing %s (argument or --request)", name)
	}
	return nil
}

// parseTime reads an RFC 3339 time or a date (midnight UTC).
func parseTime(flag, s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s %q: want RFC 3339 (2026-06-01T00:00:00Z) or a date (2026-06-01)", flag, s)
	}
	return t, nil
}

// parseFen reads a non-negative amount in fen.
func parseFen(what, s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q: want a whole number of fen", what, s)
	}
	return n, nil
}

// parseInvoices reads --invoice code:number:amount:seller:buyer:documentHash values.
func parseInvoices(values []string) ([]warrant.Invoice, error) {
	invoices := make([]warrant.Invoice, 0, len(values))
	for _, v := range values {
		f := strings.Split(v, ":")
		if len(f) != 6 {
			return nil, fmt.Errorf("--invoice %q: want code:number:amount:seller:buyer:documentHash", v)
		}
		amount, err := parseFen("invoice amount", f[2])
		if err != nil {
			return nil, err
		}
		invoices = append(invoices, warrant.Invoice{Code: f[0], Number: f[1], Amount: amount, Seller: f[3], Buyer: f[4], DocumentHash: f[5]})
	}
	return invoices, nil
}

// parseParts reads --part recipient:amount values.
func parseParts(values []string) ([]warrant.Part, error) {
	parts := make([]warrant.Part, 0, len(values))
	for _, v := range values {
		recipient, amount, ok := strings.Cut(v, ":")
		if !ok {
			return nil, fmt.Errorf("--part %q: want recipient:amount", v)
		}
		fen, err := parseFen("part amount", amount)
		if err != nil {
			return nil, err
		}
		parts = append(parts, warrant.Part{Recipient: recipient, Amount: fen})
	}
	return parts, nil
}
