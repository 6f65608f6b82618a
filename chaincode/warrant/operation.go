package warrant

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"
)

// Tx is the transaction context an operation needs: the tx id and the ledger time (the
// transaction timestamp). The domain never reads a clock.
type Tx struct {
	ID   string
	Time time.Time
}

// NewTx builds a Tx; the time is normalised to UTC.
func NewTx(id string, t time.Time) Tx { return Tx{ID: id, Time: t.UTC()} }

// KeyEndorsement asks the adapter to set the state-based endorsement policy of Key to
// "one peer of each org in MSPIDs"; an empty MSPIDs asks it to remove the key's policy
// (R10). The domain cannot set endorsement policies itself.
type KeyEndorsement struct {
	Key    string
	MSPIDs []string
}

// Effects are what a mutating operation asks the adapter to do besides returning the
// result: emit Event (always exactly one, R15) and apply Endorsements in order.
type Effects struct {
	Event        Event
	Endorsements []KeyEndorsement
	// PrivateWrites go to private data collections (R17), in order.
	PrivateWrites []PrivateWrite
}

// buffer collects an operation's writes; nothing reaches the state until flush, so a
// rejected operation writes nothing (R18). Reads see the buffered writes; the state is
// read at most once per key (the committed state does not change during an operation).
type buffer struct {
	st      State
	pending map[string][]byte // nil value = delete
	read    map[string][]byte // values read from st; nil value = absent
}

func (b *buffer) Get(key string) ([]byte, error) {
	v, err := b.view(key)
	return bytes.Clone(v), err
}

// view is Get without the copy, for a caller that only decodes the value: the value
// stays the buffer's, and the caller must not change or keep it.
func (b *buffer) view(key string) ([]byte, error) {
	if v, ok := b.pending[key]; ok {
		return v, nil
	}
	if v, ok := b.read[key]; ok {
		return v, nil
	}
	v, err := b.st.Get(key)
	if err != nil {
		return nil, err
	}
	b.remember(key, v)
	return v, nil
}

// remember caches a value read from the state.
func (b *buffer) remember(key string, v []byte) {
	if b.read == nil {
		b.read = map[string][]byte{}
	}
	b.read[key] = v
}

