package web

// The public AR page of each active product (no login) with its event
// counter. The page is public on purpose: shoppers open it from a QR code
// on their phone.

import (
	"html/template"
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// arPageData is the Data of the "ar" page.
type arPageData struct {
	Name   string
	Viewer ui.ModelViewer
	// PageURL is the page's own absolute URL, which QR encodes.
	PageURL string
	QR      template.URL
}

func (s *Server) arPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("productID")
	pg, err := s.AR.PublicPage(r.Context(), id)
	if err != nil {
		s.kit.Error(w, r, err)
		return
	}
	if err := s.AR.RecordView(r.Context(), id, ar.EventOpened, r.UserAgent()); err != nil {
		// Counting must not cost the shopper the page.
		s.Logger.WarnContext(r.Context(), "ar page: view not counted", "product", id, "error", err)
	}
	d := arPageData{Name: pg.Name, PageURL: s.BaseURL + "/ar/" + id,
		Viewer: ui.ModelViewer{Src: ui.BlobSrc(s.LocalBlobs != nil, pg.GLBURL), Alt: pg.Name + ", 3D model", AR: true,
			IOSSrc: ui.BlobSrc(s.LocalBlobs != nil, pg.USDZURL), EventsURL: "/ar/" + id + "/events"}}
	if d.QR, err = ui.QRDataURL(d.PageURL); err != nil {
		s.kit.Error(w, r, err)
		return
	}
	// Signed URLs expire: the page must not outlive them in a cache.
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "ar", PageData{Title: pg.Name + " in AR", Data: d})
}

func (s *Server) arEvent(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Event string `json:"event"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.kit.Error(w, r, err)
		return
	}
	if in.Event != ar.EventARLaunched {
		s.kit.Error(w, r, apperr.New(apperr.Invalid, "event must be %q", ar.EventARLaunched))
		return
	}
	if _, err := s.AR.PublicPage(r.Context(), r.PathValue("productID")); err != nil {
		s.kit.Error(w, r, err)
		return
	}
	if err := s.AR.RecordView(r.Context(), r.PathValue("productID"), in.Event, r.UserAgent()); err != nil {
		s.kit.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ARPage is the "ar" page's data; the zero value when Data is another type.
func (d PageData) ARPage() arPageData {
	v, _ := d.Data.(arPageData)
	return v
}
