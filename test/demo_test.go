package test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// withoutEnv returns env without the variable name.
func withoutEnv(env []string, name string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestDemo runs the README's first command, scripts/demo.sh, end to end and
// checks the story's outcome: the three rejections it shows, and every leaf
// settled at maturity.
func TestDemo(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the whole demo (about a minute)")
	}
	prepareDemoBinaries(t)
	dir := t.TempDir()
	demo := exec.Command("bash", filepath.Join("..", "scripts", "demo.sh"))
	// The dev network's run: TestRealFabricDemo runs the demo on real Fabric. The
	// story must reach the pledge before maturity, also on a busy machine; past it,
	// the clients stamp their transactions at maturity (R19 allows 5 minutes), so
	// nothing waits.
	demo.Env = append(withoutEnv(os.Environ(), fabricBinEnv), "DEMO_DIR="+filepath.Join(dir, "devnet"), "DEMO_TENOR_SECONDS=120", "DEMO_FREE_PORTS=1", "DEMO_PREBUILT=1")
	output, err := demo.CombinedOutput()
	require.NoError(t, err, "scripts/demo.sh failed:\n%s", output)
	requireDemoOutcome(t, string(output))
}

// requireDemoOutcome checks the story's outcome in the output of scripts/demo.sh:
// the three rejections it shows, and every leaf settled at maturity.
func requireDemoOutcome(t *testing.T, text string) {
	t.Helper()
	for _, want := range []string{
		"rejected as expected: Error: registry:Register: ALREADY_REGISTERED",
		"rejected as expected: Error: transfer:SplitTransfer: RELATED_PARTY",
		"rejected as expected: Error: finance:Pledge: PLEDGED",
		"rejected as expected: Error: registry:Verify: INCOMPLETE_ATTESTATION",
		"数电发票查验 passed (Shulian)",
		"goods receipt confirmed (Huaxin, the buyer)",
		"(BUYER pays, 365bp ACT/365",
		"rejected as expected: Error: settlement:ConfirmSettlement: PAYMENT_MISMATCH",
		"confirmed by the bank (ECNY)",
		`"standard": "scf-warrant/1.0"`,
	} {
		require.Contains(t, text, want)
	}
	final := text[strings.LastIndex(text, "Every leaf settled"):]
	require.Contains(t, final, "Settled         ¥1,000,000.00")
	require.Contains(t, final, "Outstanding     ¥0.00")
	require.Contains(t, final, "Settled leaves  4")
	require.Contains(t, final, "Settling        ¥0.00")
	require.Regexp(t, `Interest paid   ¥[1-9]`, final, "the buyer-paid interest is paid with settlement")
	require.NotContains(t, final, "ACTIVE")
}
