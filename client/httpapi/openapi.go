package httpapi

import (
	_ "embed"
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/scfledger/warrants/chaincode/warrant"
)

// OpenAPIDocument is the checked-in OpenAPI 3.1 document (openapi.json), served at
// /openapi.json. A test regenerates it from the route table and fails if they differ.
//
//go:embed openapi.json
var OpenAPIDocument []byte

// Version is the API version in the OpenAPI document.
const Version = "1.0.0"

// GenerateOpenAPI builds the OpenAPI 3.1 document of every route from the route table
// and the Go types of the requests and responses.
func GenerateOpenAPI() ([]byte, error) {
	g := &schemaGen{components: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, op := range operations {
		item := paths[op.Path]
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		item[strings.ToLower(op.Method)] = g.operation(op)
	}
	for _, route := range plainRoutes {
		item := paths[route.Path]
		if item == nil {
			item = map[string]any{}
			paths[route.Path] = item
		}
		item[strings.ToLower(route.Method)] = route.document(g)
	}
	g.schemaOf(reflect.TypeFor[Problem]())
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "warrantd: supply-chain digital asset warrants (供应链资产数字权证)",
			"version": Version,
			"description": "REST API over the warrant chaincode. Money is int64 fen. Errors are RFC 9457 " +
				"application/problem+json carrying the chaincode's code. Authenticate with a bearer token or a TLS " +
				"client certificate; a caller mapped to several Fabric identities names one in " + IdentityHeader + ". " +
				"The Idempotency-Key header of a mutation is its requestId (R4b).",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": g.components,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer"},
				"mtls":   map[string]any{"type": "mutualTLS"},
			},
		},
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

var security = []any{map[string]any{"bearer": []any{}}, map[string]any{"mtls": []any{}}}

// operation documents one contract operation.
func (g *schemaGen) operation(op operation) map[string]any {
	params := []any{}
	for _, name := range wildcards(op.Path) {
		params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range op.Query {
		params = append(params, map[string]any{"name": q.Name, "in": "query", "required": false, "description": q.Description,
			"schema": map[string]any{"type": q.Type}})
	}
	params = append(params, map[string]any{"name": IdentityHeader, "in": "header", "required": false,
		"description": "wallet identity to act as, when the caller is mapped to several", "schema": map[string]any{"type": "string"}})
	doc := map[string]any{
		"operationId": op.ID,
		"summary":     op.Summary,
		"tags":        []any{op.Tag},
		"responses": map[string]any{
			"200":     map[string]any{"description": "the result", "content": map[string]any{"application/json": map[string]any{"schema": g.schemaOf(op.Response)}}},
			"default": problemResponse,
		},
	}
	if op.Public {
		doc["security"] = append([]any{map[string]any{}}, security...)
	} else {
		doc["security"] = security
	}
	if op.Request != nil {
		if op.Mutation && hasJSONField(op.Request, "requestId") {
			params = append(params, map[string]any{"name": IdempotencyKeyHeader, "in": "header", "required": false,
				"description": "the request's requestId: repeating it returns the original outcome (R4b)",
				"schema":      map[string]any{"type": "string", "maxLength": 64}})
		}
		doc["requestBody"] = map[string]any{
			"required":    false,
			"description": "the domain request; path parameters and Idempotency-Key fill their fields",
			"content":     map[string]any{"application/json": map[string]any{"schema": g.schemaOf(op.Request)}},
		}
	}
	doc["parameters"] = params
	return doc
}

var problemResponse = map[string]any{
	"description": "an RFC 9457 problem carrying the error code",
	"content":     map[string]any{ProblemContentType: map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}},
}

// schemaGen turns Go types into JSON Schema 2020-12 (OpenAPI 3.1) schemas, one
// component per named struct type.
type schemaGen struct {
	components map[string]any
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	statusType = reflect.TypeFor[warrant.Status]()
	roleType   = reflect.TypeFor[warrant.Role]()
	rawType    = reflect.TypeFor[json.RawMessage]()
)

// schemaOf returns the schema of t (a $ref for named structs).
func (g *schemaGen) schemaOf(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == statusType:
		enum := []any{}
		for _, s := range warrant.AllStatuses {
			enum = append(enum, string(s))
		}
		return map[string]any{"type": "string", "enum": enum}
	case t == roleType:
		return map[string]any{"type": "string"}
	case t == rawType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Uint64, reflect.Uint32:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Slice:
		return map[string]any{"type": []any{"array", "null"}, "items": g.schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schemaOf(t.Elem())}
	case reflect.Struct:
		name := t.Name()
		if _, done := g.components[name]; !done {
			g.components[name] = map[string]any{} // placeholder against recursion
			g.components[name] = g.structSchema(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// structSchema lists a struct's JSON fields; the ones always encoded are required.
func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	properties := map[string]any{}
	required := []any{}
	// Requests list no required field: path parameters and headers fill some, and
	// the chaincode answers INVALID_ARGUMENT for what is missing.
	isRequest := strings.HasSuffix(t.Name(), "Request")
	for _, f := range reflect.VisibleFields(t) {
		name := jsonName(f)
		if name == "" {
			continue
		}
		schema := g.schemaOf(f.Type)
		if f.Type.Kind() == reflect.Pointer && !optional(f) {
			schema = map[string]any{"anyOf": []any{schema, map[string]any{"type": "null"}}}
		}
		properties[name] = schema
		if !optional(f) && !isRequest {
			required = append(required, name)
		}
	}
	return map[string]any{"type": "object", "properties": properties, "required": required, "additionalProperties": false}
}

// optional reports whether encoding/json may leave a field out.
func optional(f reflect.StructField) bool {
	tag := f.Tag.Get("json")
	return strings.Contains(tag, ",omitempty") || strings.Contains(tag, ",omitzero")
}
