// Package blockfile is the append-only block file of a dev-network ledger, as
// Fabric keeps its blocks in block files rather than in a key-value store:
// each block is written once, synced, and read back by number, without the
// copying, logging and compaction a database would give its large values.
//
// A file is a sequence of records, each a 4-byte little-endian length, the
// 4-byte CRC-32C of the data and the data (a block's protobuf bytes). Open
// scans the record headers to index them, checks each record's length, and
// cuts a torn last record (a crash in the middle of an append) off the end.
//
// Files are reached through Pebble's vfs, as the ledger's database is, so a
// test can cut the power to both at once.
package blockfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	iofs "io/fs"
	"math"
	"sync"

	"github.com/cockroachdb/pebble/vfs"
)

// headerSize is the length and checksum in front of every record.
const headerSize = 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt means a record other than the last one is damaged.
var ErrCorrupt = errors.New("block file corrupt")

// ErrNotFound means no record has the number asked for.
var ErrNotFound = errors.New("no such block in the block file")

// File is an open block file. Append is for one writer at a time; Read and
// Len are safe alongside it.
type File struct {
	fs   vfs.FS
	path string
	f    vfs.File

	mu      sync.RWMutex // guards offsets and size
	offsets []int64      // start of each record's header, by block number
	size    int64        // end of the last whole record
}

// Open opens (or creates) the block file at path on fs (vfs.Default for the
// operating system's) and indexes its records. A torn last record is cut
// away; a damaged earlier one is ErrCorrupt when read.
func Open(fs vfs.FS, path string) (*File, error) {
	if _, err := fs.Stat(path); errors.Is(err, iofs.ErrNotExist) {
		if err := create(fs, path, nil); err != nil {
			return nil, fmt.Errorf("create block file %s: %w", path, err)
		}
	}
	f, err := fs.OpenReadWrite(path)
	if err != nil {
		return nil, fmt.Errorf("open block file: %w", err)
	}
	bf := &File{fs: fs, path: path, f: f}
	if err := bf.index(); err != nil {
		_ = bf.f.Close()
		return nil, fmt.Errorf("open block file %s: %w", path, err)
	}
	return bf, nil
}

// create writes a file at path holding data, durably: written and synced
// under a temporary name, renamed into place, and the directory synced.
func create(fs vfs.FS, path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := fs.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := fs.Rename(tmp, path); err != nil {
		return err
	}
	dir, err := fs.OpenDir(fs.PathDir(path))
	if err != nil {
		return err
	}
	if err := dir.Sync(); err != nil {
		_ = dir.Close()
		return err
	}
	return dir.Close()
}

// truncate cuts the file to its first size bytes. Pebble's vfs has no
// truncation, so the kept prefix is rewritten into a new file that replaces
// the old one atomically; it happens only when a ledger recovers.
func (bf *File) truncate(size int64) error {
	prefix := make([]byte, size)
	if _, err := bf.f.ReadAt(prefix, 0); err != nil && !(errors.Is(err, io.EOF) && size == 0) {
		return fmt.Errorf("read the block file's first %d bytes: %w", size, err)
	}
	if err := bf.f.Close(); err != nil {
		return err
	}
	if err := create(bf.fs, bf.path, prefix); err != nil {
		return err
	}
	f, err := bf.fs.OpenReadWrite(bf.path)
	if err != nil {
		return err
	}
	bf.f = f
	return nil
}

