package ledger

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"google.golang.org/protobuf/encoding/protowire"
)

// A history entry is only a key, as in Fabric's history database: namespace,
// key, and the inverted block and transaction numbers of a valid write. The
// write itself (value or delete, transaction ID, timestamp) is read back from
// the stored block, so that a value is written once, in its block, rather
// than a second time in the history.

// historyPosition returns the block and transaction numbers of a history key.
func historyPosition(key []byte) (block, tx uint64, err error) {
	if len(key) < 16 {
		return 0, 0, fmt.Errorf("history key %x: %w", key, errCorrupt)
	}
	tail := key[len(key)-16:]
	return ^binary.BigEndian.Uint64(tail[:8]), ^binary.BigEndian.Uint64(tail[8:]), nil
}

// historyModification reads from the stored block the write of ns/key by the
// transaction at (block, tx).
func (s *Store) historyModification(ns, key string, block, tx uint64) (*queryresult.KeyModification, error) {
	raw, err := s.blockBytes(block)
	if err != nil {
		return nil, err
	}
	envelope, err := blockEnvelope(raw, tx)
	if err != nil {
		return nil, fmt.Errorf("block %d: %w", block, err)
	}
	parsed, err := parseEnvelopeBytes(envelope)
	if err != nil {
		return nil, fmt.Errorf("block %d tx %d: %w", block, tx, err)
	}
	for _, set := range parsed.RWSet {
		if set.Namespace != ns {
			continue
		}
		for _, w := range set.KV.GetWrites() {
			if w.GetKey() == key {
				m := &queryresult.KeyModification{TxId: parsed.ID, Timestamp: parsed.Timestamp, IsDelete: w.GetIsDelete()}
				if !m.IsDelete {
					m.Value = w.GetValue()
				}
				return m, nil
			}
		}
	}
	return nil, fmt.Errorf("block %d tx %d has no write of %s/%q: %w", block, tx, ns, key, errCorrupt)
}

// errNoEnvelope means a block has fewer envelopes than asked for.
var errNoEnvelope = errors.New("no such envelope")

// blockEnvelope returns the index-th envelope of a marshalled common.Block
// (field 2, BlockData, whose field 1 repeats the envelopes) without decoding
// the rest of the block.
func blockEnvelope(block []byte, index uint64) ([]byte, error) {
	data, err := protoField(block, 2, 0)
	if err != nil {
		return nil, err
	}
	return protoField(data, 1, index)
}

// protoField returns the n-th occurrence of length-delimited field number in
// a marshalled message.
func protoField(msg []byte, number protowire.Number, n uint64) ([]byte, error) {
	for len(msg) > 0 {
		num, typ, length := protowire.ConsumeTag(msg)
		if length < 0 {
			return nil, fmt.Errorf("block: %w", protowire.ParseError(length))
		}
		msg = msg[length:]
		if num == number && typ == protowire.BytesType {
			value, length := protowire.ConsumeBytes(msg)
			if length < 0 {
				return nil, fmt.Errorf("block: %w", protowire.ParseError(length))
			}
			if n == 0 {
				return value, nil
			}
			n--
			msg = msg[length:]
			continue
		}
		length = protowire.ConsumeFieldValue(num, typ, msg)
		if length < 0 {
			return nil, fmt.Errorf("block: %w", protowire.ParseError(length))
		}
		msg = msg[length:]
	}
	return nil, errNoEnvelope
}
