package api

import (
	"fmt"
	"mime"
	"net/http"
	"slices"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Shopper image uploads: the design service's checks of staff uploads
// (format by content, size and pixel limits, a full decode under the image
// memory pool), a smaller size limit, and the upload rate limits.

// shopperImageTypes are the image types a shopper may upload.
var shopperImageTypes = []string{"image/png", "image/jpeg", "image/webp"}

// shopperMaxUpload is the largest image a shopper may upload: the widget's
// limit, within the design service's (0 when either is not wired and the
// route is only being described).
func (s *API) shopperMaxUpload() int64 {
	if s.Embed == nil || s.Designs == nil {
		return 0
	}
	return min(s.Embed.MaxUpload(), s.Designs.MaxImageUpload())
}

// shopperAsset is an uploaded image as the customizer gets it.
type shopperAsset struct {
	SHA256   string `json:"sha256"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	MimeType string `json:"mime_type"`
	Size     int64  `json:"size"`
	// URL shows the stored image for an hour.
	URL string `json:"url"`
}

func assetAnswer(a design.Asset) shopperAsset {
	return shopperAsset{SHA256: a.SHA256, Width: a.Width, Height: a.Height, MimeType: "image/" + a.Format, Size: a.Size, URL: a.URL}
}

// shopperUpload takes an image as the raw body (Content-Type image/png,
// image/jpeg or image/webp) or as the "file" part of a multipart form.
// Another declared type is a 415 before anything is read; the bytes'
// real format is checked by the design service all the same.
func (s *API) shopperUpload(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" && !slices.Contains(shopperImageTypes, mt) {
		return apperr.New(apperr.UnsupportedMedia, "send a PNG, JPEG or WebP image as the body with its type, or as the \"file\" part of multipart/form-data, not %q", mt)
	}
	if err := s.allow(r.Context(), c, embed.Upload); err != nil {
		return err
	}
	limit := s.shopperMaxUpload()
	data, name, err := readUpload(r, "image/", limit, fmt.Sprintf("%.0f MiB", float64(limit)/(1<<20)))
	if err != nil {
		return err
	}
	as, err := s.Designs.UploadImage(r.Context(), c.actor(), data, name)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusCreated, assetAnswer(as))
	return nil
}
