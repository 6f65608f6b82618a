package ledger

import "github.com/cockroachdb/pebble/vfs"

// Op names a store operation that a [Fault] can make fail.
type Op int

// The store operations a Fault is asked about.
const (
	// OpReadState is a read of a state record from the database (a state cache
	// miss) or of a key's metadata.
	OpReadState Op = iota + 1
	// OpLookupTx is a read of the transaction ID index.
	OpLookupTx
	// OpWriteBlock is the synced write of a block and its transaction IDs.
	OpWriteBlock
	// OpWriteState is the write of a block's state updates.
	OpWriteState
)

// Fault decides whether a store operation fails: a non-nil error is returned
// in place of the operation's result. It lets tests see how a peer handles a
// failing disk; it must be safe for concurrent use.
type Fault func(op Op) error

// Option adjusts a ledger that [Open] opens.
type Option func(*Store)

// WithFault makes the store ask fault before each operation of [Op].
func WithFault(fault Fault) Option {
	return func(s *Store) { s.fault = fault }
}

// injected returns the error a configured Fault gives op, nil without one.
func (s *Store) injected(op Op) error {
	if s.fault == nil {
		return nil
	}
	return s.fault(op)
}

// withFS makes the store keep its files in fs (tests simulate a machine crash
// with a file system that forgets what was not synced).
func withFS(fs vfs.FS) Option {
	return func(s *Store) { s.fs = fs }
}
