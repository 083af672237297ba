package blob

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// An FS object file is a header followed by the object's bytes:
//
//	magic     8 bytes  "LUNEOBL1" (the last byte is the format version)
//	size      8 bytes  big-endian length of the data
//	metaLen   4 bytes  big-endian length of the JSON metadata
//	meta      metaLen bytes of JSON (fsMeta)
//	data      size bytes
//
// Keeping the metadata in the same file means one rename publishes data and
// content type together; a sidecar file could be seen out of step with it.
// The size lives in a fixed binary slot rather than in the JSON because it is
// only known once the stream has ended: Put writes a zero there, streams the
// data, then patches the slot before the rename.

// fsMagic opens every object file.
const fsMagic = "LUNEOBL1"

// fsFixedLen is the length of the magic, size and metaLen fields.
const fsFixedLen = len(fsMagic) + 8 + 4

// fsMaxMetaLen bounds the metadata a reader will trust; the content type is
// limited to 255 bytes, so anything near this is a damaged file.
const fsMaxMetaLen = 4096

// fsMeta is the JSON metadata stored in an object file's header.
type fsMeta struct {
	ContentType string `json:"content_type"`
}

// encodeHeader returns the header for an object of unknown size (zero in the
// size slot) and the offset at which its data starts.
func encodeHeader(m fsMeta) ([]byte, error) {
	meta, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode object metadata: %w", err)
	}
	h := make([]byte, fsFixedLen, fsFixedLen+len(meta))
	copy(h, fsMagic)
	binary.BigEndian.PutUint32(h[len(fsMagic)+8:], uint32(len(meta)))
	return append(h, meta...), nil
}

// patchSize writes the data size into the header of the open file f.
func patchSize(f *os.File, size int64) error {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(size))
	if _, err := f.WriteAt(b[:], int64(len(fsMagic))); err != nil {
		return fmt.Errorf("write object size: %w", err)
	}
	return nil
}

// fsObject is what readHeader learns about an object file.
type fsObject struct {
	meta    fsMeta
	dataOff int64
	size    int64
}

// readHeader parses and checks the header of f, whose total length is
// fileSize. A file that does not hold exactly header plus size bytes is
// reported as damaged rather than served short.
func readHeader(f io.ReaderAt, fileSize int64) (fsObject, error) {
	var fixed [fsFixedLen]byte
	if _, err := f.ReadAt(fixed[:], 0); err != nil {
		return fsObject{}, fmt.Errorf("read object header: %w", err)
	}
	if string(fixed[:len(fsMagic)]) != fsMagic {
		return fsObject{}, fmt.Errorf("not a blob object file (bad magic)")
	}
	size := binary.BigEndian.Uint64(fixed[len(fsMagic):])
	metaLen := binary.BigEndian.Uint32(fixed[len(fsMagic)+8:])
	if metaLen > fsMaxMetaLen {
		return fsObject{}, fmt.Errorf("damaged object file: %d bytes of metadata", metaLen)
	}
	meta := make([]byte, metaLen)
	if _, err := f.ReadAt(meta, int64(fsFixedLen)); err != nil {
		return fsObject{}, fmt.Errorf("read object metadata: %w", err)
	}
	var m fsMeta
	if err := json.Unmarshal(meta, &m); err != nil {
		return fsObject{}, fmt.Errorf("decode object metadata: %w", err)
	}
	dataOff := int64(fsFixedLen) + int64(metaLen)
	if size > uint64(fileSize) || dataOff+int64(size) != fileSize {
		return fsObject{}, fmt.Errorf("damaged object file: header says %d data bytes, file has %d", size, fileSize-dataOff)
	}
	return fsObject{meta: m, dataOff: dataOff, size: int64(size)}, nil
}
