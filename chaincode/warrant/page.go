package warrant

import "encoding/base64"

// Paging of queries and batches (R16).
const (
	// DefaultPageSize is used when a request gives page size 0.
	DefaultPageSize = 20
	// MaxPageSize is the largest page a request may ask for.
	MaxPageSize = 100
)

// pageSizeOf validates a requested page size and applies the default.
func pageSizeOf(n int) (int, error) {
	switch {
	case n == 0:
		return DefaultPageSize, nil
	case n < 0 || n > MaxPageSize:
		return 0, newError(CodeInvalidArgument, "page size must be 0..100", "field", "pageSize")
	}
	return n, nil
}

// rangePage reads one page of [start, end) beginning at the bookmark (an opaque encoding
// of the next key; "" = from start). It reads one extra key to learn whether a next page
// exists, so next is "" exactly on the last page.
func rangePage(r StateRanger, start, end string, pageSize int, bookmark string) (kvs []KV, next string, err error) {
	size, from, err := pageFrom(start, end, pageSize, bookmark)
	if err != nil {
		return nil, "", err
	}
	kvs, err = r.Range(from, end, size+1)
	if err != nil {
		return nil, "", internal("range state", err)
	}
	if len(kvs) > size {
		next = encodeBookmark(kvs[size].Key)
		kvs = kvs[:size]
	}
	return kvs, next, nil
}

// pageFrom validates a page size and a bookmark of the range [start, end) and returns
// the size and the key the page starts at.
func pageFrom(start, end string, pageSize int, bookmark string) (size int, from string, err error) {
	size, err = pageSizeOf(pageSize)
	if err != nil {
		return 0, "", err
	}
	if bookmark == "" {
		return size, start, nil
	}
	raw, derr := base64.RawURLEncoding.DecodeString(bookmark)
	if derr != nil || string(raw) < start || string(raw) >= end {
		return 0, "", newError(CodeInvalidArgument, "bookmark does not belong to this query", "field", "bookmark")
	}
	return size, string(raw), nil
}

// encodeBookmark is the bookmark of a page that starts at key.
func encodeBookmark(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

// lastAttr returns the last attribute of a composite key (the id in every index).
func lastAttr(key string) string {
	_, attrs := splitCompositeKey(key)
	if len(attrs) == 0 {
		return ""
	}
	return attrs[len(attrs)-1]
}
