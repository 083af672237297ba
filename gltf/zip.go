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

// zipFiles gives bounded access to the files of an archive: every byte
// decompressed counts against one budget, so a zip bomb stops at the limit.
type zipFiles struct {
	byName map[string]*zip.File
	budget int64 // bytes that may still be decompressed
}

// read returns the content of the file at the cleaned slash path name.
func (z *zipFiles) read(name string) ([]byte, error) {
	f, ok := z.byName[name]
	if !ok {
		return nil, fmt.Errorf("%q is not in the zip archive", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %q in the zip archive: %w", name, err)
	}
	defer rc.Close()
	// Pre-size from the declared size only as far as the budget and the
	// best deflate ratio (about 1032:1) allow: the declaration may lie.
	hint := min(int64(f.UncompressedSize64), z.budget, int64(f.CompressedSize64)*1040+512)
	buf := bytes.NewBuffer(make([]byte, 0, max(hint, 0)))
	n, err := io.Copy(buf, io.LimitReader(rc, z.budget+1))
	if err != nil {
		return nil, fmt.Errorf("read %q in the zip archive: %w", name, err)
	}
	if n > z.budget {
		return nil, fmt.Errorf("the zip archive expands to more than the allowed size at %q: %w", name, ErrTooLarge)
	}
	z.budget -= n
	return buf.Bytes(), nil
}

// ReadZip reads and validates a zip archive holding one .gltf file and the
// files it refers to (buffers, textures), or a single .glb file. URIs are
// resolved inside the archive only; absolute paths, ".." and URLs are
// refused, as are archives with unsafe entry names.
func ReadZip(r io.ReaderAt, size int64, opts ReadOptions) (*Document, error) {
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
	z := &zipFiles{byName: make(map[string]*zip.File, len(zr.File)), budget: opts.MaxUncompressedSize}
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
