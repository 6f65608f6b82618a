package test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// module is the project's module path.
const module = "github.com/scfledger/warrants"

// listedPackage is what the boundary rules read of `go list -json`: a package and
// every package it depends on, tests excluded.
type listedPackage struct {
	ImportPath string
	Deps       []string
}

// boundary is an import rule: no package it applies to may depend on a package
// it forbids, directly or through others.
type boundary struct {
	rule      string
	applies   func(pkg string) bool
	forbidden func(dep string) bool
}

// under reports whether pkg is the module's package dir or one below it.
func under(dir string) func(string) bool {
	path := module + "/" + dir
	return func(pkg string) bool { return pkg == path || strings.HasPrefix(pkg, path+"/") }
}

func either(a, b func(string) bool) func(string) bool {
	return func(pkg string) bool { return a(pkg) || b(pkg) }
}

func both(a, b func(string) bool) func(string) bool {
	return func(pkg string) bool { return a(pkg) && b(pkg) }
}

func not(f func(string) bool) func(string) bool { return func(pkg string) bool { return !f(pkg) } }

// ours reports whether pkg belongs to the module.
func ours(pkg string) bool { return pkg == module || strings.HasPrefix(pkg, module+"/") }

// boundaries are the project's import direction: the domain is a leaf, the
// client never ships the contracts or the dev network, the dev network runs any
// chaincode and shares with the client only the connection-profile model (a leaf),
// and only tests use the test harness.
var boundaries = []boundary{
	{"chaincode/warrant imports nothing of the module", under("chaincode/warrant"), ours},
	{"client does not import network/devnet or chaincode/contracts", under("client"),
		either(under("network/devnet"), under("chaincode/contracts"))},
	{"the dev network and its command import nothing of chaincode", either(under("network/devnet"), under("network/cmd")), under("chaincode")},
	{"the dev network uses of the client only its connection-profile model", under("network"),
		both(under("client"), not(under("client/profile")))},
	{"client/profile imports nothing of the module", under("client/profile"), ours},
	{"only tests import test/", not(under("test")), under("test")},
}

// violations lists, for every package a boundary applies to, the forbidden
// packages it depends on.
func violations(pkgs []listedPackage, rules []boundary) []string {
	var out []string
	for _, rule := range rules {
		for _, pkg := range pkgs {
			if !rule.applies(pkg.ImportPath) {
				continue
			}
			for _, dep := range pkg.Deps {
				if rule.forbidden(dep) {
					out = append(out, fmt.Sprintf("%s: %s depends on %s", rule.rule, pkg.ImportPath, dep))
				}
			}
		}
	}
	return out
}

// listModule runs `go list -json` on every package of the module.
func listModule(t *testing.T) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())
	var pkgs []listedPackage
	decoder := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var pkg listedPackage
		err := decoder.Decode(&pkg)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		pkgs = append(pkgs, pkg)
	}
	return pkgs
}

// TestBoundaries fails when a package imports, directly or not, a package its
// place in the architecture forbids.
func TestBoundaries(t *testing.T) {
	t.Parallel()
	pkgs := listModule(t)
	seen := map[string]bool{}
	for _, pkg := range pkgs {
		seen[pkg.ImportPath] = true
	}
	for _, want := range []string{"chaincode/warrant", "client", "client/cmd/warrantctl", "client/load", "network/devnet", "test/testnet"} {
		require.True(t, seen[module+"/"+want], "go list did not list %s", want)
	}
	require.Empty(t, violations(pkgs, boundaries))
}

// TestBoundaryRulesCatchViolations feeds the rules packages that break each of
// them, and packages that keep them.
func TestBoundaryRulesCatchViolations(t *testing.T) {
	tests := []struct {
		name string
		pkg  listedPackage
		want int
	}{
		{"The domain importing the client", listedPackage{module + "/chaincode/warrant", []string{module + "/client", "strings"}}, 1},
		{"The load generator reaching the dev network through another package", listedPackage{module + "/client/load",
			[]string{module + "/client", module + "/network/devnet/internal/ledger"}}, 1},
		{"The CLI shipping the contracts", listedPackage{module + "/client/cmd/warrantctl", []string{module + "/chaincode/contracts"}}, 1},
		{"The dev network importing the domain", listedPackage{module + "/network/devnet", []string{module + "/chaincode/warrant"}}, 1},
		{"The devnet command serving the contracts", listedPackage{module + "/network/cmd/devnet", []string{module + "/chaincode/contracts"}}, 1},
		{"The CLI importing the test harness (which imports the contracts too)", listedPackage{module + "/client/cmd/warrantctl",
			[]string{module + "/test/testnet", module + "/chaincode/contracts"}}, 2},
		{"The dev network writing profiles with the client library", listedPackage{module + "/network/devnet",
			[]string{module + "/client/profile", module + "/client"}}, 1},
		{"The client importing the domain", listedPackage{module + "/client", []string{module + "/chaincode/warrant"}}, 0},
		{"The contracts importing the domain", listedPackage{module + "/chaincode/contracts", []string{module + "/chaincode/warrant"}}, 0},
		{"The test harness importing everything", listedPackage{module + "/test/testnet",
			[]string{module + "/chaincode/contracts", module + "/network/devnet", module + "/client"}}, 0},
		{"A package whose name only starts like a guarded one", listedPackage{module + "/clients", []string{module + "/network/devnet"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Len(t, violations([]listedPackage{tt.pkg}, boundaries), tt.want)
		})
	}
}
