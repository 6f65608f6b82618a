// Package httpapi is the REST API of warrantd over the typed client library: one
// endpoint per contract function and query, described by a checked-in OpenAPI 3.1
// document, with RFC 9457 problem responses carrying the chaincode's error codes,
// authentication by bearer token or TLS client certificate mapped to Fabric
// identities of a wallet, request size and rate limits, an access log, Prometheus
// metrics, chaincode events as signed webhooks and as a Server-Sent Events stream.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Options configure a Server.
type Options struct {
	// Wallet holds the identities the server acts as.
	Wallet *Wallet
	// Callers authenticates requests.
	Callers *Callers
	// PublicIdentity is the wallet identity answering the public registry lookups of
	// anonymous callers, and the readiness check.
	PublicIdentity string
	// MaxBodyBytes limits request bodies (default 1 MiB).
	MaxBodyBytes int64
	// RatePerSecond and Burst limit each caller's (or, anonymous, each address's)
	// requests (defaults 50 and 100).
	RatePerSecond float64
	Burst         int
	// Logger receives the access log (default slog.Default()).
	Logger *slog.Logger
	// Metrics are updated by every request (default NewMetrics()).
	Metrics *Metrics
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Server serves the REST API.
type Server struct {
	opts     Options
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	opOf     map[string]string // route pattern → operation name for metrics
}

// New checks the options and returns a Server.
func New(opts Options) (*Server, error) {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.RatePerSecond <= 0 {
		opts.RatePerSecond = 50
	}
	if opts.Burst <= 0 {
		opts.Burst = 100
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Wallet == nil || opts.Callers == nil {
		return nil, errors.New("httpapi: a wallet and callers are required")
	}
	if _, ok := opts.Wallet.Get(opts.PublicIdentity); !ok {
		return nil, fmt.Errorf("httpapi: public identity %q is not in the wallet", opts.PublicIdentity)
	}
	s := &Server{opts: opts, limiters: map[string]*rate.Limiter{}, opOf: map[string]string{}}
	for _, op := range operations {
		s.opOf[op.Method+" "+op.Path] = op.ID
	}
	for _, route := range plainRoutes {
		s.opOf[route.Method+" "+route.Path] = route.ID
	}
	return s, nil
}

// Metrics returns the server's metrics.
func (s *Server) Metrics() *Metrics { return s.opts.Metrics }

// Wallet returns the server's wallet.
func (s *Server) Wallet() *Wallet { return s.opts.Wallet }

// Callers returns the server's callers.
func (s *Server) Callers() *Callers { return s.opts.Callers }

// Register adds every API route to mux.
func (s *Server) Register(mux *http.ServeMux) {
	for _, op := range operations {
		mux.HandleFunc(op.Method+" "+op.Path, s.handle(op))
	}
	for _, route := range plainRoutes {
		mux.HandleFunc(route.Method+" "+route.Path, route.handler(s))
	}
}

// Handler is the API alone: its routes behind Wrap.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Register(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, NewProblem(CodeNotFoundRoute, "no route "+r.Method+" "+r.URL.Path))
	})
	return s.Wrap(mux)
}

// Wrap puts the access log, the metrics, authentication and the rate limit in front
// of h. Authentication sets the caller (CallerOf); bad credentials are refused here.
func (s *Server) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.opts.Now()
		recorder := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		caller, problem := s.opts.Callers.Authenticate(r)
		switch {
		case problem != nil:
			writeProblem(recorder, r, problem)
		case !s.allow(caller, r):
			s.opts.Metrics.limited.WithLabelValues("rate").Inc()
			writeProblem(recorder, r, NewProblem(CodeRateLimited, "too many requests; retry later"))
		default:
			if caller != nil {
				r = r.WithContext(WithCaller(r.Context(), caller))
			}
			h.ServeHTTP(recorder, r)
		}
		elapsed := s.opts.Now().Sub(start)
		operation := s.opOf[r.Pattern]
		if operation == "" {
			operation = "other"
		}
		s.opts.Metrics.requests.WithLabelValues(operation, strconv.Itoa(recorder.status)).Inc()
		s.opts.Metrics.latency.WithLabelValues(operation).Observe(elapsed.Seconds())
		who := "-"
		if caller != nil {
			who = caller.Name
		}
		s.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, "access",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("operation", operation),
			slog.Int("status", recorder.status), slog.Int64("bytes", recorder.bytes), slog.Duration("duration", elapsed),
			slog.String("caller", who), slog.String("identity", r.Header.Get(IdentityHeader)), slog.String("remote", r.RemoteAddr))
	})
}

// allow takes a token from the caller's (or the address's) bucket.
func (s *Server) allow(caller *Caller, r *http.Request) bool {
	key := "caller:"
	if caller != nil {
		key += caller.Name
	} else {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		key = "addr:" + host
	}
	s.mu.Lock()
	limiter := s.limiters[key]
	if limiter == nil {
		limiter = rate.NewLimiter(rate.Limit(s.opts.RatePerSecond), s.opts.Burst)
		s.limiters[key] = limiter
	}
	s.mu.Unlock()
	return limiter.AllowN(s.opts.Now(), 1)
}

// IdentityFor picks the identity a request acts as: the caller's (see ActAs), or the
// public identity for an anonymous request to a public operation.
func (s *Server) IdentityFor(r *http.Request, public bool) (*Identity, *Problem) {
	caller := CallerOf(r.Context())
	if caller == nil {
		if !public {
			return nil, NewProblem(CodeUnauthenticated, "authenticate with a bearer token or a client certificate")
		}
		id, _ := s.opts.Wallet.Get(s.opts.PublicIdentity)
		return id, nil
	}
	return ActAs(s.opts.Wallet, caller, r.Header.Get(IdentityHeader))
}

// Fail sends a problem and counts it as a rejection of the operation.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, operation string, p *Problem) {
	s.opts.Metrics.rejections.WithLabelValues(operation, p.Code).Inc()
	if p.Code == CodePayloadTooLarge {
		s.opts.Metrics.limited.WithLabelValues("size").Inc()
	}
	writeProblem(w, r, p)
}

// handle serves one operation.
func (s *Server) handle(op operation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if op.Request != nil {
			var err error
			if body, err = readBody(w, r, s.opts.MaxBodyBytes); err != nil {
				s.Fail(w, r, op.ID, ProblemOf(err))
				return
			}
			if len(body) > 0 {
				if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType != "application/json" {
					s.Fail(w, r, op.ID, NewProblem(CodeUnsupportedMedia, "send the request body as application/json"))
					return
				}
			}
		}
		id, problem := s.IdentityFor(r, op.Public)
		if problem != nil {
			s.Fail(w, r, op.ID, problem)
			return
		}
		start := s.opts.Now()
		result, err := op.call(r.Context(), id.Client, r, body)
		if err != nil {
			s.Fail(w, r, op.ID, ProblemOf(err))
			return
		}
		if op.Mutation {
			s.opts.Metrics.commit.WithLabelValues(op.ID).Observe(s.opts.Now().Sub(start).Seconds())
		}
		writeJSON(w, result)
	}
}

// statusRecorder remembers the status and size of a response; it passes Flush on
// for event streams.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (s *statusRecorder) WriteHeader(status int) {
	if !s.wrote {
		s.status, s.wrote = status, true
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// ready checks that the public identity's peer answers a query.
func (s *Server) ready(ctx context.Context) error {
	id, _ := s.opts.Wallet.Get(s.opts.PublicIdentity)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := id.Client.GetParams(ctx)
	return err
}
