package gltf

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// zipFiles gives bounded access to the files of an archive: one file may
// expand to at most entryMax bytes (the model size limit: no single file of
// a model can be larger than a whole model) and every byte decompressed
// counts against one budget, so a zip bomb stops at the limit.
type zipFiles struct {
	byName   map[string]*zip.File
	entryMax int64 // bytes one file may expand to
	budget   int64 // bytes that may still be decompressed
	inflated int64 // bytes decompressed so far, for tests
}

// read returns the content of the file at the cleaned slash path name. The
// declared size is checked first, then the data is streamed through a limit,
// so a header that lies is caught while inflating, never believed: no buffer
// is sized from a header.
func (z *zipFiles) read(name string) ([]byte, error) {
	f, ok := z.byName[name]
	if !ok {
		return nil, fmt.Errorf("%q is not in the zip archive", name)
	}
	limit := min(z.entryMax, z.budget)
	if f.UncompressedSize64 > uint64(limit) {
		return nil, z.tooLarge(name, f.UncompressedSize64)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %q in the zip archive: %w", name, err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(rc, limit+1))
	z.inflated += n
	switch {
	case n > limit:
		return nil, z.tooLarge(name, uint64(n))
	case errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrChecksum):
		return nil, fmt.Errorf("%q in the zip archive does not match its header (size or checksum): the archive is damaged or forged", name)
	case err != nil:
		return nil, fmt.Errorf("read %q in the zip archive: %w", name, err)
	}
	z.budget -= n
	return buf.Bytes(), nil
}

// tooLarge explains which limit a file of the archive goes over.
func (z *zipFiles) tooLarge(name string, size uint64) error {
	if z.budget < z.entryMax {
		return fmt.Errorf("the zip archive expands to more than the allowed size (%d bytes) at %q: %w", z.budget+z.inflated, name, ErrTooLarge)
	}
	return fmt.Errorf("%q in the zip archive expands to %d bytes or more, over the %d allowed for one file: %w", name, size, z.entryMax, ErrTooLarge)
}

// ReadZip reads and validates a zip archive holding one .gltf file and the
// files it refers to (buffers, textures), or a single .glb file. URIs are
// resolved inside the archive only; absolute paths, ".." and URLs are
// refused, as are archives with unsafe entry names. No file of the archive
// may expand past MaxSize, nor all of them together past
// MaxUncompressedSize.
func ReadZip(r io.ReaderAt, size int64, opts ReadOptions) (*Document, error) {
	return readZip(r, size, opts, nil)
}

// readZip is ReadZip; when seen is not nil it is given the archive's files
// before they are read, so tests can count the bytes inflated.
func readZip(r io.ReaderAt, size int64, opts ReadOptions, seen func(*zipFiles)) (*Document, error) {
	opts = opts.withDefaults()
	if size > opts.MaxSize {
		return nil, fmt.Errorf("the zip archive is %d bytes, more than the %d allowed: %w", size, opts.MaxSize, ErrTooLarge)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("read zip archive: %w", err)
	}
	if len(zr.File) > opts.MaxZipEntries {
		return nil, fmt.Errorf("the zip archive holds %d files, more than the %d allowed: %w", len(zr.File), opts.MaxZipEntries, ErrTooLarge)
	}
	z := &zipFiles{byName: make(map[string]*zip.File, len(zr.File)), entryMax: opts.MaxSize, budget: opts.MaxUncompressedSize}
	if seen != nil {
		seen(z)
	}
	var gltfs, glbs []string
	for _, f := range zr.File {
		name := f.Name
		if strings.HasSuffix(name, "/") {
			continue // directory entry
		}
		if strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00") || hasDotDot(name) || strings.Contains(name, ":") {
			return nil, fmt.Errorf("the zip archive contains the unsafe path %q: refusing it", short(name))
		}
		if strings.HasPrefix(name, "__MACOSX/") {
			continue // Finder's resource forks, never glTF data
		}
		clean := path.Clean(name)
		z.byName[clean] = f
		switch {
		case hasSuffixFold(clean, ".gltf"):
			gltfs = append(gltfs, clean)
		case hasSuffixFold(clean, ".glb"):
			glbs = append(glbs, clean)
		}
	}
	var main string
	switch {
	case len(gltfs) == 1:
		main = gltfs[0]
	case len(gltfs) > 1:
		return nil, fmt.Errorf("the zip archive holds %d .gltf files (%s); it must hold exactly one", len(gltfs), strings.Join(gltfs, ", "))
	case len(glbs) == 1:
		main = glbs[0]
	default:
		return nil, errors.New("the zip archive holds no .gltf or .glb file")
	}
	if int64(z.byName[main].UncompressedSize64) > opts.MaxJSONSize && strings.HasSuffix(strings.ToLower(main), ".gltf") {
		return nil, fmt.Errorf("%s is larger than the %d bytes allowed for glTF JSON: %w", main, opts.MaxJSONSize, ErrTooLarge)
	}
	data, err := z.read(main)
	if err != nil {
		return nil, err
	}
	if hasSuffixFold(main, ".glb") {
		return ReadGLB(bytes.NewReader(data), int64(len(data)), opts)
	}
	if int64(len(data)) > opts.MaxJSONSize {
		return nil, fmt.Errorf("%s is larger than the %d bytes allowed for glTF JSON: %w", main, opts.MaxJSONSize, ErrTooLarge)
	}
	var rep Report
	doc := decodeJSON(data, &rep)
	if doc == nil {
		return nil, &ValidationError{Report: rep}
	}
	dir := path.Dir(main)
	if dir == "." {
		dir = ""
	}
	return finish(doc, &source{zip: z, base: dir}, &rep, opts)
}
