package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/client/httpapi"
	"github.com/scfledger/warrants/test/testnet"
)

// receiver is an ERP's webhook endpoint: it checks every signature, refuses the first
// attempt of every third event (so that deliveries are retried) and counts the
// accepted deliveries of each event.
type receiver struct {
	t        *testing.T
	secret   string
	mu       sync.Mutex
	accepted map[string]int
	names    map[string]string
	refused  map[string]bool
	distinct int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := httpapi.VerifyWebhook(rc.secret, r.Header.Get(httpapi.WebhookSignatureHeader), body, time.Now(), 5*time.Minute); err != nil {
		rc.t.Errorf("webhook: %v", err)
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var event httpapi.WebhookEvent
	if err := json.Unmarshal(body, &event); err != nil || event.ID != r.Header.Get(httpapi.WebhookIDHeader) {
		rc.t.Errorf("webhook body %s: %v", body, err)
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	if event.Payload.WarrantID != "" && (event.Warrant == nil || event.Warrant.ID != event.Payload.WarrantID) {
		rc.t.Errorf("webhook %s: no details for the association's endpoint", event.ID)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if _, seen := rc.refused[event.ID]; !seen {
		rc.distinct++
		rc.refused[event.ID] = rc.distinct%3 == 0
		if rc.refused[event.ID] {
			http.Error(w, "try again later", http.StatusServiceUnavailable)
			return
		}
	}
	rc.accepted[event.ID]++
	rc.names[event.ID] = event.Name
	w.WriteHeader(http.StatusNoContent)
}

// deliveries returns a copy of the accepted counts.
func (rc *receiver) deliveries() map[string]int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := make(map[string]int, len(rc.accepted))
	for id, n := range rc.accepted {
		out[id] = n
	}
	return out
}

// TestHTTPAPIDemoStory runs the demo story through the HTTP API alone, validating
// every request and response against the OpenAPI document; it restarts warrantd in the
// middle and checks that the webhook endpoint received every event exactly once, and
// checks the refusals: identities not mapped to the caller, missing and unknown
// credentials, limits, and the chaincode's codes as problem statuses.
func TestHTTPAPIDemoStory(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the demo story on a dev network")
	}
	n := testnet.Start(t)
	dir := t.TempDir()
	multi := httpapi.Caller{Name: "erp-multi", TokenSHA256: httpapi.Digest([]byte("token-multi")),
		Identities: []string{testnet.AsBank, testnet.AsAssociation}}
	callers := writeCallers(t, dir, multi)

	hook := &receiver{t: t, secret: "whsec-erp", accepted: map[string]int{}, names: map[string]string{}, refused: map[string]bool{}}
	hookServer := newLocalServer(t, hook)
	hooksFile := filepath.Join(dir, "webhooks.json")
	hooksJSON, err := json.Marshal(map[string]any{"endpoints": []httpapi.WebhookEndpoint{
		{Name: "erp", URL: hookServer.URL, Secret: hook.secret, Identity: testnet.AsAssociation}}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(hooksFile, hooksJSON, 0o600))
	args := []string{"--devnet", n.Dir(), "--callers", callers, "--webhooks", hooksFile,
		"--checkpoints", filepath.Join(dir, "checkpoints"), "--webhook-min-backoff", "10ms", "--max-body", "65536"}

	// Every event of the channel, read directly, to compare with the deliveries.
	chain := map[string]string{}
	var chainMu sync.Mutex
	watchCtx, stopWatch := context.WithCancel(context.Background())
	watched := make(chan error, 1)
	go func() {
		watched <- n.Connect(t, testnet.AsAssociation).ProcessEvents(watchCtx, "", func(_ context.Context, e client.Event) error {
			chainMu.Lock()
			chain[httpapi.EventID(e)] = e.Name
			chainMu.Unlock()
			return nil
		})
	}()
	defer func() { stopWatch(); <-watched }()

	// warrantd's clients stamp their proposals from a clock the test moves to the
	// maturity when the story reaches it (ledger time is the transaction timestamp;
	// the peers accept one within their clock skew, R19), so nothing waits.
	var ahead atomic.Int64
	clock := []client.Option{client.WithClock(func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) })}
	d := startDaemonWith(t, clock, args...)
	api := newAPIClient(t, d.URL)
	core, bank, assoc := tokenOf(testnet.AsCore), tokenOf(testnet.AsBank), tokenOf(testnet.AsAssociation)
	jinggong, hengda, shengtong, yongsheng := tokenOf(testnet.AsJinggong), tokenOf(testnet.AsHengda), tokenOf(testnet.AsShengtong), tokenOf(testnet.AsYongsheng)

	api.ok("GET", "/healthz", "", nil, nil)
	api.ok("GET", "/readyz", "", nil, nil)

	// The bank grants Huaxin a credit line; Huaxin issues ¥1,000,000 to Jinggong.
	api.ok("POST", "/v1/credit-lines", bank, warrant.SetCreditLineRequest{Debtor: testnet.Core, Limit: 500_000_000}, nil)
	issue := n.IssueRequest(testnet.Jinggong, 100_000_000)
	issue.MaturesAt = time.Now().UTC().Add(2 * time.Minute).Truncate(time.Second)
	var root warrant.Warrant
	api.ok("POST", "/v1/warrants", core, issue, &root, httpapi.IdempotencyKeyHeader, "HX-PO-2026-0815")
	var again warrant.Warrant
	api.ok("POST", "/v1/warrants", core, issue, &again, httpapi.IdempotencyKeyHeader, "HX-PO-2026-0815")
	require.Equal(t, root.ID, again.ID, "a repeated Idempotency-Key returns the original warrant (R4b)")
	inv := issue.Trade.Invoices[0]
	documents := warrant.TradeDocuments{Salt: strings.Repeat("9d", 16),
		Contract: warrant.TradeContract{Number: "HX-HT-0815", SignedAt: root.IssuedAt, Amount: inv.Amount},
		Invoices: []warrant.InvoiceDetail{{Code: inv.Code, Number: inv.Number,
			Lines: []warrant.LineItem{{Description: "电缆", Quantity: "1", UnitPrice: inv.Amount, Amount: inv.Amount}}}}}
	var verdict warrant.VerifyResult
	api.ok("POST", "/v1/warrants/"+root.ID+"/verify-trade-documents", shengtong, documents, &verdict)
	require.False(t, verdict.Match, "anyone may check documents by hash, and learns only match or not (R17)")
	withID := issue
	withID.RequestID = "HX-PO-OTHER"
	api.refused(400, "INVALID_ARGUMENT", "POST", "/v1/warrants", core, withID, httpapi.IdempotencyKeyHeader, "HX-PO-2026-0815")

	// A twin on the same invoices; both verified; the twin cannot be registered.
	var twin warrant.Warrant
	api.ok("POST", "/v1/warrants", core, issue, &twin)
	shulian := tokenOf(testnet.AsInvoiceCheck)
	for _, w := range []warrant.Warrant{root, twin} {
		// Two independent sources attest the trade before the verifier decides (R30).
		api.ok("POST", pathOf("v1", "warrants", w.ID, "attest"), shulian, warrant.AttestRequest{Kind: warrant.AttestTaxInvoice, Passed: true,
			ConfirmedAmount: w.Amount, EvidenceHash: testnet.Hash("invoice check " + w.ID)}, nil)
		api.ok("POST", pathOf("v1", "warrants", w.ID, "attest"), core, warrant.AttestRequest{Kind: warrant.AttestGoodsReceipt, Passed: true,
			ConfirmedAmount: w.Amount, EvidenceHash: testnet.Hash("goods receipt " + w.ID)}, nil)
	}
	for _, id := range []string{root.ID, twin.ID} {
		api.ok("POST", pathOf("v1", "warrants", id, "verify"), assoc, warrant.VerifyRequest{EvidenceHash: testnet.Hash("evidence " + id), Passed: true}, nil)
	}
	api.ok("POST", pathOf("v1", "warrants", root.ID, "register"), assoc, nil, &root)
	require.Equal(t, warrant.StatusActive, root.Status)
	api.refused(409, "ALREADY_REGISTERED", "POST", pathOf("v1", "warrants", twin.ID, "register"), assoc, nil)
	api.ok("POST", pathOf("v1", "warrants", twin.ID, "cancel"), core, warrant.CancelRequest{Reason: "duplicate of " + root.ID}, nil)

	// Identities: a caller acts only as the identities it is mapped to.
	var before warrant.WarrantPage
	api.ok("GET", pathOf("v1", "debtors", testnet.Core, "warrants"), core, nil, &before)
	forbidden := api.refused(403, "FORBIDDEN", "POST", "/v1/warrants", jinggong, n.IssueRequest(testnet.Jinggong, 1_000),
		httpapi.IdentityHeader, testnet.AsCore)
	require.Contains(t, forbidden.Detail, "may not act as")
	var after warrant.WarrantPage
	api.ok("GET", pathOf("v1", "debtors", testnet.Core, "warrants"), core, nil, &after)
	require.Equal(t, before, after, "a refused call changes nothing")
	api.refused(400, "INVALID_ARGUMENT", "GET", "/v1/params", "token-multi", nil)
	api.ok("GET", "/v1/params", "token-multi", nil, nil, httpapi.IdentityHeader, testnet.AsAssociation)
	api.refused(401, "UNAUTHENTICATED", "GET", pathOf("v1", "warrants", root.ID), "", nil)
	api.refused(401, "UNAUTHENTICATED", "GET", pathOf("v1", "warrants", root.ID), "not-a-token", nil)
	big := n.IssueRequest(testnet.Jinggong, 1_000)
	big.Currency = strings.Repeat("x", 70_000)
	api.refused(413, "PAYLOAD_TOO_LARGE", "POST", "/v1/warrants", core, big)

	// Custody, split, a refused related-party transfer, accept and reject.
	api.ok("POST", pathOf("v1", "warrants", root.ID, "deposit"), jinggong, warrant.DepositRequest{Custodian: testnet.Bank}, nil)
	var split warrant.SplitResult
	api.ok("POST", pathOf("v1", "warrants", root.ID, "split"), jinggong, warrant.SplitTransferRequest{Parts: []warrant.Part{
		{Recipient: testnet.Hengda, Amount: 30_000_000}, {Recipient: testnet.Shengtong, Amount: 20_000_000}}}, &split)
	toHengda, toShengtong, kept := childOf(t, split, testnet.Hengda), childOf(t, split, testnet.Shengtong), childOf(t, split, testnet.Jinggong)
	api.refused(422, "RELATED_PARTY", "POST", pathOf("v1", "warrants", kept, "split"), jinggong,
		warrant.SplitTransferRequest{Parts: []warrant.Part{{Recipient: testnet.JinggongTrading, Amount: 1_000_000}}})
	api.ok("POST", pathOf("v1", "warrants", toHengda, "accept"), hengda, nil, nil)
	api.ok("POST", pathOf("v1", "warrants", toShengtong, "reject"), shengtong, nil, nil)

	// warrantd restarts; the webhook endpoint must neither miss nor repeat an event.
	d.Stop()
	d = startDaemonWith(t, clock, args...)
	api = newAPIClient(t, d.URL)

	// Tier 3, a pledge, and a refused second pledge.
	api.ok("POST", pathOf("v1", "warrants", toHengda, "split"), hengda,
		warrant.SplitTransferRequest{Parts: []warrant.Part{{Recipient: testnet.Yongsheng, Amount: 10_000_000}}}, &split)
	toYongsheng, keptHengda := childOf(t, split, testnet.Yongsheng), childOf(t, split, testnet.Hengda)
	api.ok("POST", pathOf("v1", "warrants", toYongsheng, "accept"), yongsheng, nil, nil)
	api.ok("POST", pathOf("v1", "warrants", keptHengda, "request-financing"), hengda, warrant.FinancingRequest{Financier: testnet.Bank}, nil)
	api.ok("POST", pathOf("v1", "warrants", keptHengda, "pledge"), bank, warrant.PledgeRequest{Amount: 18_000_000}, nil)
	api.refused(409, "PLEDGED", "POST", pathOf("v1", "warrants", keptHengda, "pledge"), bank, warrant.PledgeRequest{Amount: 1_000_000})

	// Reads: lineage, summary, the public registry lookup (anonymous), a malformed lookup.
	var lineage warrant.WarrantPage
	api.ok("GET", pathOf("v1", "roots", root.ID, "lineage")+"?pageSize=100", jinggong, nil, &lineage)
	require.Len(t, lineage.Items, 7)
	var found httpapi.PublicRecord
	invoice := issue.Trade.Invoices[0]
	api.ok("GET", pathOf("v1", "registry", "invoices", invoice.Code, invoice.Number), "", nil, &found)
	require.True(t, found.Registered)
	require.Equal(t, root.RegistryNo, found.RegistryNo)
	api.refused(400, "INVALID_ARGUMENT", "GET", pathOf("v1", "registry", "invoices", "12", "x"), "", nil)
	api.refused(404, "NOT_FOUND", "GET", pathOf("v1", "warrants", "W"+strings.Repeat("0", 24)), core, nil)

	// Before maturity the root cannot be settled; at maturity (the clients' clock
	// moved there) every live leaf is.
	settle := warrant.SettleRootRequest{PaymentRef: "CNAPS-20260101-0001", PayingBank: testnet.Bank}
	api.refused(422, "NOT_MATURED", "POST", pathOf("v1", "roots", root.ID, "settle"), core, settle)
	ahead.Store(int64(time.Until(issue.MaturesAt) + time.Second))
	var settled warrant.SettleRootResult
	api.ok("POST", pathOf("v1", "roots", root.ID, "settle"), core, settle, &settled)
	for settled.NextBookmark != "" {
		api.ok("POST", pathOf("v1", "roots", root.ID, "settle"), core,
			warrant.SettleRootRequest{PaymentRef: "CNAPS-20260101-0001", PayingBank: testnet.Bank, Bookmark: settled.NextBookmark}, &settled)
	}
	// The paying bank confirms each settling leaf with its own record (R32).
	var pending warrant.PendingSettlementPage
	api.ok("GET", pathOf("v1", "roots", root.ID, "pending-settlements")+"?pageSize=100", core, nil, &pending)
	require.Len(t, pending.Items, 4)
	for _, item := range pending.Items {
		var leaf warrant.Warrant
		api.ok("GET", pathOf("v1", "warrants", item.WarrantID), core, nil, &leaf)
		confirm := warrant.ConfirmSettlementRequest{Channel: warrant.ChannelBankTransfer}
		for i, share := range leaf.Settlement.Payees {
			confirm.Payments = append(confirm.Payments, warrant.ConfirmedPayment{Payee: share.Payee, PayeeAccount: "4000-" + share.Payee,
				Amount: share.Amount, PaymentRef: fmt.Sprintf("QH-%s-%d", leaf.ID, i)})
		}
		api.ok("POST", pathOf("v1", "warrants", leaf.ID, "confirm-settlement"), bank, confirm, nil)
	}
	var summary warrant.RootSummary
	api.ok("GET", pathOf("v1", "roots", root.ID, "summary"), core, nil, &summary)
	require.Equal(t, int64(100_000_000), summary.Settled)
	require.Zero(t, summary.Outstanding)
	require.Equal(t, 4, summary.SettledLeaves)

	// Every event of the channel reached the endpoint exactly once.
	eventually(t, "the webhook to catch up with the chain", func() bool {
		chainMu.Lock()
		defer chainMu.Unlock()
		got := hook.deliveries()
		last := ""
		for id, name := range chain {
			if name == warrant.EventRootSettled {
				last = id
			}
		}
		return last != "" && got[last] == 1 && len(got) == len(chain)
	})
	chainMu.Lock()
	for id, name := range chain {
		require.Equal(t, 1, hook.deliveries()[id], "event %s (%s) delivered %d times", id, name, hook.deliveries()[id])
	}
	chainMu.Unlock()
	for id, count := range hook.deliveries() {
		require.Equal(t, 1, count, "event %s delivered %d times", id, count)
	}

	// The event stream resumes after Last-Event-ID.
	first := readEvents(t, d.URL, assoc, "", 6)
	resumed := readEvents(t, d.URL, assoc, first[2], 3)
	require.Equal(t, first[3:6], resumed)

	// Metrics: requests by operation and status, rejections by code, commit latency,
	// event lag.
	metrics := api.do("GET", "/metrics", "", nil)
	for _, want := range []string{
		`warrantd_requests_total{operation="pledge",status="409"} 1`,
		`warrantd_rejections_total{code="PLEDGED",operation="pledge"} 1`,
		`warrantd_commit_duration_seconds_count{operation="accept"} 1`,
		`warrantd_event_lag_seconds{consumer="webhook:erp"}`,
		`warrantd_request_duration_seconds_bucket{operation="settleRoot"`,
	} {
		require.Contains(t, string(metrics.Body), want)
	}
}

