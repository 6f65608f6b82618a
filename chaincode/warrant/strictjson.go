package warrant

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// checkStrictJSON refuses what encoding/json would quietly accept but another
// reader of the same request could read differently: invalid UTF-8 (replaced
// by U+FFFD on decoding), object keys that match a field only without regard
// to case or after Unicode folding, and keys given twice (the last would win).
// The request must be exactly what the client signed, read one way by all.
func checkStrictJSON(data []byte, target reflect.Type) error {
	if !utf8.Valid(data) {
		return errors.New("request is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return walkJSON(dec, target, "request")
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// walkJSON reads one JSON value from dec, checking object keys against t.
func walkJSON(dec *json.Decoder, t reflect.Type, path string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && reflect.PointerTo(t).Implements(unmarshalerType) {
		t = nil // decoded by its own rules (e.g. time.Time): only the shape is checked
	}
	token, err := dec.Token()
	if err != nil {
		return fmt.Errorf("malformed request: %w", err)
	}
	delim, ok := token.(json.Delim)
	if !ok {
		return nil
	}
	switch delim {
	case '[':
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkJSON(dec, elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case '{':
		fields := jsonFields(t)
		seen := map[string]bool{}
		for dec.More() {
			keyToken, err := dec.Token()
			if err != nil {
				return fmt.Errorf("malformed request: %w", err)
			}
			key, _ := keyToken.(string)
			if seen[key] {
				return fmt.Errorf("%s: field %q given twice", path, key)
			}
			seen[key] = true
			var fieldType reflect.Type
			if fields != nil {
				var known bool
				if fieldType, known = fields[key]; !known {
					return fmt.Errorf("%s: unknown field %q (field names are case-sensitive)", path, key)
				}
			} else if t != nil && t.Kind() == reflect.Map {
				fieldType = t.Elem()
			}
			if err := walkJSON(dec, fieldType, path+"."+key); err != nil {
				return err
			}
		}
	}
	_, err = dec.Token() // the closing delimiter
	if err != nil {
		return fmt.Errorf("malformed request: %w", err)
	}
	return nil
}

// jsonFields maps the exact JSON names of a struct's fields to their types;
// nil for anything but a struct.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		field := t.Field(i)
		if !field.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case field.Anonymous && name == "" && field.Type.Kind() == reflect.Struct:
			for embedded, embeddedType := range jsonFields(field.Type) {
				fields[embedded] = embeddedType
			}
			continue
		case name == "":
			name = field.Name
		}
		fields[name] = field.Type
	}
	return fields
}
