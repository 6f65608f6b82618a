package chaincode

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
)

const (
	// batchSize is how many results one QueryResponse carries before the
	// chaincode must ask for more with QUERY_STATE_NEXT.
	batchSize = 100
	// totalQueryLimit caps the results one query returns, as Fabric's
	// default ledger.state.totalQueryLimit does.
	totalQueryLimit = 10000
)

// query is an open iterator the chaincode pages through.
type query struct {
	next     func() (proto.Message, error) // nil, nil at the end
	close    func()
	pending  []*peer.QueryResultBytes
	returned int32
}

func stateQuery(it StateIterator) *query {
	return &query{
		next: func() (proto.Message, error) {
			kv, err := it.Next()
			if kv == nil || err != nil {
				return nil, err
			}
			return kv, nil
		},
		close: it.Close,
	}
}

func historyQuery(it HistoryIterator) *query {
	return &query{
		next: func() (proto.Message, error) {
			km, err := it.Next()
			if km == nil || err != nil {
				return nil, err
			}
			return km, nil
		},
		close: it.Close,
	}
}

// batch reads the next batch of results. It returns hasMore=true only when a
// result beyond the batch exists; that result is kept for the next batch.
func (q *query) batch(limit int32) (results []*peer.QueryResultBytes, hasMore bool, err error) {
	for q.returned < limit {
		result, err := q.next()
		if err != nil {
			return nil, false, err
		}
		if result == nil {
			break
		}
		bytes, err := proto.Marshal(result)
		if err != nil {
			return nil, false, fmt.Errorf("marshal query result: %w", err)
		}
		if len(q.pending) == batchSize {
			results = q.pending
			q.pending = []*peer.QueryResultBytes{{ResultBytes: bytes}}
			q.returned++
			return results, true, nil
		}
		q.pending = append(q.pending, &peer.QueryResultBytes{ResultBytes: bytes})
		q.returned++
	}
	results, q.pending = q.pending, nil
	return results, false, nil
}

// open registers a new query and answers with its first batch.
func (t *transaction) open(q *query) ([]byte, error) {
	t.queryNum++
	id := strconv.Itoa(t.queryNum)
	t.queries[id] = q
	return t.nextBatch(id, q)
}

func (t *transaction) nextBatch(id string, q *query) ([]byte, error) {
	results, hasMore, err := q.batch(totalQueryLimit)
	if err != nil || !hasMore {
		t.closeQuery(id)
	}
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", id, err)
	}
	return proto.Marshal(&peer.QueryResponse{Results: results, HasMore: hasMore, Id: id})
}

func (t *transaction) closeQuery(id string) {
	if q, ok := t.queries[id]; ok {
		q.close()
		delete(t.queries, id)
	}
}

func (t *transaction) closeQueries() {
	for id := range t.queries {
		t.closeQuery(id)
	}
}

func (t *transaction) getStateByRange(payload []byte) ([]byte, error) {
	req := &peer.GetStateByRange{}
	if err := proto.Unmarshal(payload, req); err != nil {
		return nil, fmt.Errorf("unmarshal failed: %w", err)
	}
	if req.GetCollection() != "" {
		return t.privateRange(req.GetCollection(), req.GetStartKey(), req.GetEndKey())
	}
	metadata := &peer.QueryMetadata{}
	if err := proto.Unmarshal(req.GetMetadata(), metadata); err != nil {
		return nil, fmt.Errorf("unmarshal query metadata: %w", err)
	}
	if metadata.GetPageSize() != 0 || metadata.GetBookmark() != "" {
		return t.rangePage(req.GetStartKey(), req.GetEndKey(), metadata)
	}
	it, err := t.sim.GetStateRangeScanIterator(t.namespace, req.GetStartKey(), req.GetEndKey())
	if err != nil {
		return nil, fmt.Errorf("range query [%q, %q): %w", req.GetStartKey(), req.GetEndKey(), err)
	}
	return t.open(stateQuery(it))
}

// rangePage answers a paginated range query in one response: the bookmark
// replaces the start key, and the response's bookmark is the key the next page
// starts at ("" when the range is exhausted).
func (t *transaction) rangePage(start, end string, metadata *peer.QueryMetadata) ([]byte, error) {
	if metadata.GetPageSize() < 0 {
		return nil, errors.New("page size must not be negative")
	}
	if metadata.GetBookmark() != "" {
		start = metadata.GetBookmark()
	}
	limit := int32(totalQueryLimit)
	if size := metadata.GetPageSize(); size > 0 && size < limit {
		limit = size
	}
	// One result beyond the page tells where the next page starts.
	it, err := t.sim.GetStateRangeScanIteratorWithPagination(t.namespace, start, end, limit+1)
	if err != nil {
		return nil, fmt.Errorf("paginated range query [%q, %q): %w", start, end, err)
	}
	defer it.Close()
	var results []*peer.QueryResultBytes
	bookmark := ""
	for {
		kv, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("paginated range query [%q, %q): %w", start, end, err)
		}
		if kv == nil {
			break
		}
		if int32(len(results)) == limit {
			bookmark = kv.GetKey()
			break
		}
		bytes, err := proto.Marshal(kv)
		if err != nil {
			return nil, fmt.Errorf("marshal query result: %w", err)
		}
		results = append(results, &peer.QueryResultBytes{ResultBytes: bytes})
	}
	responseMetadata, err := proto.Marshal(&peer.QueryResponseMetadata{FetchedRecordsCount: int32(len(results)), Bookmark: bookmark})
	if err != nil {
		return nil, fmt.Errorf("marshal query response metadata: %w", err)
	}
	t.queryNum++
	return proto.Marshal(&peer.QueryResponse{Results: results, HasMore: false, Id: strconv.Itoa(t.queryNum), Metadata: responseMetadata})
}

func (t *transaction) queryStateNext(payload []byte) ([]byte, error) {
	req := &peer.QueryStateNext{}
	if err := proto.Unmarshal(payload, req); err != nil {
		return nil, fmt.Errorf("unmarshal failed: %w", err)
	}
	q, ok := t.queries[req.GetId()]
	if !ok {
		return nil, errors.New("query iterator not found")
	}
	return t.nextBatch(req.GetId(), q)
}

// queryStateClose closes the iterator if it is still open; like Fabric it
// answers has_more=false even for an unknown ID.
func (t *transaction) queryStateClose(payload []byte) ([]byte, error) {
	req := &peer.QueryStateClose{}
	if err := proto.Unmarshal(payload, req); err != nil {
		return nil, fmt.Errorf("unmarshal failed: %w", err)
	}
	t.closeQuery(req.GetId())
	return proto.Marshal(&peer.QueryResponse{HasMore: false, Id: req.GetId()})
}

func (t *transaction) getHistoryForKey(payload []byte) ([]byte, error) {
	req := &peer.GetHistoryForKey{}
	if err := proto.Unmarshal(payload, req); err != nil {
		return nil, fmt.Errorf("unmarshal failed: %w", err)
	}
	it, err := t.sim.GetHistoryForKey(t.namespace, req.GetKey())
	if err != nil {
		return nil, fmt.Errorf("history of %q: %w", req.GetKey(), err)
	}
	return t.open(historyQuery(it))
}
