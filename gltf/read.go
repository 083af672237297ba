package gltf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ReadOptions bounds what a reader accepts. Zero fields take the defaults
// below, so ReadOptions{} is a safe choice for user uploads.
type ReadOptions struct {
	// MaxSize is the largest input accepted, in bytes (default 256 MiB).
	MaxSize int64
	// MaxJSONSize is the largest glTF JSON accepted (default 32 MiB).
	MaxJSONSize int64
	// MaxZipEntries is the most files a zip may hold (default 1000).
	MaxZipEntries int
	// MaxUncompressedSize is the most bytes a zip may expand to, all files
	// together (default 512 MiB): the defence against zip bombs.
	MaxUncompressedSize int64
	// SkipValidation reads without the semantic and data checks of
	// Validate (container and JSON structure are always checked, since the
	// model cannot be built otherwise). Meant for trusted files only.
	SkipValidation bool
	// AllowUnsupportedExtensions reads files that require extensions this
	// package cannot decode (for inspection tools); their data stays as is.
	AllowUnsupportedExtensions bool
}

// Defaults for ReadOptions.
const (
	DefaultMaxSize             = 256 << 20
	DefaultMaxJSONSize         = 32 << 20
	DefaultMaxZipEntries       = 1000
	DefaultMaxUncompressedSize = 512 << 20
)

func (o ReadOptions) withDefaults() ReadOptions {
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MaxJSONSize <= 0 {
		o.MaxJSONSize = DefaultMaxJSONSize
	}
	if o.MaxZipEntries <= 0 {
		o.MaxZipEntries = DefaultMaxZipEntries
	}
	if o.MaxUncompressedSize <= 0 {
		o.MaxUncompressedSize = DefaultMaxUncompressedSize
	}
	return o
}

// ErrTooLarge is wrapped by the errors returned for inputs over a limit of
// ReadOptions, so callers can answer "413 too large".
var ErrTooLarge = errors.New("over the size limit")

// ErrUnknownFormat is returned by Read for input that is neither GLB, glTF
// JSON nor a zip archive.
var ErrUnknownFormat = errors.New("not a glTF file: expected a .glb, a .gltf (JSON) or a .zip holding a .gltf")

// Read reads a GLB, a .gltf JSON with embedded data or a zip archive holding
// a .gltf, telling them apart by their first bytes, then validates it.
// Invalid input gives a *ValidationError, input requiring an extension that
// cannot be decoded an *UnsupportedExtensionError.
func Read(r io.ReaderAt, size int64, opts ReadOptions) (*Document, error) {
	opts = opts.withDefaults()
	if size < 0 {
		return nil, fmt.Errorf("read glTF: negative size %d", size)
	}
	if size == 0 {
		return nil, &ValidationError{Report: Report{Issues: []Issue{{Code: "EMPTY_FILE", Severity: SeverityError, Message: "the file is empty"}}}}
	}
	// 256 bytes are enough to see past leading whitespace of a JSON file.
	var head [256]byte
	n, err := r.ReadAt(head[:min(int64(len(head)), size)], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read glTF: %w", err)
	}
	switch h := head[:n]; {
	case bytes.HasPrefix(h, []byte("glTF")):
		return ReadGLB(r, size, opts)
	case bytes.HasPrefix(h, []byte("PK\x03\x04")), bytes.HasPrefix(h, []byte("PK\x05\x06")):
		return ReadZip(r, size, opts)
	case looksLikeJSON(h):
		return ReadGLTF(r, size, opts)
	}
	return nil, ErrUnknownFormat
}

// looksLikeJSON accepts a '{' after optional whitespace or a BOM (which
// ReadGLTF then rejects with a precise message).
func looksLikeJSON(h []byte) bool {
	h = bytes.TrimPrefix(h, []byte{0xEF, 0xBB, 0xBF})
	h = bytes.TrimLeft(h, " \t\r\n")
	return len(h) > 0 && h[0] == '{'
}

// ReadFile reads the file at path with default options, as GLB, glTF JSON
// or zip by its extension (.glb, .gltf, .zip), else by its content. A .gltf
// file is read alone: the files its URIs name are not opened (upload a GLB
// or a zip to include them).
func ReadFile(path string) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	read := Read
	switch {
	case hasSuffixFold(path, ".glb"):
		read = ReadGLB
	case hasSuffixFold(path, ".gltf"):
		read = ReadGLTF
	case hasSuffixFold(path, ".zip"):
		read = ReadZip
	}
	doc, err := read(f, st.Size(), ReadOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return doc, nil
}

// readAll reads the whole input after checking it against the limit, so the
// allocation is bounded by the input's real size, never by a claimed one.
func readAll(r io.ReaderAt, size, limit int64, what string) ([]byte, error) {
	if size > limit {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d allowed: %w", what, size, limit, ErrTooLarge)
	}
	b := make([]byte, size)
	n, err := r.ReadAt(b, 0)
	if int64(n) == size {
		return b, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return nil, fmt.Errorf("read %s: %w", what, err)
}

// ReadGLB reads and validates a binary glTF file.
func ReadGLB(r io.ReaderAt, size int64, opts ReadOptions) (*Document, error) {
	opts = opts.withDefaults()
	b, err := readAll(r, size, opts.MaxSize, "the GLB file")
	if err != nil {
		return nil, err
	}
	var rep Report
	chunks := parseGLB(b, &rep)
	if rep.HasErrors() || chunks.json == nil {
		return nil, &ValidationError{Report: rep}
	}
	if int64(len(chunks.json)) > opts.MaxJSONSize {
		return nil, fmt.Errorf("the JSON chunk is %d bytes, more than the %d allowed: %w", len(chunks.json), opts.MaxJSONSize, ErrTooLarge)
	}
	doc := decodeJSON(chunks.json, &rep)
	if doc == nil {
		return nil, &ValidationError{Report: rep}
	}
	src := &source{glb: true, bin: chunks.bin, hasBin: chunks.hasBin}
	return finish(doc, src, &rep, opts)
}

// ReadGLTF reads and validates a .gltf JSON file whose buffers and images
// are all embedded as data URIs. Any other URI is refused.
func ReadGLTF(r io.ReaderAt, size int64, opts ReadOptions) (*Document, error) {
	opts = opts.withDefaults()
	b, err := readAll(r, size, min(opts.MaxSize, opts.MaxJSONSize), "the glTF JSON")
	if err != nil {
		return nil, err
	}
	var rep Report
	doc := decodeJSON(b, &rep)
	if doc == nil {
		return nil, &ValidationError{Report: rep}
	}
	return finish(doc, &source{}, &rep, opts)
}

// finish resolves the binary data of a decoded document, refuses required
// extensions that cannot be decoded, and validates it.
func finish(doc *Document, src *source, rep *Report, opts ReadOptions) (*Document, error) {
	src.resolve(doc, rep)
	if rep.HasErrors() {
		return nil, &ValidationError{Report: *rep}
	}
	if !opts.AllowUnsupportedExtensions {
		if err := checkRequired(doc); err != nil {
			return nil, err
		}
	}
	if !opts.SkipValidation {
		rep.merge(validate(doc, src.glb))
		if rep.HasErrors() {
			return nil, &ValidationError{Report: *rep}
		}
	}
	doc.Report = *rep
	return doc, nil
}

// hasSuffixFold reports whether name ends with ext, ignoring case.
func hasSuffixFold(name, ext string) bool {
	return len(name) >= len(ext) && strings.EqualFold(name[len(name)-len(ext):], ext)
}
