//go:build !nodynamic

package compose

import (
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// PNG decoding spends most of its time inflating. libdeflate (the Debian
// package libdeflate0, present wherever libtiff or libvips is) inflates a
// whole buffer three to four times faster than Go's compress/flate, so it
// is used when the system has it, loaded through purego the way the WebP
// encoder loads libwebp: no cgo, and a pure-Go fallback (klauspost's
// zlib) when the library is absent, the binary is static, or it is built
// with -tags nodynamic (the same tag turns off the system libwebp).
//
// The loaded library is process state by nature (dlopen is per process),
// so it is kept once per process; it holds no configuration.
var libdeflate struct {
	once       sync.Once
	ok         bool
	alloc      func() uintptr
	free       func(uintptr)
	decompress func(d uintptr, in unsafe.Pointer, inLen uintptr, out unsafe.Pointer, outLen uintptr, actual *uintptr) int32
	// idle keeps decompressors for reuse; bounded and never dropped by
	// the collector (a sync.Pool would drop them and leak their C memory).
	idle chan uintptr
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
		libdeflate.idle = make(chan uintptr, 8)
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

// inflateSystem inflates with libdeflate; done is false when the library
// is not there (the caller then uses Go).
func inflateSystem(in, out []byte) (done bool, err error) {
	if !loadLibdeflate() || len(in) == 0 || len(out) == 0 {
		return false, nil
	}
	var d uintptr
	select {
	case d = <-libdeflate.idle:
	default:
		if d = libdeflate.alloc(); d == 0 {
			return true, errors.New("libdeflate: out of memory")
		}
	}
	defer func() {
		select {
		case libdeflate.idle <- d:
		default:
			libdeflate.free(d)
		}
	}()
	var n uintptr
	rc := libdeflate.decompress(d, unsafe.Pointer(&in[0]), uintptr(len(in)), unsafe.Pointer(&out[0]), uintptr(len(out)), &n)
	switch {
	case rc == 3: // LIBDEFLATE_INSUFFICIENT_SPACE
		return true, errInflateSize
	case rc != 0:
		return true, fmt.Errorf("inflate: corrupt image data (libdeflate %d)", rc)
	case int(n) != len(out):
		return true, errInflateSize
	}
	return true, nil
}

// dynamicBinary reports whether this executable is dynamically linked
// (has an ELF interpreter): dlopen works only then.
func dynamicBinary() bool {
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	f, err := elf.Open(exe)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}
