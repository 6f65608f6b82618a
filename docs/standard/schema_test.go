package standard_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scfledger/warrants/chaincode/warrant"
	"github.com/scfledger/warrants/docs/standard"
)

var update = flag.Bool("update", false, "rewrite the checked-in schemas from the Go types")

// eventName is the name of a chaincode event, one of warrant.EventNames.
type eventName string

// chaincodeEvent is an event as the chaincode emits it: its name and its payload.
type chaincodeEvent struct {
	Name    eventName            `json:"name"`
	Payload warrant.EventPayload `json:"payload"`
}

// published maps each schema to its root type and description.
var published = map[string]struct {
	root  reflect.Type
	title string
}{
	standard.WarrantSchema: {reflect.TypeFor[warrant.Warrant](),
		"A supply-chain digital asset warrant (供应链资产数字权证) or a part of one, as stored on the ledger"},
	standard.EventSchema: {reflect.TypeFor[chaincodeEvent](),
		"A chaincode event: its name and its JSON payload (ids, amounts and parties; no trade details)"},
	standard.RegistryRecordSchema: {registryRecordType,
		"The public registry record any member may look up by invoice, document or registry number"},
	standard.ExportSchema: {reflect.TypeFor[warrant.Export](),
		"A root warrant, its whole lineage and its money summary, for another platform or a regulator"},
}

// enums are the closed sets of the named string types.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[warrant.Status]():             strs(warrant.AllStatuses),
	reflect.TypeFor[warrant.VerificationResult](): {string(warrant.VerificationPassed), string(warrant.VerificationFailed)},
	reflect.TypeFor[warrant.AttestationKind]():    strs(warrant.AllAttestationKinds),
	reflect.TypeFor[warrant.InterestPayer]():      {string(warrant.PayerBuyer), string(warrant.PayerHolder)},
	reflect.TypeFor[warrant.DayCount]():           {string(warrant.DayCountAct365), string(warrant.DayCountAct360)},
	reflect.TypeFor[warrant.PaymentChannel]():     {string(warrant.ChannelBankTransfer), string(warrant.ChannelECNY)},
	reflect.TypeFor[eventName]():                  warrant.EventNames,
}

func strs[S ~string](values []S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// schemaID is the $id of a schema of version 1.
func schemaID(name string) string { return "urn:scf-warrant:standard:1:" + name }

// generate builds the JSON Schema (draft 2020-12) of a root type.
func generate(name string) map[string]any {
	p := published[name]
	defs := map[string]any{}
	root := objectSchema(p.root, defs)
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = schemaID(name)
	root["title"] = p.title
	root["x-standard"] = warrant.StandardVersion
	if len(defs) > 0 {
		root["$defs"] = defs
	}
	return root
}

var timeType = reflect.TypeFor[time.Time]()

// typeSchema is the schema of a field's type; named structs go to defs.
func typeSchema(t reflect.Type, defs map[string]any) map[string]any {
	if values, ok := enums[t]; ok {
		return map[string]any{"type": "string", "enum": values}
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		return typeSchema(t.Elem(), defs)
	case t.Kind() == reflect.Struct:
		if _, done := defs[t.Name()]; !done {
			defs[t.Name()] = nil // placeholder against recursion
			defs[t.Name()] = objectSchema(t, defs)
		}
		return map[string]any{"$ref": "#/$defs/" + t.Name()}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": typeSchema(t.Elem(), defs)}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": typeSchema(t.Elem(), defs)}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return map[string]any{"type": "integer"}
	}
	panic(fmt.Sprintf("no schema for %s", t))
}

// objectSchema lists a struct's JSON fields; fields without omitempty/omitzero are
// required; no other property is allowed.
func objectSchema(t reflect.Type, defs map[string]any) map[string]any {
	props := map[string]any{}
	required := []string{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		s := typeSchema(f.Type, defs)
		if name == "standard" && f.Type.Kind() == reflect.String {
			s = map[string]any{"const": warrant.StandardVersion}
		}
		if strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero") {
			props[name] = s
			continue
		}
		props[name] = s
		required = append(required, name)
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

func encodeSchema(t *testing.T, name string) []byte {
	b, err := json.MarshalIndent(generate(name), "", "  ")
	require.NoError(t, err)
	return append(b, '\n')
}

// TestWarrantStandardMatchesTheCode generates every schema from the Go types and
// requires the checked-in file to be the same, byte for byte (R33).
func TestWarrantStandardMatchesTheCode(t *testing.T) {
	for _, name := range standard.Names {
		t.Run(name, func(t *testing.T) {
			want := encodeSchema(t, name)
			path := filepath.Join("v1", name+".schema.json")
			if *update {
				require.NoError(t, os.WriteFile(path, want, 0o644))
			}
			got, err := standard.Files.ReadFile("v1/" + name + ".schema.json")
			if *update {
				got, err = os.ReadFile(path)
			}
			require.NoError(t, err)
			require.True(t, bytes.Equal(want, got),
				"%s drifted from the Go types: run go test ./docs/standard -update and review the diff", path)
		})
	}
}

// TestWarrantStandardCoversEveryEventAndStatus keeps the enumerations closed: every
// event name the chaincode emits and every status appear in the schemas.
func TestWarrantStandardCoversEveryEventAndStatus(t *testing.T) {
	event := string(encodeSchema(t, standard.EventSchema))
	for _, name := range warrant.EventNames {
		require.Contains(t, event, `"`+name+`"`)
	}
	w := string(encodeSchema(t, standard.WarrantSchema))
	for _, s := range warrant.AllStatuses {
		require.Contains(t, w, `"`+string(s)+`"`)
	}
}
