package api

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Image assets and brand fonts of designs. Uploads are the "file" part of
// a multipart/form-data body or the raw body; the file's kind is decided
// by its content (intake), not by the declared type.

func (s *API) uploadDesignImage(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	data, name, err := readUpload(r, "image/", s.Designs.MaxImageUpload(), "LUNEO_MAX_IMAGE_UPLOAD")
	if err != nil {
		return err
	}
	a, err := s.Designs.UploadImage(r.Context(), design.StaffActor(p), data, name)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"asset": a})
	return nil
}

func (s *API) listFonts(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	fonts, err := s.Designs.ListFonts(r.Context(), design.StaffActor(p))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, fonts)
	return nil
}

func (s *API) uploadFont(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	data, name, err := readUpload(r, "font/", s.Designs.MaxFontUpload(), "LUNEO_MAX_FONT_UPLOAD")
	if err != nil {
		return err
	}
	f, err := s.Designs.UploadFont(r.Context(), design.StaffActor(p), data, name)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"font": f})
	return nil
}

// readUpload reads an upload of at most limit bytes: a multipart "file"
// part, or a raw body declared as prefix* or application/octet-stream.
func readUpload(r *http.Request, prefix string, limit int64, knob string) ([]byte, string, error) {
	raw := func(mt string) bool { return strings.HasPrefix(mt, prefix) || mt == "application/octet-stream" }
	f, err := httpx.UploadedFile(r, "file", raw, "send the file as the \"file\" part of multipart/form-data or as the body with its media type")
	if err != nil {
		return nil, "", err
	}
	data, err := io.ReadAll(io.LimitReader(f.Body, limit+1))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || int64(len(data)) > limit:
		return nil, "", apperr.New(apperr.TooLarge, "the file is larger than the limit of %d bytes (%s)", limit, knob)
	case err != nil:
		return nil, "", apperr.Wrap(apperr.Invalid, err, "the upload could not be read")
	}
	return data, f.Filename, nil
}
