package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/testnet"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// cli runs warrantctl in-process against a dev network directory.
type cli struct {
	t   *testing.T
	dir string
}

// run executes the command and returns its exit code, standard output and error.
func (c cli) run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"--dir", c.dir}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// ok runs a command that must succeed and decodes its JSON output into out (if not nil).
func (c cli) ok(out any, args ...string) string {
	c.t.Helper()
	code, stdout, stderr := c.run(args...)
	require.Equal(c.t, exitOK, code, "warrantctl %s: %s", strings.Join(args, " "), stderr)
	if out != nil {
		require.NoError(c.t, json.Unmarshal([]byte(stdout), out), stdout)
	}
	return stdout
}

// golden compares got with testdata/<name>.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test with -update to create %s", path)
	require.Equal(t, string(want), got)
}

var timestamps = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z`)

// normalize replaces the tx-derived root id and the times, which change on every run.
func normalize(s, rootID string) string {
	return timestamps.ReplaceAllString(strings.ReplaceAll(s, rootID, "W<ROOT>"), "<TIME>")
}

func TestWarrantctl(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a dev network")
	}
	net := testnet.Start(t)
	c := cli{t: t, dir: net.Dir()}

	var root warrant.Warrant
	t.Run("Issues a warrant from flags", func(t *testing.T) {
		req := net.IssueRequest(testnet.Jinggong, 100_000_000)
		inv := req.Trade.Invoices[0]
		c.ok(&root, "issue", "--request-id", "PO-CLI-1", "--debtor", testnet.Core, "--holder", testnet.Jinggong,
			"--amount", "100000000", "--matures", req.MaturesAt.Format("2006-01-02T15:04:05Z07:00"),
			"--contract-hash", req.Trade.ContractHash,
			"--invoice", fmt.Sprintf("%s:%s:%d:%s:%s:%s", inv.Code, inv.Number, inv.Amount, inv.Seller, inv.Buyer, inv.DocumentHash))
		require.Equal(t, warrant.StatusIssued, root.Status)
		require.Equal(t, int64(100_000_000), root.Amount)
		require.Equal(t, inv, root.Trade.Invoices[0])
	})

	t.Run("Verifies and registers as the association", func(t *testing.T) {
		c.ok(nil, "--as", testnet.AsInvoiceCheck, "attest", root.ID, "--kind", "TAX_INVOICE", "--amount", "100000000",
			"--evidence-hash", testnet.Hash("invoice check"))
		c.ok(nil, "--as", testnet.AsCore, "attest", root.ID, "--kind", "GOODS_RECEIPT", "--amount", "100000000",
			"--evidence-hash", testnet.Hash("goods receipt"))
		c.ok(nil, "--as", testnet.AsAssociation, "verify", root.ID, "--evidence-hash", testnet.Hash("evidence"))
		var registered warrant.Warrant
		c.ok(&registered, "--as", testnet.AsAssociation, "register", root.ID)
		require.Equal(t, warrant.StatusActive, registered.Status)
	})

	var split warrant.SplitResult
	t.Run("Splits, accepts, rejects and splits again down the chain", func(t *testing.T) {
		c.ok(&split, "--as", testnet.AsJinggong, "split", root.ID,
			"--part", testnet.Hengda+":30000000", "--part", testnet.Shengtong+":20000000")
		require.Len(t, split.Children, 3)
		c.ok(nil, "--as", testnet.AsHengda, "accept", split.Children[0].ID)
		c.ok(nil, "--as", testnet.AsShengtong, "reject", split.Children[1].ID)
		c.ok(nil, "--as", testnet.AsHengda, "split", split.Children[0].ID, "--part", testnet.Yongsheng+":12345678")
	})

	t.Run("Draws the lineage tree as in the golden file", func(t *testing.T) {
		out := c.ok(nil, "-o", "table", "lineage", root.ID)
		golden(t, "lineage", normalize(out, root.ID))
		require.Equal(t, out, c.ok(nil, "lineage", root.ID), "lineage draws the tree by default")
	})

	t.Run("Prints the root summary as in the golden file", func(t *testing.T) {
		out := c.ok(nil, "-o", "table", "summary", root.ID)
		golden(t, "summary", normalize(out, root.ID))
		var summary warrant.RootSummary
		c.ok(&summary, "summary", root.ID)
		require.Equal(t, int64(100_000_000), summary.Face)
	})

	t.Run("Exports the root and its lineage in the warrant standard (R33)", func(t *testing.T) {
		var export warrant.Export
		c.ok(&export, "export", root.ID)
		require.Equal(t, warrant.StandardVersion, export.Standard)
		require.Equal(t, root.ID, export.Root.ID)
		require.Len(t, export.Lineage, 7, "the root and every node of its split tree")
		file := filepath.Join(t.TempDir(), "export.json")
		c.ok(nil, "export", root.ID, "--out", file)
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, &export))
		require.Equal(t, warrant.StandardVersion, export.Root.Standard)
	})

	t.Run("Reads a request file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "split.json")
		data, err := json.Marshal(warrant.SplitTransferRequest{WarrantID: split.Children[2].ID,
			Parts: []warrant.Part{{Recipient: testnet.Lianchuang, Amount: 100}}})
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(file, data, 0o600))
		var result warrant.SplitResult
		c.ok(&result, "--as", testnet.AsJinggong, "split", "--request", file)
		require.Equal(t, int64(100), result.Children[0].Amount)

		code, _, stderr := c.run("--as", testnet.AsJinggong, "split", "--request", file, "--part", testnet.Hengda+":1")
		require.Equal(t, exitFailure, code)
		require.Contains(t, stderr, "--request cannot be combined with --part")
	})

	t.Run("Stamps the transaction with --timestamp: its ledger time", func(t *testing.T) {
		at := time.Now().UTC().Add(time.Minute).Truncate(time.Second)
		req := net.IssueRequest(testnet.Lianchuang, 1_000_00)
		inv := req.Trade.Invoices[0]
		var issued warrant.Warrant
		c.ok(&issued, "--timestamp", at.Format(time.RFC3339), "issue", "--debtor", testnet.Core, "--holder", testnet.Lianchuang,
			"--amount", "100000", "--matures", req.MaturesAt.Format(time.RFC3339), "--contract-hash", req.Trade.ContractHash,
			"--invoice", fmt.Sprintf("%s:%s:%d:%s:%s:%s", inv.Code, inv.Number, inv.Amount, inv.Seller, inv.Buyer, inv.DocumentHash))
		require.True(t, at.Equal(issued.IssuedAt), "issued at %s, want %s", issued.IssuedAt, at)
	})

	t.Run("Reads private data files for the transient map (R17)", func(t *testing.T) {
		dir := t.TempDir()
		request := net.IssueRequest(testnet.Jinggong, 1_000)
		inv := request.Trade.Invoices[0]
		documents := warrant.TradeDocuments{Contract: warrant.TradeContract{Number: "HT-CLI", SignedAt: root.IssuedAt, Amount: inv.Amount},
			Invoices: []warrant.InvoiceDetail{{Code: inv.Code, Number: inv.Number,
				Lines: []warrant.LineItem{{Description: "电缆", Quantity: "1", UnitPrice: inv.Amount, Amount: inv.Amount}}}}}
		write := func(name string, v any) string {
			data, err := json.Marshal(v)
			require.NoError(t, err)
			file := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(file, data, 0o600))
			return file
		}
		issueFile := write("issue.json", request)
		code, _, stderr := c.run("issue", "--request", issueFile, "--trade-file", write("unsalted.json", documents))
		require.Equal(t, exitFailure, code, "a trade file needs a salt")
		require.Contains(t, stderr, "salt")

		documents.Salt = strings.Repeat("5e", 16)
		tradeFile := write("trade.json", documents)
		var issued warrant.Warrant
		c.ok(&issued, "issue", "--request", issueFile, "--trade-file", tradeFile)
		require.Equal(t, warrant.HashTradeDocuments(documents), issued.Trade.DocumentsHash, "--trade-file combines with --request")
		var verdict warrant.VerifyResult
		c.ok(&verdict, "--as", testnet.AsShengtong, "verify-documents", issued.ID, "--trade-file", tradeFile)
		require.True(t, verdict.Match)
		c.ok(&verdict, "--as", testnet.AsShengtong, "verify-documents", root.ID, "--trade-file", tradeFile)
		require.False(t, verdict.Match, "another warrant's documents")
		var read warrant.TradeDocuments
		c.ok(&read, "--as", testnet.AsJinggong, "trade-documents", issued.ID)
		require.Equal(t, documents, read)
		code, _, stderr = c.run("--as", testnet.AsShengtong, "trade-documents", issued.ID)
		require.Equal(t, exitRejected, code)
		require.Contains(t, stderr, "FORBIDDEN")
		code, _, _ = c.run("verify-documents", root.ID)
		require.Equal(t, exitFailure, code, "one of --trade-file and --terms-file is needed")
	})

	t.Run("Exits 2 with the code and message of a chaincode rejection", func(t *testing.T) {
		code, stdout, stderr := c.run("--as", testnet.AsJinggong, "issue", "--debtor", testnet.Core, "--holder", testnet.Hengda, "--amount", "1")
		require.Equal(t, exitRejected, code)
		require.Empty(t, stdout)
		require.Contains(t, stderr, "issuance:Issue: FORBIDDEN: ")

		code, _, stderr = c.run("get", "W000000000000000000000000")
		require.Equal(t, exitRejected, code)
		require.Contains(t, stderr, "NOT_FOUND")
	})

	t.Run("Exits 1 on usage and connection errors", func(t *testing.T) {
		for _, args := range [][]string{
			{"get"},
			{"--as", "Nobody@CoreEnterpriseMSP", "params"},
			{"-o", "yaml", "params"},
			{"list"},
			{"issue", "--invoice", "only:three:fields"},
			{"--timestamp", "yesterday", "params"},
		} {
			code, _, stderr := c.run(args...)
			require.Equal(t, exitFailure, code, "%v: %s", args, stderr)
			require.NotEmpty(t, stderr)
		}
	})

	t.Run("Streams events from a checkpoint without repeating them", func(t *testing.T) {
		checkpoint := filepath.Join(t.TempDir(), "events.json")
		first := c.ok(nil, "events", "--checkpoint", checkpoint, "--limit", "3")
		second := c.ok(nil, "events", "--checkpoint", checkpoint, "--limit", "3")
		seen := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(first+second), "\n") {
			var e struct {
				Name          string `json:"name"`
				TransactionID string `json:"transactionId"`
			}
			require.NoError(t, json.Unmarshal([]byte(line), &e))
			require.False(t, seen[e.TransactionID], "event of %s printed twice", e.TransactionID)
			seen[e.TransactionID] = true
			require.True(t, strings.HasPrefix(e.Name, "warrant."))
		}
		require.Len(t, seen, 6)
	})

	t.Run("Generates shell completion without a network", func(t *testing.T) {
		code, stdout, _ := cli{t: t, dir: t.TempDir()}.run("completion", "bash")
		require.Equal(t, exitOK, code)
		require.Contains(t, stdout, "warrantctl")
	})
}

func TestBench(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a dev network")
	}
	net := testnet.StartWith(t, testnet.Options{Bare: true})
	c := cli{t: t, dir: net.Dir()}

	t.Run("Loads the network of --dir as its users and prints one JSON report", func(t *testing.T) {
		var report struct {
			Operation string         `json:"operation"`
			Submitted int            `json:"submitted"`
			Valid     int            `json:"valid"`
			Failed    map[string]int `json:"failed"`
		}
		c.ok(&report, "bench", "--json", "--count", "16", "--workers", "2", "--chain", "2")
		require.Equal(t, "split-transfer", report.Operation)
		require.Equal(t, 16, report.Submitted)
		require.Equal(t, 16, report.Valid)
		require.Empty(t, report.Failed)
	})

	t.Run("Exits 1 when the identities file cannot be read", func(t *testing.T) {
		code, _, stderr := c.run("bench", "--identities", filepath.Join(t.TempDir(), "none.json"))
		require.Equal(t, exitFailure, code)
		require.Contains(t, stderr, "read identities")
	})
}
