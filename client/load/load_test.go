package load_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/client/load"
	"github.com/scfledger/warrants/test/testnet"
)

func TestRun(t *testing.T) {
	members := sharedMembers(t)

	tests := []struct {
		name  string
		opts  load.Options
		floor bool
	}{
		{"Split-transfers by many workers all commit valid", load.Options{Workers: 8, Count: 200, Chain: 3, VerifiesPerTx: load.SharedVerifiesPerTx}, true},
		{"Queries all answer", load.Options{Workers: 4, Count: 40, Operation: load.OpQuery}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var progress bytes.Buffer
			tt.opts.Members, tt.opts.Progress, tt.opts.FloorSample = members, &progress, 20*time.Millisecond
			report, err := load.Run(context.Background(), tt.opts)
			require.NoError(t, err)

			require.Equal(t, tt.opts.Count, report.Submitted)
			require.Equal(t, tt.opts.Count, report.Valid)
			require.Empty(t, report.Invalid)
			require.Empty(t, report.Failed)
			require.Empty(t, report.Note)
			require.Positive(t, report.TPS)
			require.LessOrEqual(t, report.P50ms, report.P95ms)
			require.LessOrEqual(t, report.P95ms, report.P99ms)
			if tt.floor {
				require.Equal(t, load.SignsPerTx, report.Floor.Signs)
				require.Equal(t, load.SharedVerifiesPerTx, report.Floor.Verifies)
				require.Positive(t, report.FloorTPS)
				require.InDelta(t, report.TPS/report.FloorTPS, report.Efficiency, 1e-9)
			} else {
				require.Zero(t, report.FloorTPS)
			}
			require.Contains(t, progress.String(), "valid")

			data, err := report.JSON()
			require.NoError(t, err)
			var decoded map[string]any
			require.NoError(t, json.Unmarshal(data, &decoded))
			require.Equal(t, tt.opts.Operation == "" || tt.opts.Operation == load.OpSplitTransfer, decoded["operation"] == load.OpSplitTransfer)
			require.Contains(t, decoded, "p99_ms")
		})
	}
}

// TestRunOfADurationLastsWithItsPreparedWarrants checks that a timed
// split-transfer run, provisioned from its warm-up's rate (runTransactions),
// does not run out of warrants and reports how many it prepared.
func TestRunOfADurationLastsWithItsPreparedWarrants(t *testing.T) {
	members := sharedMembers(t)
	opts := load.Options{Members: members, Workers: 2, Duration: 300 * time.Millisecond, Chain: 2,
		VerifiesPerTx: load.SharedVerifiesPerTx, FloorSample: 20 * time.Millisecond}

	report, err := load.Run(context.Background(), opts)
	require.NoError(t, err)

	require.Empty(t, report.Note, "the prepared warrants lasted the run")
	require.Positive(t, report.Valid)
	require.Equal(t, report.Submitted, report.Valid)
	require.GreaterOrEqual(t, report.Prepared, report.Valid/opts.Chain)
}

func TestRunIssuesContendForTheCreditLine(t *testing.T) {
	members := bareNetwork(t)

	report, err := load.Run(context.Background(), load.Options{Members: members, Workers: 4, Count: 12, Operation: load.OpIssue, FloorSample: 20 * time.Millisecond})
	require.NoError(t, err)

	// Concurrent issues contend for the debtor's credit line: each commits VALID or as
	// an MVCC read conflict, or, when its two endorsing peers had committed different
	// blocks and so read different versions of the line, is refused by the gateway
	// for mismatched endorsements (as a Fabric gateway refuses it).
	t.Run("Every issue commits, valid or as a read conflict on the credit line", func(t *testing.T) {
		require.Equal(t, 12, report.Submitted)
		require.Positive(t, report.Valid)
		invalid := 0
		for code, n := range report.Invalid {
			require.Equal(t, "MVCC_READ_CONFLICT", code)
			invalid += n
		}
		mismatched := 0
		for reason, n := range report.Failed {
			require.Equal(t, "endorse", reason)
			require.Contains(t, report.FirstError, "failed to collect enough transaction endorsements")
			mismatched += n
		}
		require.Equal(t, 12, report.Valid+invalid+mismatched)
	})
}

func TestRunRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts load.Options
		want string
	}{
		{"An unknown operation is refused", load.Options{Operation: "mint"}, "unknown operation"},
		{"A negative worker count is refused", load.Options{Workers: -1}, "workers"},
		{"A negative count is refused", load.Options{Count: -5}, "negative"},
		{"A negative verification count is refused", load.Options{VerifiesPerTx: -1}, "verifications"},
		{"A chain longer than the lineage allows is refused", load.Options{Chain: 16}, "chain"},
		{"No identities are refused", load.Options{}, "no identities"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load.Run(context.Background(), tt.opts)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestMeasureFloor(t *testing.T) {
	floor, err := load.MeasureFloor(20*time.Millisecond, load.FabricVerifiesPerTx)
	require.NoError(t, err)
	require.Equal(t, load.FabricVerifiesPerTx, floor.Verifies)
	require.Positive(t, floor.SignsPerSecond)
	require.Positive(t, floor.VerifiesPerSecond)
	require.Positive(t, floor.Cores)
	want := 1 / (float64(floor.Signs)/floor.SignsPerSecond + float64(floor.Verifies)/floor.VerifiesPerSecond)
	require.InDelta(t, want, floor.TPS, 1e-6)
}

// bare is the dev network with nothing onboarded that the package's tests share
// where a ledger of their own is not the point: load.Run prepares what it needs.
var bare = testnet.NewShared(testnet.Options{Bare: true})

func TestMain(m *testing.M) { os.Exit(testnet.RunShared(m, bare)) }

// bareNetwork starts a dev network of the test's own with nothing onboarded and
// returns the identities of its directory.
func bareNetwork(t *testing.T) []load.Member {
	return membersOf(t, testnet.StartWith(t, testnet.Options{Bare: true}))
}

// sharedMembers are the identities of the shared bare network's directory.
func sharedMembers(t *testing.T) []load.Member {
	return membersOf(t, bare.Get(t))
}

func membersOf(t *testing.T, net *testnet.Net) []load.Member {
	members, err := load.MembersInDir(net.Dir())
	require.NoError(t, err)
	return members
}

func TestMembersInDir(t *testing.T) {
	members := sharedMembers(t)
	byName := map[string]load.Member{}
	for _, m := range members {
		byName[m.Name] = m
	}
	tests := []struct {
		who    string
		entity string
		roles  []warrant.Role
	}{
		{testnet.AsCore, testnet.Core, []warrant.Role{warrant.RoleIssuer, warrant.RoleAttestor}},
		{testnet.AsBank, testnet.Bank, []warrant.Role{warrant.RoleCustodian, warrant.RoleFinancier, warrant.RoleHolder, warrant.RolePaymentBank}},
		{testnet.AsHengda, testnet.Hengda, []warrant.Role{warrant.RoleHolder}},
		{"Admin@BankMSP", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.who+" has the entity and roles of its certificate", func(t *testing.T) {
			m, ok := byName[tt.who]
			require.True(t, ok, "no member %s among %d", tt.who, len(members))
			require.Equal(t, tt.entity, m.Entity)
			require.Equal(t, tt.roles, m.Roles)
		})
	}
}

func TestMembersInFile(t *testing.T) {
	net := bare.Get(t)
	cfg, err := client.DevnetConfig(net.Dir(), testnet.AsHengda)
	require.NoError(t, err)
	dir := t.TempDir()
	relative, err := filepath.Rel(dir, cfg.MSPDir)
	require.NoError(t, err)
	tests := []struct {
		name    string
		entries string
		want    string
	}{
		{"An MSP directory relative to the file", `[{"name":"hengda","profile":"` + cfg.Profile + `","mspDir":"` + relative + `"}]`, ""},
		{"Certificate and key files", `[{"profile":"` + cfg.Profile + `","cert":"` + filepath.Join(cfg.MSPDir, "signcerts") +
			`","key":"` + filepath.Join(cfg.MSPDir, "keystore") + `"}]`, ""},
		{"An entry without a profile is refused", `[{"mspDir":"` + cfg.MSPDir + `"}]`, "no connection profile"},
		{"A file that is not a list is refused", `{}`, "parse identities"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("identities-%d.json", i))
			require.NoError(t, os.WriteFile(path, []byte(tt.entries), 0o600))
			members, err := load.MembersInFile(path)
			if tt.want != "" {
				require.ErrorContains(t, err, tt.want)
				return
			}
			require.NoError(t, err)
			require.Len(t, members, 1)
			require.Equal(t, testnet.Hengda, members[0].Entity)
			require.Equal(t, []warrant.Role{warrant.RoleHolder}, members[0].Roles)
		})
	}
}