// TestHTTPAPIRateLimit refuses the requests of a caller beyond its burst with 429.
func TestHTTPAPIRateLimit(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a dev network")
	}
	n := readOnly.Get(t)
	d := startDaemon(t, "--devnet", n.Dir(), "--callers", writeCallers(t, t.TempDir()), "--rate", "0.001", "--burst", "2")
	api := newAPIClient(t, d.URL)
	core := tokenOf(testnet.AsCore)
	api.ok("GET", "/v1/params", core, nil, nil)
	api.ok("GET", "/v1/params", core, nil, nil)
	r := api.do("GET", "/v1/params", core, nil)
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	require.Equal(t, "RATE_LIMITED", r.Problem(t).Code)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	api.ok("GET", "/v1/params", tokenOf(testnet.AsBank), nil, nil) // another caller has its own bucket
}

// childOf returns the id of the split child held by holder.
func childOf(t *testing.T, split warrant.SplitResult, holder string) string {
	t.Helper()
	for _, c := range split.Children {
		if c.Holder == holder {
			return c.ID
		}
	}
	t.Fatalf("no child held by %s in %+v", holder, split.Children)
	return ""
}

// readEvents reads count events from the stream (after lastID if not empty) and
// returns their ids.
func readEvents(t *testing.T, base, token, lastID string, count int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/events", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	var ids []string
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for len(ids) < count && scanner.Scan() {
		if id, ok := strings.CutPrefix(scanner.Text(), "id: "); ok {
			ids = append(ids, id)
		}
	}
	require.Len(t, ids, count, "stream ended early: %v", scanner.Err())
	return ids
}

var _ = fmt.Sprint
