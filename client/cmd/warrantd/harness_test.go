package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/client"
	"github.com/scfledger/warrants/client/httpapi"
	"github.com/scfledger/warrants/test/testnet"
)

// readOnly is the network, the cast onboarded, that the tests which only read
// share (TestHTTPAPIRateLimit, TestHTTPAPIClientCertificate).
var readOnly = testnet.NewShared(testnet.Options{})

func TestMain(m *testing.M) { os.Exit(testnet.RunShared(m, readOnly)) }

// tokenOf is the bearer token of a cast identity in the tests' callers file.
func tokenOf(who string) string { return "token-" + who }

// castIdentities are the wallet identities every test caller maps to one to one.
var castIdentities = []string{testnet.AsCore, testnet.AsBank, testnet.AsAssociation, testnet.AsJinggong,
	testnet.AsHengda, testnet.AsShengtong, testnet.AsYongsheng, testnet.AsInvoiceCheck}

// writeCallers writes a callers file: one caller per cast identity (token
// tokenOf(who)), plus extra callers.
func writeCallers(t *testing.T, dir string, extra ...httpapi.Caller) string {
	var callers []httpapi.Caller
	for _, who := range castIdentities {
		callers = append(callers, httpapi.Caller{Name: who, TokenSHA256: httpapi.Digest([]byte(tokenOf(who))), Identities: []string{who}})
	}
	callers = append(callers, extra...)
	data, err := json.Marshal(map[string]any{"callers": callers})
	require.NoError(t, err)
	path := filepath.Join(dir, "callers.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// daemon is a running warrantd (the command's run function, in-process).
type daemon struct {
	URL  string
	stop context.CancelFunc
	done chan error
}

// startDaemon runs warrantd with args until stopped (or the test ends).
func startDaemon(t *testing.T, args ...string) *daemon {
	t.Helper()
	return startDaemonWith(t, nil, args...)
}

// startDaemonWith runs warrantd with args, its wallet's clients connected with
// opts, until stopped (or the test ends).
func startDaemonWith(t *testing.T, opts []client.Option, args ...string) *daemon {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d := &daemon{stop: cancel, done: make(chan error, 1)}
	urls := make(chan string, 1)
	go func() {
		d.done <- run(ctx, append([]string{"--listen", "127.0.0.1:0"}, args...), io.Discard, func(url string) { urls <- url }, opts...)
	}()
	select {
	case d.URL = <-urls:
	case err := <-d.done:
		t.Fatalf("warrantd did not start: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("warrantd did not start within a minute")
	}
	t.Cleanup(d.Stop)
	return d
}

// Stop stops warrantd gracefully and waits for it (once).
func (d *daemon) Stop() {
	d.stop()
	if d.done != nil {
		<-d.done
		d.done = nil
	}
}

// apiClient calls warrantd and validates every request and response against the
// checked-in OpenAPI document.
type apiClient struct {
	t      *testing.T
	base   string
	http   *http.Client
	router routers.Router
	mu     sync.Mutex
	calls  int
}

func newAPIClient(t *testing.T, base string) *apiClient {
	doc, err := openapi3.NewLoader().LoadFromData(httpapi.OpenAPIDocument)
	require.NoError(t, err)
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	return &apiClient{t: t, base: base, http: &http.Client{Timeout: 2 * time.Minute}, router: router}
}

// reply is a validated response.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// Problem decodes a problem response.
func (r reply) Problem(t *testing.T) httpapi.Problem {
	require.Equal(t, httpapi.ProblemContentType, r.Header.Get("Content-Type"), "body: %s", r.Body)
	var p httpapi.Problem
	require.NoError(t, json.Unmarshal(r.Body, &p))
	return p
}

// do sends a request as token (none if ""), with extra headers as name, value pairs.
func (c *apiClient) do(method, path, token string, body any, headers ...string) reply {
	c.t.Helper()
	var data []byte
	if body != nil {
		var err error
		data, err = json.Marshal(body)
		require.NoError(c.t, err)
	}
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(data))
	require.NoError(c.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	route, params, err := c.router.FindRoute(req)
	require.NoError(c.t, err, "%s %s is not in the OpenAPI document", method, path)
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if body != nil {
		req.Body = io.NopCloser(bytes.NewReader(data))
	}
	require.NoError(c.t, openapi3filter.ValidateRequest(context.Background(), input), "%s %s: request does not match the document", method, path)
	req.Body = io.NopCloser(bytes.NewReader(data))
	resp, err := c.http.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: input, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(got)
	require.NoError(c.t, openapi3filter.ValidateResponse(context.Background(), out),
		"%s %s → %d: response does not match the document: %s", method, path, resp.StatusCode, got)
	c.mu.Lock()
	c.calls++
	c.mu.Unlock()
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: got}
}

// ok sends a request that must succeed and decodes its result into out (if not nil).
func (c *apiClient) ok(method, path, token string, body, out any, headers ...string) {
	c.t.Helper()
	r := c.do(method, path, token, body, headers...)
	require.Equal(c.t, http.StatusOK, r.Status, "%s %s: %s", method, path, r.Body)
	if out != nil {
		require.NoError(c.t, json.Unmarshal(r.Body, out))
	}
}

// refused sends a request that must be refused with status and code.
func (c *apiClient) refused(status int, code, method, path, token string, body any, headers ...string) httpapi.Problem {
	c.t.Helper()
	r := c.do(method, path, token, body, headers...)
	require.Equal(c.t, status, r.Status, "%s %s: %s", method, path, r.Body)
	p := r.Problem(c.t)
	require.Equal(c.t, code, p.Code, "%s %s: %s", method, path, r.Body)
	require.Equal(c.t, status, p.Status)
	return p
}

// eventually polls cond until it holds, failing after a bounded deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pathOf joins path segments.
func pathOf(segments ...string) string {
	return "/" + strings.Join(segments, "/")
}

var _ = fmt.Sprintf

// newLocalServer serves h on a loopback port until the test ends.
func newLocalServer(t *testing.T, h http.Handler) *httptest.Server {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}
