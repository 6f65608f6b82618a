package warrant

import (
	"bytes"
	"encoding/json"
)

// pathNode is what the R8a path needs of an ancestor (its parent is named by its id).
type pathNode struct {
	Holder string `json:"holder"`
	Status Status `json:"status"`
}

// readPathNode decodes the holder and status of a stored warrant. A split reads every
// ancestor of the warrant it splits, and decoding whole records was most of its
// chaincode CPU: encoding/json writes Warrant's fields in declaration order, and holder
// and status come before any object, array or escaped string, so scanPathNode reads them
// from the record's first fields and stops. A record it cannot read that way is decoded
// whole, so the result never depends on the shortcut.
func readPathNode(b []byte) (pathNode, error) {
	if n, ok := scanPathNode(b); ok {
		return n, nil
	}
	var n pathNode
	if err := json.Unmarshal(b, &n); err != nil {
		return pathNode{}, internal("decode state", err)
	}
	return n, nil
}

// scanPathNode reads holder and status from the leading members of a JSON object whose
// values up to both are strings without escapes, numbers or literals; ok is false on
// anything else (an object or array first, an escape, malformed input). It stops at
// the first holder and status: stored warrants are encoded by encoding/json from
// Warrant, which names each member once.
func scanPathNode(b []byte) (n pathNode, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return n, false
	}
	var holder, status bool
	for i++; ; {
		key, j, ok := scanPlainString(b, skipSpace(b, i))
		if !ok {
			return n, false
		}
		if i = skipSpace(b, j); i >= len(b) || b[i] != ':' {
			return n, false
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return n, false
		}
		switch c := b[i]; {
		case c == '"':
			value, j, ok := scanPlainString(b, i)
			if !ok {
				return n, false
			}
			switch string(key) {
			case "holder":
				if holder {
					return n, false
				}
				n.Holder, holder = string(value), true
			case "status":
				if status {
					return n, false
				}
				n.Status, status = Status(value), true
			}
			i = j
		case c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n':
			if string(key) == "holder" || string(key) == "status" {
				return n, false
			}
			for i < len(b) && b[i] != ',' && b[i] != '}' && !isSpace(b[i]) {
				i++
			}
		default:
			return n, false
		}
		if holder && status {
			return n, true
		}
		if i = skipSpace(b, i); i >= len(b) || b[i] != ',' {
			return n, false
		}
		i++
	}
}

// scanPlainString reads the JSON string at b[i:] if it has no escape; it returns its
// contents and the index after its closing quote.
func scanPlainString(b []byte, i int) (s []byte, next int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	end := bytes.IndexByte(b[i+1:], '"')
	if end < 0 {
		return nil, 0, false
	}
	s = b[i+1 : i+1+end]
	if bytes.IndexByte(s, '\\') >= 0 {
		return nil, 0, false
	}
	for _, c := range s {
		if c < 0x20 {
			return nil, 0, false
		}
	}
	return s, i + 2 + end, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
