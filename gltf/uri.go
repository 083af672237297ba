package gltf

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// source is where a document's binary data comes from: the GLB BIN chunk,
// data URIs, and (for zip archives) the other files of the archive.
type source struct {
	glb    bool
	bin    []byte
	hasBin bool
	zip    *zipFiles // nil outside a zip
	base   string    // directory of the .gltf inside the zip ("" = root)
}

// resolve fills Buffer.Data and Image.Data. Problems are issues in rep: a
// URI that is not allowed is an error at its JSON pointer.
func (s *source) resolve(doc *Document, rep *Report) {
	for i := range doc.Buffers {
		b := &doc.Buffers[i]
		p := ptr("buffers", i)
		if b.URI == "" {
			if s.glb && i == 0 && s.hasBin {
				b.Data = s.bin
				if extra := len(s.bin) - b.ByteLength; extra > 3 {
					rep.addf(SeverityWarning, "BUFFER_GLB_CHUNK_TOO_BIG", p, "the BIN chunk has %d byte(s) more than the buffer's byteLength", extra)
				}
				continue
			}
			if s.glb && i == 0 {
				rep.addf(SeverityError, "BUFFER_MISSING_GLB_DATA", p, "this buffer has no uri and the GLB has no BIN chunk to hold its data")
			}
			// Any other buffer without uri has no data here: like the
			// Khronos validator, the JSON is still validated and the data
			// checks are skipped. Such a model is valid glTF but cannot be
			// drawn: Undrawable tells the callers that need its data.
			continue
		}
		data, mime, err := s.load(b.URI)
		if err != nil {
			rep.addf(SeverityError, err.code, p+"/uri", "buffer %d: %s", i, err.msg)
			continue
		}
		if hasDataScheme(b.URI) {
			if mime != "application/octet-stream" && mime != "application/gltf-buffer" {
				rep.addf(SeverityError, "BUFFER_DATA_URI_MIME_TYPE_INVALID", p+"/uri", "a buffer data URI must have the media type application/octet-stream or application/gltf-buffer, not %q", mime)
			}
			if s.glb {
				rep.addf(SeverityWarning, "DATA_URI_GLB", p+"/uri", "a data URI inside a GLB wastes space: store the data in the BIN chunk")
			}
		}
		b.Data = data
	}
	for i := range doc.Images {
		im := &doc.Images[i]
		if im.URI == "" {
			continue
		}
		p := ptr("images", i, "uri")
		data, mime, err := s.load(im.URI)
		if err != nil {
			rep.addf(SeverityError, err.code, p, "image %d: %s", i, err.msg)
			continue
		}
		if hasDataScheme(im.URI) && mime != "" && im.MimeType == "" {
			// Keep the data URI's media type available to writers.
			im.MimeType = mime
		}
		im.Data = data
	}
}

// uriError is a refused or broken URI.
type uriError struct{ code, msg string }

// load returns the bytes a URI points to: a data URI, or a file of the
// zip archive. Everything else is refused: Luneo never fetches URLs or opens
// paths a user file names.
func (s *source) load(uri string) ([]byte, string, *uriError) {
	if hasDataScheme(uri) {
		return decodeDataURI(uri)
	}
	if scheme, _, ok := strings.Cut(uri, ":"); ok && !strings.ContainsAny(scheme, "/?#") {
		if len(scheme) == 1 { // a Windows drive letter
			return nil, "", &uriError{"URI_NOT_ALLOWED", fmt.Sprintf("%q is an absolute Windows path; only paths relative to the .gltf file, inside the archive, are allowed", short(uri))}
		}
		return nil, "", &uriError{"URI_NOT_ALLOWED", fmt.Sprintf("%q is a %s: URI; Luneo never downloads files a model refers to: embed the data (export as GLB)", short(uri), scheme)}
	}
	raw := uri
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i] // a query or fragment does not name another file
	}
	rel, err := url.PathUnescape(raw)
	if err != nil {
		return nil, "", &uriError{"INVALID_URI", fmt.Sprintf("%q is not a valid URI: %v", short(uri), err)}
	}
	switch {
	case strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, `\`):
		return nil, "", &uriError{"URI_NOT_ALLOWED", fmt.Sprintf("%q is an absolute path; only paths relative to the .gltf file, inside the archive, are allowed", short(uri))}
	case strings.ContainsRune(rel, '\\') || strings.ContainsRune(rel, 0):
		return nil, "", &uriError{"URI_NOT_ALLOWED", fmt.Sprintf("%q contains a backslash or NUL byte; use forward slashes", short(uri))}
	case hasDotDot(rel):
		return nil, "", &uriError{"URI_NOT_ALLOWED", fmt.Sprintf("%q contains \"..\": paths may not leave the folder of the .gltf file", short(uri))}
	}
	if s.zip == nil {
		return nil, "", &uriError{"EXTERNAL_FILE_NOT_ALLOWED", fmt.Sprintf("refers to the external file %q, which was not uploaded with it: upload a GLB, a .gltf with embedded data, or a zip holding the .gltf with all its files", short(uri))}
	}
	full := path.Join(s.base, rel)
	data, err2 := s.zip.read(full)
	if err2 != nil {
		return nil, "", &uriError{"ZIP_FILE_UNREADABLE", err2.Error()}
	}
	return data, "", nil
}

// hasDotDot reports whether a slash path has a ".." segment.
func hasDotDot(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}

// decodeDataURI decodes a data URI (see datauri.go for the rules).
func decodeDataURI(uri string) ([]byte, string, *uriError) {
	d, err := parseDataURI(uri)
	if err != nil {
		return nil, "", &uriError{"INVALID_URI", fmt.Sprintf("%q is not a valid data URI: %v", short(uri), err)}
	}
	data, err := d.bytes()
	if err != nil {
		return nil, "", &uriError{"INVALID_URI", fmt.Sprintf("the data URI's base64 data is corrupt: %v", err)}
	}
	return data, d.mediaType(), nil
}

// short trims a URI for messages (data URIs can be megabytes long).
func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
