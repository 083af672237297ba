package httpx

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
)

// UploadOverhead is what an upload route accepts beyond the file itself:
// multipart headers and boundaries, and the other small form fields.
const UploadOverhead = 1 << 20

// File is an uploaded file, streamed from the request body.
type File struct {
	Body        io.Reader
	Filename    string
	ContentType string
}

// UploadedFile finds the file of an upload: the part named field of a
// multipart/form-data body (streamed, never buffered whole), or the raw body
// when raw accepts its media type, named by Content-Disposition or
// ?filename=. wrongType is the message for any other body.
func UploadedFile(r *http.Request, field string, raw func(mediaType string) bool, wrongType string) (File, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return File{}, apperr.Wrap(apperr.Invalid, err, "the multipart body cannot be read")
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return File{}, err
				}
				return File{}, apperr.Wrap(apperr.Invalid, err, "the form has no part named %q", field)
			}
			if part.FormName() == field {
				return File{Body: part, Filename: part.FileName(), ContentType: part.Header.Get("Content-Type")}, nil
			}
		}
	}
	if !raw(mt) {
		return File{}, apperr.New(apperr.Invalid, "%s, not %q", wrongType, mt)
	}
	f := File{Body: r.Body, ContentType: mt, Filename: r.URL.Query().Get("filename")}
	if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		f.Filename = params["filename"]
	}
	return f, nil
}
