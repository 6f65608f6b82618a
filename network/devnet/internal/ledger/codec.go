package ledger

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// Key prefixes of the store layout (see the package documentation).
const (
	prefixBlock   = 'b'
	prefixState   = 's'
	prefixHistory = 'h'
	prefixTx      = 't'
)

var savepointKey = []byte("m/savepoint")

// blockFileName is the block file's name in the ledger's directory.
const blockFileName = "blocks"

var errCorrupt = errors.New("corrupt record")

func blockKey(num uint64) []byte {
	k := make([]byte, 9)
	k[0] = prefixBlock
	binary.BigEndian.PutUint64(k[1:], num)
	return k
}

func checkNamespace(ns string) error {
	if ns == "" {
		return errors.New("empty namespace")
	}
	if strings.IndexByte(ns, 0) >= 0 {
		return fmt.Errorf("namespace %q contains a NUL byte", ns)
	}
	return nil
}

// stateKey appends the state key of (ns, key) to buf.
func stateKey(buf []byte, ns, key string) []byte {
	buf = append(buf, prefixState)
	buf = append(buf, ns...)
	buf = append(buf, 0)
	return append(buf, key...)
}

// stateNsUpper is the exclusive upper bound of every state key of ns.
func stateNsUpper(ns string) []byte {
	buf := make([]byte, 0, len(ns)+2)
	buf = append(buf, prefixState)
	buf = append(buf, ns...)
	return append(buf, 1)
}

// stateRangeBounds returns the Pebble bounds of the state range [start, end) of
// ns; an empty end means the end of the namespace.
func stateRangeBounds(ns, start, end string) (lower, upper []byte) {
	lower = stateKey(nil, ns, start)
	if end == "" {
		return lower, stateNsUpper(ns)
	}
	return lower, stateKey(nil, ns, end)
}

// historyPrefix is the common prefix of every history entry of (ns, key). The
// key is length-prefixed so a prefix never matches a longer key.
func historyPrefix(ns, key string) []byte {
	buf := make([]byte, 0, len(ns)+len(key)+binary.MaxVarintLen64+18)
	buf = append(buf, prefixHistory)
	buf = append(buf, ns...)
	buf = append(buf, 0)
	buf = binary.AppendUvarint(buf, uint64(len(key)))
	return append(buf, key...)
}

func historyKey(ns, key string, block, tx uint64) []byte {
	buf := historyPrefix(ns, key)
	buf = binary.BigEndian.AppendUint64(buf, ^block)
	return binary.BigEndian.AppendUint64(buf, ^tx)
}

func txKey(txID string) []byte {
	buf := make([]byte, 0, len(txID)+1)
	buf = append(buf, prefixTx)
	return append(buf, txID...)
}

// prefixUpper returns the smallest key greater than every key with prefix p.
func prefixUpper(p []byte) []byte {
	up := append([]byte(nil), p...)
	for i := len(up) - 1; i >= 0; i-- {
		if up[i] < 0xff {
			up[i]++
			return up[:i+1]
		}
	}
	return nil
}

// encodeState appends the state record {version, metadata, value} to buf.
func encodeState(buf []byte, block, tx uint64, md map[string][]byte, value []byte) []byte {
	buf = binary.AppendUvarint(buf, block)
	buf = binary.AppendUvarint(buf, tx)
	buf = binary.AppendUvarint(buf, uint64(len(md)))
	for _, name := range sortedNames(md) {
		buf = appendBytes(buf, []byte(name))
		buf = appendBytes(buf, md[name])
	}
	return append(buf, value...)
}

// decodeVersion reads only the version of a state record.
func decodeVersion(rec []byte) (*kvrwset.Version, []byte, error) {
	block, n := binary.Uvarint(rec)
	if n <= 0 {
		return nil, nil, errCorrupt
	}
	rec = rec[n:]
	tx, n := binary.Uvarint(rec)
	if n <= 0 {
		return nil, nil, errCorrupt
	}
	return &kvrwset.Version{BlockNum: block, TxNum: tx}, rec[n:], nil
}

// decodeState decodes a state record into values that own a private copy, so
// rec may be a buffer Pebble reuses.
func decodeState(rec []byte) (*VersionedValue, error) {
	return decodeOwnedState(append([]byte(nil), rec...))
}

// decodeOwnedState decodes a state record whose buffer the result may keep.
func decodeOwnedState(rec []byte) (*VersionedValue, error) {
	ver, rest, err := decodeVersion(rec)
	if err != nil {
		return nil, err
	}
	count, n := binary.Uvarint(rest)
	if n <= 0 || count > uint64(len(rest)) {
		return nil, errCorrupt
	}
	rest = rest[n:]
	var md map[string][]byte
	if count > 0 {
		md = make(map[string][]byte, count)
	}
	for i := uint64(0); i < count; i++ {
		var name, value []byte
		if name, rest, err = readBytes(rest); err != nil {
			return nil, err
		}
		if value, rest, err = readBytes(rest); err != nil {
			return nil, err
		}
		md[string(name)] = value
	}
	return &VersionedValue{Value: rest, Version: ver, Metadata: md}, nil
}

func encodeTxRecord(block, tx uint64, code peer.TxValidationCode) []byte {
	buf := make([]byte, 0, 3*binary.MaxVarintLen64)
	buf = binary.AppendUvarint(buf, block)
	buf = binary.AppendUvarint(buf, tx)
	return binary.AppendUvarint(buf, uint64(code))
}

func decodeTxRecord(rec []byte) (block, tx uint64, code peer.TxValidationCode, err error) {
	var vals [3]uint64
	for i := range vals {
		v, n := binary.Uvarint(rec)
		if n <= 0 {
			return 0, 0, 0, errCorrupt
		}
		vals[i], rec = v, rec[n:]
	}
	return vals[0], vals[1], peer.TxValidationCode(vals[2]), nil
}

func appendBytes(buf, b []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(b)))
	return append(buf, b...)
}

func readBytes(rec []byte) (b, rest []byte, err error) {
	l, n := binary.Uvarint(rec)
	if n <= 0 || l > uint64(len(rec)-n) {
		return nil, nil, errCorrupt
	}
	end := n + int(l)
	return rec[n:end:end], rec[end:], nil
}

func sortedNames(md map[string][]byte) []string {
	names := make([]string, 0, len(md))
	for name := range md {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// sameVersion reports whether two versions are equal; nil means "absent".
func sameVersion(a, b *kvrwset.Version) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.BlockNum == b.BlockNum && a.TxNum == b.TxNum
}
