package compose

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
	kzlib "github.com/klauspost/compress/zlib"
)

// PNG decoding spends most of its time inflating. libdeflate (the Debian
// package libdeflate0, present wherever libtiff or libvips is) inflates a
// whole buffer three to four times faster than Go's compress/flate, so it
// is used when the system has it, loaded through purego the way the WebP
// encoder loads libwebp: no cgo, and a pure-Go fallback (klauspost's
// zlib) when the library is absent or the binary is static.
//
// The loaded library is process state by nature (dlopen is per process),
// so it is kept once per process; it holds no configuration.
var libdeflate struct {
	once       sync.Once
	ok         bool
	alloc      func() uintptr
	free       func(uintptr)
	decompress func(d uintptr, in unsafe.Pointer, inLen uintptr, out unsafe.Pointer, outLen uintptr, actual *uintptr) int32
	pool       sync.Pool
}

// loadLibdeflate tries the system library once.
func loadLibdeflate() bool {
	libdeflate.once.Do(func() {
		if !dynamicBinary() {
			return
		}
		h, err := purego.Dlopen("libdeflate.so.0", purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			return
		}
		purego.RegisterLibFunc(&libdeflate.alloc, h, "libdeflate_alloc_decompressor")
		purego.RegisterLibFunc(&libdeflate.free, h, "libdeflate_free_decompressor")
		purego.RegisterLibFunc(&libdeflate.decompress, h, "libdeflate_zlib_decompress")
		libdeflate.ok = true
	})
	return libdeflate.ok
}

// InflateBackend says which inflater PNG decoding uses: "libdeflate" or
// "go" (for benchmark reports).
func InflateBackend() string {
	if loadLibdeflate() {
		return "libdeflate"
	}
	return "go"
}

// errInflateSize is a zlib stream whose output is not the expected size.
var errInflateSize = errors.New("image data is not the size the header announces")

// zlibInflate inflates a zlib stream into out, which must be filled
// exactly: more data is an error (no output grows past the header's
// announced size, so a decompression bomb cannot allocate).
func zlibInflate(in, out []byte, useSystem bool) error {
	if useSystem && loadLibdeflate() && len(in) > 0 && len(out) > 0 {
		d, _ := libdeflate.pool.Get().(uintptr)
		if d == 0 {
			if d = libdeflate.alloc(); d == 0 {
				return errors.New("libdeflate: out of memory")
			}
		}
		defer libdeflate.pool.Put(d)
		var n uintptr
		rc := libdeflate.decompress(d, unsafe.Pointer(&in[0]), uintptr(len(in)), unsafe.Pointer(&out[0]), uintptr(len(out)), &n)
		switch {
		case rc == 3: // LIBDEFLATE_INSUFFICIENT_SPACE
			return errInflateSize
		case rc != 0:
			return fmt.Errorf("inflate: corrupt image data (libdeflate %d)", rc)
		case int(n) != len(out):
			return errInflateSize
		}
		return nil
	}
	zr, err := kzlib.NewReader(bytes.NewReader(in))
	if err != nil {
		return fmt.Errorf("inflate: %w", err)
	}
	defer zr.Close()
	if _, err := io.ReadFull(zr, out); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return errInflateSize
		}
		return fmt.Errorf("inflate: %w", err)
	}
	var one [1]byte
	if n, _ := zr.Read(one[:]); n > 0 {
		return errInflateSize
	}
	return nil
}
