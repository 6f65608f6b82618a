package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/test/testnet"
)

// chromiumPath finds Chromium: $CHROMIUM, or Debian's chromium on the PATH.
func chromiumPath(t *testing.T) string {
	if path := os.Getenv("CHROMIUM"); path != "" {
		return path
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("Chromium not found (install Debian's chromium package, as scripts/test.sh does, or set CHROMIUM)")
	return ""
}

// artifactDir is where screenshots go, $SCF_ARTIFACTS_DIR, or "" when it is unset:
// a screenshot nobody keeps is not taken (encoding each page costs more CPU than
// loading it).
func artifactDir(t *testing.T) string {
	dir := os.Getenv("SCF_ARTIFACTS_DIR")
	if dir != "" {
		require.NoError(t, os.MkdirAll(dir, 0o755))
	}
	return dir
}

// browser starts a headless Chromium with a fresh profile, closed when the test ends.
func browser(t *testing.T) context.Context {
	profile, err := os.MkdirTemp("", "warrantd-chromium")
	require.NoError(t, err)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		// Chromium's helpers may write to the profile briefly after it stops.
		_ = os.RemoveAll(profile)
	})
	require.NoError(t, chromedp.Do(ctx), "start Chromium")
	// Bound the whole test's browsing (a timeout on the first Run would stop the browser).
	ctx, cancelSteps := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelSteps)
	return ctx
}

// screenshot writes the full page as <name>.png in dir, if dir is not "".
func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	path := filepath.Join(dir, name+".png")
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot %s", path)
}

// signIn signs the browser in with a cast identity's token.
func signIn(t *testing.T, ctx context.Context, base, who, next string) {
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(base+"/signin?next="+next),
		chromedp.WaitVisible(`#form-signin`),
		chromedp.SetValue(`#form-signin input[name=token]`, tokenOf(who)),
		chromedp.Submit(`#form-signin`),
	))
}

// TestBrowserPages drives the pages in headless Chromium: the public lookup finds a
// registered invoice and refuses a malformed one; the portfolio, the root summary and
// the lineage load; the lineage SVG has one node per part with the right statuses;
// accepting an offer on the page changes the ledger. Every page is screenshotted
// into $SCF_ARTIFACTS_DIR when it is set.
func TestBrowserPages(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a dev network and Chromium")
	}
	ctx := browser(t)
	artifacts := artifactDir(t)
	n := testnet.Start(t)
	d := startDaemon(t, "--devnet", n.Dir(), "--callers", writeCallers(t, t.TempDir()))

	// Jinggong holds a registered ¥1,000,000 warrant and splits it: Hengda accepts its
	// part, Shengtong's stays offered.
	root := n.ActiveWarrant(t, testnet.Jinggong, 100_000_000)
	background := context.Background()
	split, err := n.Connect(t, testnet.AsJinggong).SplitTransfer(background, warrant.SplitTransferRequest{WarrantID: root.ID,
		Parts: []warrant.Part{{Recipient: testnet.Hengda, Amount: 30_000_000}, {Recipient: testnet.Shengtong, Amount: 20_000_000}}})
	require.NoError(t, err)
	toHengda, toShengtong := childOf(t, *split, testnet.Hengda), childOf(t, *split, testnet.Shengtong)
	_, err = n.Connect(t, testnet.AsHengda).Accept(background, warrant.OfferRequest{WarrantID: toHengda})
	require.NoError(t, err)

	// The public lookup, anonymous.
	invoice := root.Trade.Invoices[0]
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible(`#form-invoice`)))
	title, err := chromedp.Run(ctx, chromedp.Title())
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetValue(`#form-invoice input[name=invoiceCode]`, invoice.Code),
		chromedp.SetValue(`#form-invoice input[name=invoiceNumber]`, invoice.Number),
		chromedp.Submit(`#form-invoice`),
		chromedp.WaitVisible(`#record`),
	))
	registryNo, err := chromedp.Run(ctx, chromedp.Text(`#registry-no`))
	require.NoError(t, err)
	require.Contains(t, title, "登记公示 Registry")
	require.Equal(t, root.RegistryNo, registryNo)
	screenshot(t, ctx, artifacts, "registry")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(d.URL+"/"),
		chromedp.WaitVisible(`#form-invoice`),
		chromedp.SetValue(`#form-invoice input[name=invoiceCode]`, "12"),
		chromedp.SetValue(`#form-invoice input[name=invoiceNumber]`, "x"),
		chromedp.Submit(`#form-invoice`),
		chromedp.WaitVisible(`#problem`),
	))
	code, err := chromedp.Run(ctx, chromedp.AttributeValue(`#problem`, "data-code"))
	require.NoError(t, err)
	require.Equal(t, string(warrant.CodeInvalidArgument), code.Value)
	records, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#record").length`))
	require.NoError(t, err)
	require.Zero(t, records, "a malformed lookup shows no record")
	screenshot(t, ctx, artifacts, "registry-refused")

	// Jinggong's portfolio, the root summary and the lineage tree.
	signIn(t, ctx, d.URL, testnet.AsJinggong, "/portfolio")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(`#warrants`)))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("tr.warrant")].map(r => r.dataset.id + " " + r.dataset.status)`))
	require.NoError(t, err)
	require.ElementsMatch(t, []string{root.ID + " SPLIT", childOf(t, *split, testnet.Jinggong) + " ACTIVE"}, rows)
	screenshot(t, ctx, artifacts, "portfolio")

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(d.URL+"/roots/"+root.ID), chromedp.WaitVisible(`#summary`)))
	face, err := chromedp.Run(ctx, chromedp.Text(`#summary tr:nth-child(2) td`))
	require.NoError(t, err)
	require.Equal(t, "¥1,000,000.00", face)
	screenshot(t, ctx, artifacts, "summary")

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(d.URL+"/roots/"+root.ID+"/lineage"), chromedp.WaitVisible(`#lineage`)))
	nodes, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll("#lineage g.node")].map(g => [g.dataset.id, g.dataset.status]))`))
	require.NoError(t, err)
	want := map[string]string{root.ID: "SPLIT", toHengda: "ACTIVE", toShengtong: "PENDING_ACCEPTANCE", childOf(t, *split, testnet.Jinggong): "ACTIVE"}
	require.Equal(t, want, nodes, "one node per part, with its status")
	screenshot(t, ctx, artifacts, "lineage")

	// Shengtong accepts its offer on the page; the ledger changes.
	require.NoError(t, chromedp.Do(ctx, chromedp.Submit(`header form[action="/signout"]`), chromedp.WaitVisible(`#form-invoice`)))
	signIn(t, ctx, d.URL, testnet.AsShengtong, "/offers")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(fmt.Sprintf(`tr[data-id="%s"] button.accept`, toShengtong))))
	screenshot(t, ctx, artifacts, "offers")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(fmt.Sprintf(`tr[data-id="%s"] button.accept`, toShengtong)),
		chromedp.WaitVisible(`#notice`),
	))
	notice, err := chromedp.Run(ctx, chromedp.Text(`#notice`))
	require.NoError(t, err)
	require.Contains(t, notice, toShengtong)
	accepted, err := n.Connect(t, testnet.AsShengtong).GetWarrant(background, toShengtong)
	require.NoError(t, err)
	require.Equal(t, warrant.StatusActive, accepted.Status, "accepting on the page changed the ledger")
	screenshot(t, ctx, artifacts, "offers-accepted")
}
