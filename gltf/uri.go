package gltf

import (
	"encoding/base64"
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
			rep.addf(SeverityError, "BUFFER_MISSING_GLB_DATA", p, "this buffer has no uri and no GLB BIN chunk holds its data")
			continue
		}
		data, mime, err := s.load(b.URI)
		if err != nil {
			rep.addf(SeverityError, err.code, p+"/uri", "buffer %d: %s", i, err.msg)
			continue
		}
		if strings.HasPrefix(b.URI, "data:") {
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
		if strings.HasPrefix(im.URI, "data:") && mime != "" && im.MimeType == "" {
			// Keep the data URI's media type available to writers.
			im.MimeType = mime
		}
		im.Data = data
	}
}

// uriError is a refused or broken URI.
type uriError struct{ code, msg string }

// load returns the bytes a URI points to: a base64 data URI, or a file of the
// zip archive. Everything else is refused: Luneo never fetches URLs or opens
// paths a user file names.
func (s *source) load(uri string) ([]byte, string, *uriError) {
	if strings.HasPrefix(uri, "data:") {
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

// decodeDataURI decodes "data:[mediatype][;params];base64,DATA".
func decodeDataURI(uri string) ([]byte, string, *uriError) {
	meta, payload, ok := strings.Cut(uri[len("data:"):], ",")
	if !ok {
		return nil, "", &uriError{"INVALID_URI", "the data URI has no comma before its data"}
	}
	if !strings.HasSuffix(meta, ";base64") {
		return nil, "", &uriError{"INVALID_URI", "the data URI is not base64-encoded, as glTF requires"}
	}
	mime := strings.TrimSuffix(meta, ";base64")
	if i := strings.IndexByte(mime, ';'); i >= 0 {
		mime = mime[:i]
	}
	data, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		// Some exporters drop the padding; accept that, nothing else.
		var err2 error
		data, err2 = base64.RawStdEncoding.DecodeString(strings.TrimRight(payload, "="))
		if err2 != nil {
			return nil, "", &uriError{"INVALID_URI", fmt.Sprintf("the data URI's base64 data is corrupt: %v", err)}
		}
	}
	return data, mime, nil
}

// short trims a URI for messages (data URIs can be megabytes long).
func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
