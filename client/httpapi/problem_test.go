package httpapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
)

func TestHTTPAPIStatusOfCode(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{string(warrant.CodeInvalidArgument), 400},
		{string(warrant.CodeForbidden), 403},
		{string(warrant.CodeNotFound), 404},
		{string(warrant.CodeAlreadyRegistered), 409},
		{string(warrant.CodePledged), 409},
		{string(warrant.CodeInsufficientCreditLine), 422},
		{string(warrant.CodeRelatedParty), 422},
		{string(warrant.CodeInternal), 500},
		{CodeUnauthenticated, 401},
		{CodePayloadTooLarge, 413},
		{CodeRateLimited, 429},
		{CodeUnavailable, 503},
		{"SOME_NEWER_CODE", 422},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			require.Equal(t, tt.want, StatusOf(tt.code))
			p := NewProblem(tt.code, "detail")
			require.Equal(t, tt.want, p.Status)
			require.Equal(t, problemTypeBase+tt.code, p.Type)
		})
	}
}

func TestHTTPAPIProblemOfTransportFailureIsUnavailable(t *testing.T) {
	p := ProblemOf(errors.New("connection refused"))
	require.Equal(t, CodeUnavailable, p.Code)
	require.Equal(t, http.StatusServiceUnavailable, p.Status)
}

func TestHTTPAPIWebhookSignature(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	body := []byte(`{"id":"7-abc"}`)
	header := SignWebhook("secret", now, body)
	tests := []struct {
		name    string
		secret  string
		header  string
		body    []byte
		at      time.Time
		wantErr string
	}{
		{"accepts its own signature", "secret", header, body, now, ""},
		{"refuses another secret", "other", header, body, now, "mismatch"},
		{"refuses a changed body", "secret", header, []byte(`{"id":"8-abc"}`), now, "mismatch"},
		{"refuses a replay outside the tolerance", "secret", header, body, now.Add(10 * time.Minute), "tolerance"},
		{"refuses a malformed header", "secret", "v1=00", body, now, "want t="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyWebhook(tt.secret, tt.header, tt.body, tt.at, 5*time.Minute)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestHTTPAPIBindRequest(t *testing.T) {
	tests := []struct {
		name, path, body, key string
		want                  warrant.OfferRequest
		wantErr               string
	}{
		{"fills the path and the key", "/v1/warrants/W1/accept", ``, "K1", warrant.OfferRequest{WarrantID: "W1", RequestID: "K1"}, ""},
		{"accepts an agreeing body", "/v1/warrants/W1/accept", `{"warrantId":"W1"}`, "", warrant.OfferRequest{WarrantID: "W1"}, ""},
		{"treats an empty body field as absent", "/v1/warrants/W1/accept", `{"warrantId":""}`, "", warrant.OfferRequest{WarrantID: "W1"}, ""},
		{"refuses a body disagreeing with the path", "/v1/warrants/W1/accept", `{"warrantId":"W2"}`, "", warrant.OfferRequest{}, "differs from the path"},
		{"refuses a body disagreeing with the key", "/v1/warrants/W1/accept", `{"requestId":"K2"}`, "K1", warrant.OfferRequest{}, "differs from the Idempotency-Key"},
		{"refuses unknown fields", "/v1/warrants/W1/accept", `{"amount":1}`, "", warrant.OfferRequest{}, "unknown field"},
		{"refuses a non-object body", "/v1/warrants/W1/accept", `[1]`, "", warrant.OfferRequest{}, "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			var got warrant.OfferRequest
			var err error
			mux.HandleFunc("POST /v1/warrants/{warrantId}/accept", func(_ http.ResponseWriter, r *http.Request) {
				err = bindRequest(r, "/v1/warrants/{warrantId}/accept", []byte(tt.body), &got)
			})
			r := httptest.NewRequest("POST", tt.path, strings.NewReader(tt.body))
			if tt.key != "" {
				r.Header.Set(IdempotencyKeyHeader, tt.key)
			}
			mux.ServeHTTP(httptest.NewRecorder(), r)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestHTTPAPIIdempotencyKeyRefusedWhereNoRequestID(t *testing.T) {
	r := httptest.NewRequest("POST", "/v1/warrants/W1/register", nil)
	r.Header.Set(IdempotencyKeyHeader, "K1")
	var req warrant.RegisterRequest
	err := bindRequest(r, "/v1/warrants/W1/register", nil, &req)
	require.ErrorContains(t, err, "takes no Idempotency-Key")
}
