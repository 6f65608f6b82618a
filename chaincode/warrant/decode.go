package warrant

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
)

// maxRequestBytes bounds a request's JSON.
const maxRequestBytes = 1 << 20

// DecodeRequest decodes one JSON object into T strictly: unknown fields, trailing data,
// null and oversized input are refused with INVALID_ARGUMENT. The adapters decode every
// request argument with it.
func DecodeRequest[T any](data []byte) (T, error) {
	var v T
	if len(data) > maxRequestBytes {
		return v, newError(CodeInvalidArgument, "request too large")
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return v, newError(CodeInvalidArgument, "request must be a JSON object")
	}
	if err := checkStrictJSON(trimmed, reflect.TypeFor[T]()); err != nil {
		return v, newError(CodeInvalidArgument, err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		var zero T
		return zero, newError(CodeInvalidArgument, "malformed request: "+err.Error())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var zero T
		return zero, newError(CodeInvalidArgument, "trailing data after the request object")
	}
	return v, nil
}
