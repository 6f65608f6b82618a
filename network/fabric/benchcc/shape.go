package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// Shape's arguments after the transaction's id, in order.
var shapeArgs = []string{"reads", "batches", "docs", "docBytes", "markers", "deletes", "resultBytes", "eventBytes"}

// Bounds of Shape's arguments: counts of keys, and sizes of one value in bytes.
const (
	maxShapeKeys  = 64
	maxShapeBytes = 64 << 10
)

// shape is the state access of one Shape transaction: what a transaction of
// another chaincode asks of the peer, without that chaincode's logic.
type shape struct {
	// id names the transaction's own keys: id/doc/N, id/index/NN/<padding> and
	// id/gone/NN/<padding>.
	id string
	// reads shared keys (shared-0, shared-1, ...; see SharedKey), fetched in
	// batches GetMultipleStates calls, each a round trip to the peer.
	reads, batches int
	// docs documents of docBytes bytes each; markers one-byte index entries and
	// deletes deletions of index entries (of keys never written: a delete enters
	// the write set all the same), with keys padded to 74 bytes or more, about as
	// long as the warrant chaincode's composite keys (60-92 bytes).
	docs, docBytes, markers, deletes int
	// resultBytes bytes of response payload, and a chaincode event of eventBytes
	// bytes when eventBytes > 0.
	resultBytes, eventBytes int
}

// SharedKey is the key of the i-th shared value a Shape transaction reads; the
// benchmark writes them with Put before it runs Shape transactions.
func SharedKey(i int) string { return "shared-" + strconv.Itoa(i) }

// parseShape reads Shape's arguments: an id, then the counts and sizes named by
// shapeArgs, each a decimal integer within its bound.
func parseShape(args []string) (shape, error) {
	if len(args) != 1+len(shapeArgs) || args[0] == "" {
		return shape{}, fmt.Errorf("Shape wants a non-empty id and %s, got %d arguments", strings.Join(shapeArgs, ", "), len(args))
	}
	if !utf8.ValidString(args[0]) || strings.ContainsRune(args[0], 0) {
		return shape{}, fmt.Errorf("Shape's id must be UTF-8 without U+0000, got %q", args[0])
	}
	values := make([]int, len(shapeArgs))
	for i, name := range shapeArgs {
		limit := maxShapeKeys
		if strings.HasSuffix(name, "Bytes") {
			limit = maxShapeBytes
		}
		n, err := strconv.Atoi(args[1+i])
		if err != nil || n < 0 || n > limit {
			return shape{}, fmt.Errorf("Shape's %s must be an integer from 0 to %d, got %q", name, limit, args[1+i])
		}
		values[i] = n
	}
	s := shape{id: args[0], reads: values[0], batches: values[1], docs: values[2], docBytes: values[3],
		markers: values[4], deletes: values[5], resultBytes: values[6], eventBytes: values[7]}
	if (s.reads == 0) != (s.batches == 0) || s.batches > s.reads {
		return shape{}, fmt.Errorf("Shape's batches must be from 1 to reads (%d), or 0 with no reads, got %d", s.reads, s.batches)
	}
	return s, nil
}

// run makes the shape's calls on the stub and returns its response payload.
func (s shape) run(stub shim.ChaincodeStubInterface) ([]byte, error) {
	for b := range s.batches {
		// Batch b reads keys [b*reads/batches, (b+1)*reads/batches).
		var keys []string
		for i := b * s.reads / s.batches; i < (b+1)*s.reads/s.batches; i++ {
			keys = append(keys, SharedKey(i))
		}
		if _, err := stub.GetMultipleStates(keys...); err != nil {
			return nil, fmt.Errorf("read %v: %w", keys, err)
		}
	}
	doc := []byte(strings.Repeat("d", s.docBytes))
	for i := range s.docs {
		if err := stub.PutState(fmt.Sprintf("%s/doc/%d", s.id, i), doc); err != nil {
			return nil, fmt.Errorf("write document %d: %w", i, err)
		}
	}
	pad := strings.Repeat("i", max(0, 64-len(s.id)))
	for i := range s.markers {
		if err := stub.PutState(fmt.Sprintf("%s/index/%02d/%s", s.id, i, pad), []byte{0}); err != nil {
			return nil, fmt.Errorf("write index entry %d: %w", i, err)
		}
	}
	for i := range s.deletes {
		if err := stub.DelState(fmt.Sprintf("%s/gone/%02d/%s", s.id, i, pad)); err != nil {
			return nil, fmt.Errorf("delete index entry %d: %w", i, err)
		}
	}
	if s.eventBytes > 0 {
		if err := stub.SetEvent("shaped", []byte(strings.Repeat("e", s.eventBytes))); err != nil {
			return nil, fmt.Errorf("set event: %w", err)
		}
	}
	return []byte(strings.Repeat("r", s.resultBytes)), nil
}
