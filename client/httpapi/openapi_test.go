package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
)

// TestHTTPAPIOpenAPIDocumentIsCurrent fails when the checked-in openapi.json differs
// from the document generated from the route table and the domain types
// (SCF_UPDATE_OPENAPI=1 rewrites it).
func TestHTTPAPIOpenAPIDocumentIsCurrent(t *testing.T) {
	generated, err := GenerateOpenAPI()
	require.NoError(t, err)
	if os.Getenv("SCF_UPDATE_OPENAPI") != "" {
		require.NoError(t, os.WriteFile("openapi.json", generated, 0o644))
	}
	require.Equal(t, string(generated), string(OpenAPIDocument),
		"openapi.json is stale: run SCF_UPDATE_OPENAPI=1 go test ./client/httpapi -run OpenAPIDocumentIsCurrent")
}

// TestHTTPAPIRoutesMatchDocument checks that the document is valid OpenAPI 3.1 and
// that its operations and the server's routes are the same set.
func TestHTTPAPIRoutesMatchDocument(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPIDocument)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	require.True(t, doc.IsOpenAPI31OrLater())

	mux := http.NewServeMux()
	(&Server{}).Register(mux)
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			pattern := method + " " + path
			documented[pattern] = true
			concrete := path
			for _, name := range wildcards(path) {
				concrete = strings.Replace(concrete, "{"+name+"}", "x"+name, 1)
			}
			_, registered := mux.Handler(httptest.NewRequest(method, concrete, nil))
			require.Equal(t, pattern, registered, "documented %s is not served by its own route", pattern)
		}
	}
	var served []string
	for _, op := range operations {
		served = append(served, op.Method+" "+op.Path)
	}
	for _, route := range plainRoutes {
		served = append(served, route.Method+" "+route.Path)
	}
	require.Len(t, documented, len(served))
	for _, pattern := range served {
		require.True(t, documented[pattern], "route %s is not in the document", pattern)
	}
}
