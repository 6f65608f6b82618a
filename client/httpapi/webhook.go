package httpapi

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/client"
)

// WebhookEndpoint is an ERP endpoint receiving every chaincode event, as seen by a
// wallet identity, each signed with its secret.
type WebhookEndpoint struct {
	// Name identifies the endpoint; it names its checkpoint file.
	Name string `json:"name"`
	// URL receives POSTs of JSON events.
	URL string `json:"url"`
	// Secret keys the HMAC-SHA256 signature.
	Secret string `json:"secret"`
	// Identity is the wallet identity whose event stream is delivered.
	Identity string `json:"identity"`
}

// Headers of a webhook delivery.
const (
	// WebhookIDHeader carries the event id (EventID); a receiver may use it to spot a
	// redelivery after a crash between delivery and checkpoint.
	WebhookIDHeader = "Warrant-Event-Id"
	// WebhookSignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256 of
	// "<t>.<body>">".
	WebhookSignatureHeader = "Warrant-Signature"
)

// WebhookEvent is the JSON body of a delivery: the event, which tells only what
// happened to which warrant (R15), and the warrant as the endpoint's identity reads it
// at delivery, absent when that identity is not a party of its tree (R20). A debtor's
// endpoint thus receives its notice of assignment with the new holder.
type WebhookEvent struct {
	ID string `json:"id"`
	client.Event
	Warrant *warrant.Warrant `json:"warrant,omitempty"`
}

// SignWebhook returns the signature header of a body sent at time t.
func SignWebhook(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(webhookMAC(secret, ts, body))
}

func webhookMAC(secret, ts string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return mac.Sum(nil)
}

// VerifyWebhook checks a signature header against the body, refusing signatures
// older or newer than tolerance at now (replays).
func VerifyWebhook(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch key {
		case "t":
			ts = value
		case "v1":
			sig = value
		}
	}
	seconds, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return errors.New("webhook signature: want t=<unix>,v1=<hex>")
	}
	if d := now.Sub(time.Unix(seconds, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhook signature: timestamp outside tolerance")
	}
	got, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(got, webhookMAC(secret, ts, body)) {
		return errors.New("webhook signature: mismatch")
	}
	return nil
}

// Webhooks delivers the chaincode's events to endpoints: each endpoint has its own
// checkpoint file, recorded only after the endpoint answered 2xx, so every event
// reaches every endpoint once across restarts of the server. A failed delivery is
// retried with exponential backoff until it succeeds or the server stops.
type Webhooks struct {
	Endpoints []WebhookEndpoint
	// CheckpointDir holds one <name>.checkpoint per endpoint.
	CheckpointDir string
	// HTTPClient sends the deliveries (default: 10 s timeout).
	HTTPClient *http.Client
	// MinBackoff and MaxBackoff bound the wait between attempts (defaults 500 ms, 1 min).
	MinBackoff, MaxBackoff time.Duration
	// Sleep waits between attempts (default: a timer, ending early with ctx).
	Sleep func(context.Context, time.Duration) error

	server *Server
}

// RunWebhooks delivers events to every endpoint until ctx ends.
func (s *Server) RunWebhooks(ctx context.Context, wh *Webhooks) error {
	if wh.HTTPClient == nil {
		wh.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if wh.MinBackoff <= 0 {
		wh.MinBackoff = 500 * time.Millisecond
	}
	if wh.MaxBackoff <= 0 {
		wh.MaxBackoff = time.Minute
	}
	if wh.Sleep == nil {
		wh.Sleep = client.SleepContext
	}
	wh.server = s
	if err := os.MkdirAll(wh.CheckpointDir, 0o700); err != nil {
		return fmt.Errorf("webhook checkpoints: %w", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(wh.Endpoints))
	for i, endpoint := range wh.Endpoints {
		id, ok := s.opts.Wallet.Get(endpoint.Identity)
		if !ok {
			return fmt.Errorf("webhook %s: identity %s is not in the wallet", endpoint.Name, endpoint.Identity)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = wh.run(ctx, endpoint, id)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// run follows one endpoint's event stream, subscribing again after a broken stream.
func (wh *Webhooks) run(ctx context.Context, endpoint WebhookEndpoint, id *Identity) error {
	checkpoint := filepath.Join(wh.CheckpointDir, endpoint.Name+".checkpoint")
	for attempt := 0; ; attempt++ {
		err := id.Client.ProcessEvents(ctx, checkpoint, func(ctx context.Context, e client.Event) error {
			attempt = 0
			details, err := id.Client.Details(ctx, e)
			if err != nil {
				return fmt.Errorf("read the details of event %s: %w", EventID(e), err)
			}
			return wh.deliver(ctx, endpoint, WebhookEvent{ID: EventID(e), Event: e, Warrant: details})
		})
		if ctx.Err() != nil {
			return nil
		}
		wh.server.opts.Logger.Warn("webhook event stream broke; subscribing again", slog.String("endpoint", endpoint.Name), slog.Any("error", err))
		if err := wh.Sleep(ctx, wh.backoff(attempt)); err != nil {
			return nil
		}
	}
}

// deliver posts one event until the endpoint accepts it.
func (wh *Webhooks) deliver(ctx context.Context, endpoint WebhookEndpoint, delivery WebhookEvent) error {
	e := delivery.Event
	body, err := json.Marshal(delivery)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	metrics := wh.server.opts.Metrics
	for attempt := 0; ; attempt++ {
		// A started attempt runs to its end even when the server stops, so that an
		// event the endpoint accepted is also checkpointed.
		err := wh.post(context.WithoutCancel(ctx), endpoint, EventID(e), body)
		if err == nil {
			metrics.deliveries.WithLabelValues(endpoint.Name, "delivered").Inc()
			wh.server.observeEvent("webhook:"+endpoint.Name, e)
			return nil
		}
		metrics.deliveries.WithLabelValues(endpoint.Name, "failed").Inc()
		wh.server.opts.Logger.Warn("webhook delivery failed", slog.String("endpoint", endpoint.Name),
			slog.String("event", EventID(e)), slog.Int("attempt", attempt+1), slog.Any("error", err))
		if err := wh.Sleep(ctx, wh.backoff(attempt)); err != nil {
			return fmt.Errorf("webhook %s: event %s not delivered: %w", endpoint.Name, EventID(e), err)
		}
	}
}

// post sends one signed delivery; any answer but 2xx is a failure.
func (wh *Webhooks) post(ctx context.Context, endpoint WebhookEndpoint, id string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(WebhookIDHeader, id)
	req.Header.Set(WebhookSignatureHeader, SignWebhook(endpoint.Secret, wh.server.opts.Now(), body))
	resp, err := wh.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("endpoint answered %s", resp.Status)
	}
	return nil
}

// backoff is the wait before attempt n+1: MinBackoff doubled n times, at most
// MaxBackoff.
func (wh *Webhooks) backoff(n int) time.Duration {
	d := wh.MinBackoff
	for i := 0; i < n && d < wh.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, wh.MaxBackoff)
}
