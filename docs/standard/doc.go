// Package standard is the published warrant standard (R33): versioned JSON Schemas of
// a warrant, of the events the chaincode emits, of the public registry record and of
// the export that `warrantctl export` writes, under v1/. The schemas are generated
// from the Go types of package warrant by this package's tests (go test
// ./docs/standard -update rewrites them) and every warrant and event of a full
// scenario is validated against them, so the files never drift from the code.
package standard

import "embed"

// Files holds the schemas of every version, as v<major>/<name>.schema.json.
//
//go:embed v1/*.schema.json
var Files embed.FS

// Schema names of the standard, each published as v1/<name>.schema.json.
const (
	WarrantSchema        = "warrant"
	EventSchema          = "event"
	RegistryRecordSchema = "registry-record"
	ExportSchema         = "export"
)

// Names lists the schemas in a fixed order.
var Names = []string{WarrantSchema, EventSchema, RegistryRecordSchema, ExportSchema}