// prefetch reads, in one call when the state is a StateBatchReader, those of keys the
// operation has neither read nor written yet. Callers pass only keys the operation reads
// on every path that succeeds, so the read set of a committed operation is unchanged.
func (b *buffer) prefetch(keys ...string) error {
	batch, ok := b.st.(StateBatchReader)
	if !ok {
		return nil
	}
	missing := make([]string, 0, len(keys))
	for _, k := range keys {
		_, written := b.pending[k]
		_, read := b.read[k]
		if !written && !read && !slices.Contains(missing, k) {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	values, err := batch.GetMany(missing)
	if err != nil {
		return internal("read state", err)
	}
	if len(values) != len(missing) {
		return internal("read state", fmt.Errorf("%d values for %d keys", len(values), len(missing)))
	}
	for i, k := range missing {
		b.remember(k, values[i])
	}
	return nil
}

func (b *buffer) put(key string, v []byte) { b.pending[key] = bytes.Clone(v) }
func (b *buffer) del(key string)           { b.pending[key] = nil }

// flush applies the writes in key order (deterministic).
func (b *buffer) flush() error {
	keys := make([]string, 0, len(b.pending))
	for k := range b.pending {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var err error
		if v := b.pending[k]; v == nil {
			err = b.st.Delete(k)
		} else {
			err = b.st.Put(k, v)
		}
		if err != nil {
			return internal("write state", err)
		}
	}
	return nil
}

// opCtx is what an operation body works with.
type opCtx struct {
	st      State // for range reads (which do not see buffered writes)
	buf     *buffer
	tx      Tx
	caller  Caller
	private []PrivateWrite // private data writes, handed over on success only (R17)
}

func (x *opCtx) Get(key string) ([]byte, error) { return x.buf.Get(key) }

func (x *opCtx) putJSON(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return internal("encode "+key, err)
	}
	x.buf.put(key, b)
	return nil
}

// getJSON reads key into out; found is false if the key is absent.
func getJSON(r StateReader, key string, out any) (found bool, err error) {
	b, err := readOnly(r, key)
	if err != nil {
		return false, internal("read state", err)
	}
	if b == nil {
		return false, nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return false, internal("decode state", err)
	}
	return true, nil
}

// readOnly reads key for a caller that only decodes the value, without a copy when r
// is an operation's buffered state.
func readOnly(r StateReader, key string) ([]byte, error) {
	if x, ok := r.(*opCtx); ok {
		return x.buf.view(key)
	}
	return r.Get(key)
}

// requestRecord is the stored outcome of a call that carried a requestId (R4b).
type requestRecord struct {
	Op          string          `json:"op"`
	RequestHash []byte          `json:"requestHash"`
	TxID        string          `json:"txId"`
	Result      json.RawMessage `json:"result"`
	Event       Event           `json:"event"`
}

// execute runs an operation body with R18 (validate everything, then write all or
// nothing) and R4b (a repeated requestId of the same enterprise returns the original
// outcome and has no second effect).
func execute[R any](st State, tx Tx, c Caller, op, requestID string, req any,
	body func(x *opCtx) (R, Effects, error)) (R, Effects, error) {
	return executeReading(st, tx, c, op, requestID, req, nil, body)
}

// executeReading is execute for an operation that knows up front keys it reads on
// every path that succeeds: they are fetched in one batch with the caller's member
// record (R34), which every operation reads first.
func executeReading[R any](st State, tx Tx, c Caller, op, requestID string, req any, reads []string,
	body func(x *opCtx) (R, Effects, error)) (R, Effects, error) {
	var zero R
	if err := validateTx(tx); err != nil {
		return zero, Effects{}, err
	}
	x := &opCtx{st: st, buf: &buffer{st: st, pending: map[string][]byte{}}, tx: tx, caller: c}
	if key, err := MemberKey(c.MSPID); err == nil {
		reads = append([]string{key}, reads...)
	}
	if err := x.buf.prefetch(reads...); err != nil {
		return zero, Effects{}, err
	}
	if err := requireWriter(x, c); err != nil {
		return zero, Effects{}, err
	}
	var reqKey string
	var reqHash []byte
	if requestID != "" {
		if err := validateText("requestId", requestID, true, 64); err != nil {
			return zero, Effects{}, err
		}
		if ValidateCreditCode(c.Entity) != nil {
			return zero, Effects{}, newError(CodeForbidden, "a requestId needs a caller with a valid scf.entity")
		}
		var err error
		if reqKey, err = mustKey(objRequest, c.Entity, requestID); err != nil {
			return zero, Effects{}, err
		}
		reqHash = hashJSON(req)
		var rec requestRecord
		found, err := getJSON(st, reqKey, &rec)
		if err != nil {
			return zero, Effects{}, err
		}
		if found {
			if rec.Op != op || !bytes.Equal(rec.RequestHash, reqHash) {
				return zero, Effects{}, newError(CodeAlreadyExists, "requestId was used for a different request",
					"requestId", requestID, "op", rec.Op)
			}
			var r R
			if err := json.Unmarshal(rec.Result, &r); err != nil {
				return zero, Effects{}, internal("decode stored outcome", err)
			}
			ev := newEvent(EventReplayed, tx, EventPayload{})
			return r, Effects{Event: ev}, nil
		}
	}
	r, eff, err := body(x)
	if err != nil {
		return zero, Effects{}, AsError(err)
	}
	if reqKey != "" {
		res, err := json.Marshal(r)
		if err != nil {
			return zero, Effects{}, internal("encode outcome", err)
		}
		if err := x.putJSON(reqKey, requestRecord{Op: op, RequestHash: reqHash, TxID: tx.ID, Result: res, Event: eff.Event}); err != nil {
			return zero, Effects{}, err
		}
	}
	if err := x.buf.flush(); err != nil {
		return zero, Effects{}, err
	}
	eff.PrivateWrites = x.private
	return r, eff, nil
}

func validateTx(tx Tx) error {
	if err := validateText("txId", tx.ID, true, 256); err != nil {
		return err
	}
	if tx.Time.IsZero() {
		return newError(CodeInvalidArgument, "transaction time is missing")
	}
	return nil
}
