package api

import (
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// The customizer's "see it in AR": the design's public AR page (its AR
// share token, made on the first call) with a QR code for a phone, and
// the design's 3D files when they are made (the design AR flow: the first
// call enqueues what is missing; the customizer asks again while pending).

// shopperARAnswer is GET /api/embed/designs/{id}/ar.
type shopperARAnswer struct {
	Status  ar.State `json:"status"`
	PageURL string   `json:"page_url"`
	// QR is a data: URL of a PNG QR code of PageURL.
	QR      string `json:"qr"`
	GLBURL  string `json:"glb_url,omitempty"`
	USDZURL string `json:"usdz_url,omitempty"`
	Error   string `json:"error,omitempty"`
}

// shopperDesignAR answers GET /api/embed/designs/{id}/ar for the
// shopper's own design, or one whose link comes as ?link=de_…. (The route's
// last segment is a wildcard, see routes.go: anything but "ar" is not
// found.)
func (s *API) shopperDesignAR(w http.ResponseWriter, r *http.Request) error {
	c, err := s.shopperCall(r)
	if err != nil {
		return err
	}
	if r.PathValue("view") != "ar" {
		return apperr.New(apperr.NotFound, "no such design view: use /ar")
	}
	id := r.PathValue("id")
	a, err := s.designActor(r.Context(), c, id, r.URL.Query().Get("link"))
	if err != nil {
		return err
	}
	got, err := s.shopperDesign(r.Context(), c, a, id)
	if err != nil {
		return err
	}
	files, err := s.Renders.AR(r.Context(), render.TargetOf(got.Version.Ref(c.Brand, got.Design)))
	if err != nil {
		return err
	}
	tok, err := s.Designs.ARToken(r.Context(), a, id)
	if err != nil {
		return err
	}
	out := shopperARAnswer{Status: files.Status, PageURL: s.Kit.BaseURL + "/ar/d/" + tok, GLBURL: files.GLBURL,
		USDZURL: files.USDZURL, Error: files.Error}
	qr, err := ui.QRDataURL(out.PageURL)
	if err != nil {
		return err
	}
	out.QR = string(qr)
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
