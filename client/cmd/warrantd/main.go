// Command warrantd serves the warrant chaincode over HTTP for ERP systems and people:
// the REST API with its OpenAPI document (package httpapi), signed webhooks and an
// event stream, /healthz, /readyz and /metrics, and server-rendered pages (package
// web). It acts only as the Fabric identities of its wallet; callers authenticate
// with bearer tokens or TLS client certificates mapped to those identities.
//
//	warrantd --devnet .devnet --callers callers.json --listen 127.0.0.1:8080
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/client/httpapi"
	"github.com/scfledger/warrants/client/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stderr, func(url string) { fmt.Println("warrantd listening on " + url) })
	if err != nil {
		fmt.Fprintln(os.Stderr, "warrantd:", err)
		os.Exit(1)
	}
}

// settings are warrantd's command-line flags.
type settings struct {
	listen, devnet, wallet, callers, publicIdentity, webhooks, checkpoints string
	tlsCert, tlsKey, clientCA                                              string
	rate                                                                   float64
	burst                                                                  int
	maxBody                                                                int64
	webhookMinBackoff                                                      time.Duration
}

func parse(args []string, stderr io.Writer) (settings, error) {
	var s settings
	fs := flag.NewFlagSet("warrantd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&s.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&s.devnet, "devnet", "", "dev network directory: every user of it becomes a wallet identity <User>@<MSPID>")
	fs.StringVar(&s.wallet, "wallet", "", "wallet directory: one <name>.json client configuration per identity")
	fs.StringVar(&s.callers, "callers", "", "callers file (JSON): token or certificate digests and the identities each may act as")
	fs.StringVar(&s.publicIdentity, "public-identity", "User1@AssociationMSP", "wallet identity answering anonymous public registry lookups")
	fs.StringVar(&s.webhooks, "webhooks", "", "webhook endpoints file (JSON {\"endpoints\":[{name,url,secret,identity}]})")
	fs.StringVar(&s.checkpoints, "checkpoints", "warrantd-checkpoints", "directory of the webhook endpoints' event checkpoints")
	fs.StringVar(&s.tlsCert, "tls-cert", "", "server TLS certificate (PEM); with --tls-key serves HTTPS")
	fs.StringVar(&s.tlsKey, "tls-key", "", "server TLS private key (PEM)")
	fs.StringVar(&s.clientCA, "client-ca", "", "CA (PEM) of the TLS client certificates callers may present")
	fs.Float64Var(&s.rate, "rate", 50, "requests per second allowed to each caller")
	fs.IntVar(&s.burst, "burst", 100, "burst of requests allowed to each caller")
	fs.DurationVar(&s.webhookMinBackoff, "webhook-min-backoff", 500*time.Millisecond, "first wait before retrying a failed webhook delivery (doubles up to a minute)")
	fs.Int64Var(&s.maxBody, "max-body", 1<<20, "largest request body in bytes")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if (s.devnet == "") == (s.wallet == "") {
		return s, errors.New("give one of --devnet and --wallet")
	}
	if s.callers == "" {
		return s, errors.New("--callers is required")
	}
	return s, nil
}

// run serves until ctx ends, then shuts down gracefully: in-flight requests finish
// and every webhook delivery under way completes and is checkpointed. The wallet's
// clients connect with opts (tests give them a clock, client.WithClock).
func run(ctx context.Context, args []string, stderr io.Writer, listening func(url string), opts ...client.Option) error {
	s, err := parse(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	var wallet *httpapi.Wallet
	if s.devnet != "" {
		wallet, err = httpapi.DevnetWallet(s.devnet, opts...)
	} else {
		wallet, err = httpapi.OpenWallet(s.wallet, opts...)
	}
	if err != nil {
		return err
	}
	defer wallet.Close()
	callers, err := httpapi.LoadCallers(s.callers, wallet)
	if err != nil {
		return err
	}
	api, err := httpapi.New(httpapi.Options{Wallet: wallet, Callers: callers, PublicIdentity: s.publicIdentity,
		MaxBodyBytes: s.maxBody, RatePerSecond: s.rate, Burst: s.burst, Logger: logger})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	api.Register(mux)
	web.New(api).Register(mux)
	server := &http.Server{Handler: api.Wrap(mux), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}

	scheme := "http"
	if s.tlsCert != "" {
		scheme = "https"
		config := &tls.Config{MinVersion: tls.VersionTLS12}
		if s.clientCA != "" {
			pem, err := os.ReadFile(s.clientCA)
			if err != nil {
				return fmt.Errorf("client CA: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return errors.New("client CA: no PEM certificate")
			}
			config.ClientCAs, config.ClientAuth = pool, tls.VerifyClientCertIfGiven
		}
		server.TLSConfig = config
	}
	listener, err := net.Listen("tcp", s.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}

	hooksCtx, stopHooks := context.WithCancel(context.WithoutCancel(ctx))
	hooksDone := make(chan error, 1)
	if s.webhooks != "" {
		hooks, err := loadWebhooks(s.webhooks, s.checkpoints, s.webhookMinBackoff)
		if err != nil {
			_ = listener.Close()
			stopHooks()
			return err
		}
		go func() { hooksDone <- api.RunWebhooks(hooksCtx, hooks) }()
	} else {
		hooksDone <- nil
	}

	served := make(chan error, 1)
	go func() {
		if scheme == "https" {
			served <- server.ServeTLS(listener, s.tlsCert, s.tlsKey)
		} else {
			served <- server.Serve(listener)
		}
	}()
	listening(scheme + "://" + listener.Addr().String())
	select {
	case err = <-served:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shutdownErr := server.Shutdown(shutdownCtx)
	stopHooks()
	hooksErr := <-hooksDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, shutdownErr, hooksErr)
}

// loadWebhooks reads the endpoints file.
func loadWebhooks(path, checkpoints string, minBackoff time.Duration) (*httpapi.Webhooks, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read webhooks: %w", err)
	}
	var file struct {
		Endpoints []httpapi.WebhookEndpoint `json:"endpoints"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("webhooks %s: %w", path, err)
	}
	return &httpapi.Webhooks{Endpoints: file.Endpoints, CheckpointDir: checkpoints, MinBackoff: minBackoff}, nil
}
