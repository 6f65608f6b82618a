package httpapi

import (
	"net/http"
	"reflect"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/scfledger/warrants/client"
)

// plainRoute is an API route that calls no contract function: operations endpoints,
// the document itself and the event stream.
type plainRoute struct {
	ID, Method, Path, Summary, ContentType string
	Schema                                 reflect.Type // response schema; nil for non-JSON
	Authenticated                          bool
	Parameters                             []any
	handler                                func(s *Server) http.HandlerFunc
}

// healthStatus is the body of /healthz and /readyz.
type healthStatus struct {
	Status string `json:"status"`
}

var plainRoutes = []plainRoute{
	{ID: "healthz", Method: http.MethodGet, Path: "/healthz", Summary: "Liveness: the process serves requests",
		ContentType: "application/json", Schema: reflect.TypeFor[healthStatus](),
		handler: func(*Server) http.HandlerFunc {
			return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, healthStatus{Status: "ok"}) }
		}},
	{ID: "readyz", Method: http.MethodGet, Path: "/readyz", Summary: "Readiness: a peer answers a query",
		ContentType: "application/json", Schema: reflect.TypeFor[healthStatus](),
		handler: func(s *Server) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				if err := s.ready(r.Context()); err != nil {
					s.Fail(w, r, "readyz", NewProblem(CodeNotReady, err.Error()))
					return
				}
				writeJSON(w, healthStatus{Status: "ready"})
			}
		}},
	{ID: "metrics", Method: http.MethodGet, Path: "/metrics", Summary: "Prometheus metrics", ContentType: "text/plain",
		handler: func(s *Server) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				promhttp.HandlerFor(s.opts.Metrics.Registry, promhttp.HandlerOpts{}).ServeHTTP(w, r)
			}
		}},
	{ID: "openapi", Method: http.MethodGet, Path: "/openapi.json", Summary: "This OpenAPI document", ContentType: "application/json",
		handler: func(*Server) http.HandlerFunc {
			return func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(OpenAPIDocument)
			}
		}},
	{ID: "events", Method: http.MethodGet, Path: "/v1/events", ContentType: "text/event-stream", Authenticated: true,
		Summary: "The chaincode's events as Server-Sent Events; each event's id resumes the stream after it (Last-Event-ID)",
		Parameters: []any{
			map[string]any{"name": "Last-Event-ID", "in": "header", "required": false, "schema": map[string]any{"type": "string"},
				"description": "the id of the last event received: the stream resumes after it"},
			map[string]any{"name": "fromBlock", "in": "query", "required": false, "schema": map[string]any{"type": "integer", "minimum": 0},
				"description": "block to start from when there is no Last-Event-ID (default 0)"},
			map[string]any{"name": IdentityHeader, "in": "header", "required": false, "schema": map[string]any{"type": "string"},
				"description": "wallet identity to listen as, when the caller is mapped to several"},
		},
		handler: func(s *Server) http.HandlerFunc { return s.streamEvents }},
}

// document describes a plain route in the OpenAPI document.
func (route plainRoute) document(g *schemaGen) map[string]any {
	content := map[string]any{"schema": map[string]any{"type": "string"}}
	if route.Schema != nil {
		content = map[string]any{"schema": g.schemaOf(route.Schema)}
	}
	description := "OK"
	if route.ID == "events" {
		description = "a stream of events, each with id <block>-<transactionId>, event <name> and data " +
			g.ref(reflect.TypeFor[client.Event]())
	}
	doc := map[string]any{
		"operationId": route.ID,
		"summary":     route.Summary,
		"tags":        []any{"operations"},
		"responses": map[string]any{
			"200":     map[string]any{"description": description, "content": map[string]any{route.ContentType: content}},
			"default": problemResponse,
		},
		"security": []any{map[string]any{}},
	}
	if route.Authenticated {
		doc["tags"] = []any{"events"}
		doc["security"] = security
	}
	if route.Parameters != nil {
		doc["parameters"] = route.Parameters
	}
	return doc
}

// ref documents t as a component and returns its reference.
func (g *schemaGen) ref(t reflect.Type) string {
	return g.schemaOf(t)["$ref"].(string)
}
