package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"strings"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
)

// Media types of the model formats.
const (
	glbType  = "model/gltf-binary"
	gltfType = "model/gltf+json"
	zipType  = "application/zip"
)

// contentTypes maps a model format to the media type it is stored with.
var contentTypes = map[string]string{"glb": glbType, "gltf": gltfType, "zip": zipType}

// spooled is an upload held in a temporary file while it is checked: the
// glTF reader needs random access, and a file keeps a 100 MB upload out of
// memory until the reader needs it. Nothing reaches blob storage before the
// file has passed validation.
type spooled struct {
	*os.File
	size   int64
	sha256 string
}

// spool copies r into a new temporary file, hashing it on the way, and
// fails with apperr.TooLarge as soon as more than max bytes arrive.
func (s *Service) spool(r io.Reader, max int64, limitName string) (*spooled, error) {
	f, err := os.CreateTemp(s.cfg.TempDir, "luneo-upload-*")
	if err != nil {
		return nil, fmt.Errorf("spool upload: %w", err)
	}
	sp := &spooled{File: f}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, max+1))
	switch {
	case err != nil:
		sp.remove()
		return nil, fmt.Errorf("read upload: %w", err)
	case n > max:
		sp.remove()
		return nil, apperr.New(apperr.TooLarge, "the file is larger than the limit of %s (%s)", humanBytes(max), limitName)
	}
	sp.size, sp.sha256 = n, hex.EncodeToString(h.Sum(nil))
	return sp, nil
}

// remove closes and deletes the temporary file.
func (f *spooled) remove() {
	if f == nil {
		return
	}
	f.Close()
	os.Remove(f.Name())
}

// humanBytes writes a size the way people read limits: "100 MB".
func humanBytes(n int64) string {
	if n >= 1_000_000 && n%100_000 == 0 {
		return fmt.Sprintf("%g MB", float64(n)/1e6)
	}
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// sniffFormat names the format of f by its first bytes, or "".
func sniffFormat(f io.ReaderAt, size int64) string {
	head := make([]byte, min(size, 256))
	n, _ := f.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("glTF")):
		return "glb"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return "zip"
	}
	if t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return "gltf"
	}
	return ""
}

// declaredFormat is the format the client said it sent: by media type, else
// by file name extension; "" when it said nothing useful.
func declaredFormat(up Upload) string {
	mt, _, _ := mime.ParseMediaType(up.ContentType)
	switch mt {
	case glbType:
		return "glb"
	case gltfType:
		return "gltf"
	case zipType, "application/x-zip-compressed":
		return "zip"
	}
	switch strings.ToLower(path.Ext(up.Filename)) {
	case ".glb":
		return "glb"
	case ".gltf":
		return "gltf"
	case ".zip":
		return "zip"
	}
	return ""
}

// modelFormat is the format of the spooled file, taken from the content
// (what the file really is); the declared one only decides which reader
// explains why an unrecognisable file is broken (a GLB with a bad header
// gets the GLB reader's precise issue).
func modelFormat(f *spooled, up Upload) string {
	if format := sniffFormat(f, f.size); format != "" {
		return format
	}
	return declaredFormat(up)
}

// readModel reads and validates the spooled file as format (modelFormat).
func readModel(f *spooled, format string, max int64) (*gltf.Document, string, error) {
	if f.size == 0 {
		return nil, "", refused("the file is empty", gltf.Issue{Code: "EMPTY_FILE", Severity: gltf.SeverityError, Message: "the file is empty"})
	}
	// A zip may expand to no more than the model limit, all files together.
	opts := gltf.ReadOptions{MaxSize: max, MaxUncompressedSize: max}
	var doc *gltf.Document
	var err error
	switch format {
	case "glb":
		doc, err = gltf.ReadGLB(f, f.size, opts)
	case "zip":
		doc, err = gltf.ReadZip(f, f.size, opts)
	case "gltf":
		doc, err = gltf.ReadGLTF(f, f.size, opts)
	default:
		msg := gltf.ErrUnknownFormat.Error()
		return nil, "", refused(msg, gltf.Issue{Code: "UNKNOWN_FORMAT", Severity: gltf.SeverityError, Message: msg})
	}
	if err != nil {
		return nil, "", modelError(err)
	}
	if err := renderable(doc); err != nil {
		return nil, "", err
	}
	if gltf.Stats(doc).Triangles == 0 {
		msg := "the model's scene draws no triangles, so there is nothing to show or print on"
		return nil, "", refused(msg, gltf.Issue{Code: "NO_TRIANGLES", Severity: gltf.SeverityError, Pointer: "/scenes", Message: msg})
	}
	return doc, format, nil
}

// refused is the 422 answer for a model file that cannot be accepted, with
// the issues that explain why.
func refused(msg string, issues ...gltf.Issue) *apperr.Error {
	return &apperr.Error{Code: apperr.Unprocessable, Message: "the model was refused: " + msg, Details: issues}
}

// modelError explains a reader error to the client.
func modelError(err error) error {
	var verr *gltf.ValidationError
	var uerr *gltf.UnsupportedExtensionError
	switch {
	case errors.As(err, &verr):
		return &apperr.Error{Code: apperr.Unprocessable, Err: err, Details: nonNil(verr.Report.Errors()),
			Message: "the model is not valid glTF: " + strings.TrimPrefix(verr.Error(), "invalid glTF: ")}
	case errors.As(err, &uerr):
		issues := make([]gltf.Issue, len(uerr.Extensions))
		for i, ext := range uerr.Extensions {
			issues[i] = gltf.Issue{Code: "UNSUPPORTED_EXTENSION", Severity: gltf.SeverityError, Pointer: "/extensionsRequired",
				Message: "the file requires " + ext + ", which Luneo cannot decode yet"}
		}
		return refused(uerr.Error(), issues...)
	case errors.Is(err, gltf.ErrTooLarge):
		return apperr.Wrap(apperr.TooLarge, err, "the model was refused: %v", err)
	}
	// The other reader errors (a zip that is not one, a .gltf pointing
	// outside itself) are about the file too.
	e := refused(err.Error(), gltf.Issue{Code: "UNREADABLE_FILE", Severity: gltf.SeverityError, Message: err.Error()})
	e.Err = err
	return e
}