// index reads every record header and cuts a torn tail.
func (bf *File) index() error {
	info, err := bf.f.Stat()
	if err != nil {
		return err
	}
	end := info.Size()
	var header [headerSize]byte
	var off int64
	for off < end {
		if end-off < headerSize {
			break // torn header
		}
		if _, err := bf.f.ReadAt(header[:], off); err != nil {
			return fmt.Errorf("read record header at %d: %w", off, err)
		}
		length := int64(binary.LittleEndian.Uint32(header[:4]))
		if off+headerSize+length > end {
			break // torn data
		}
		if off+headerSize+length == end {
			// The last record: check its data, since a crash can leave it torn.
			data := make([]byte, length)
			if _, err := bf.f.ReadAt(data, off+headerSize); err != nil {
				return fmt.Errorf("read record at %d: %w", off, err)
			}
			if crc32.Checksum(data, castagnoli) != binary.LittleEndian.Uint32(header[4:]) {
				break
			}
		}
		bf.offsets = append(bf.offsets, off)
		off += headerSize + length
	}
	if off < end {
		if err := bf.truncate(off); err != nil {
			return fmt.Errorf("cut torn record at %d: %w", off, err)
		}
	}
	bf.size = off
	return nil
}

// Len is the number of records (blocks) in the file.
func (bf *File) Len() uint64 {
	bf.mu.RLock()
	defer bf.mu.RUnlock()
	return uint64(len(bf.offsets))
}

// Append writes data as the next record and syncs the file; the record's
// number is the Len before the call.
func (bf *File) Append(data []byte) error {
	if len(data) > math.MaxUint32 {
		return fmt.Errorf("append block: %d bytes is too large", len(data))
	}
	bf.mu.RLock()
	off := bf.size
	bf.mu.RUnlock()
	var header [headerSize]byte
	binary.LittleEndian.PutUint32(header[:4], uint32(len(data)))
	binary.LittleEndian.PutUint32(header[4:], crc32.Checksum(data, castagnoli))
	if _, err := bf.f.WriteAt(header[:], off); err != nil {
		return fmt.Errorf("append block: %w", err)
	}
	if _, err := bf.f.WriteAt(data, off+headerSize); err != nil {
		return fmt.Errorf("append block: %w", err)
	}
	if err := bf.f.Sync(); err != nil {
		return fmt.Errorf("sync block file: %w", err)
	}
	bf.mu.Lock()
	bf.offsets = append(bf.offsets, off)
	bf.size = off + headerSize + int64(len(data))
	bf.mu.Unlock()
	return nil
}

// Read returns the data of record num, checked against its checksum.
func (bf *File) Read(num uint64) ([]byte, error) {
	bf.mu.RLock()
	if num >= uint64(len(bf.offsets)) {
		bf.mu.RUnlock()
		return nil, fmt.Errorf("block %d: %w", num, ErrNotFound)
	}
	off := bf.offsets[num]
	bf.mu.RUnlock()
	var header [headerSize]byte
	if _, err := bf.f.ReadAt(header[:], off); err != nil {
		return nil, fmt.Errorf("read block %d: %w", num, err)
	}
	data := make([]byte, binary.LittleEndian.Uint32(header[:4]))
	if _, err := bf.f.ReadAt(data, off+headerSize); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read block %d: %w", num, ErrCorrupt)
		}
		return nil, fmt.Errorf("read block %d: %w", num, err)
	}
	if crc32.Checksum(data, castagnoli) != binary.LittleEndian.Uint32(header[4:]) {
		return nil, fmt.Errorf("block %d: checksum mismatch: %w", num, ErrCorrupt)
	}
	return data, nil
}

// TruncateTo drops every record from number n on (blocks appended whose
// commit did not complete) and syncs the file.
func (bf *File) TruncateTo(n uint64) error {
	bf.mu.Lock()
	defer bf.mu.Unlock()
	if n >= uint64(len(bf.offsets)) {
		return nil
	}
	off := bf.offsets[n]
	if err := bf.truncate(off); err != nil {
		return fmt.Errorf("truncate block file to %d blocks: %w", n, err)
	}
	bf.offsets = bf.offsets[:n]
	bf.size = off
	return nil
}

// Close closes the file.
func (bf *File) Close() error {
	if err := bf.f.Close(); err != nil {
		return fmt.Errorf("close block file: %w", err)
	}
	return nil
}
