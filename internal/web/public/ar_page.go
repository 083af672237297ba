package public

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

// arPage is the data of the "ar" page.
type arPage struct {
	httpx.PageData
	Name   string
	Viewer ui.ModelViewer
	// PageURL is the page's own absolute URL, which QR encodes.
	PageURL string
	QR      template.URL
}

func (s *Public) arPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("productID")
	pg, err := s.ar.PublicPage(r.Context(), id)
	if err != nil {
		s.kit.Error(w, r, err)
		return
	}
	if err := s.ar.RecordView(r.Context(), id, ar.EventOpened, r.UserAgent()); err != nil {
		// Counting must not cost the shopper the page.
		s.logger.WarnContext(r.Context(), "ar page: view not counted", "product", id, "error", err)
	}
	d := &arPage{PageData: httpx.PageData{Title: pg.Name + " in AR"}, Name: pg.Name, PageURL: s.kit.BaseURL + "/ar/" + id,
		Viewer: ui.ModelViewer{Src: ui.BlobSrc(s.localBlobs != nil, pg.GLBURL), Alt: pg.Name + ", 3D model", AR: true,
			IOSSrc: ui.BlobSrc(s.localBlobs != nil, pg.USDZURL), EventsURL: "/ar/" + id + "/events"}}
	if d.QR, err = ui.QRDataURL(d.PageURL); err != nil {
		s.kit.Error(w, r, err)
		return
	}
	// Signed URLs expire: the page must not outlive them in a cache.
	w.Header().Set("Cache-Control", "no-store")
	s.kit.Render(w, r, http.StatusOK, "ar", d)
}

func (s *Public) arEvent(w http.ResponseWriter, r *http.Request) {
	event, ok := s.launchEvent(w, r)
	if !ok {
		return
	}
	if _, err := s.ar.PublicPage(r.Context(), r.PathValue("productID")); err != nil {
		s.kit.Error(w, r, err)
		return
	}
	if err := s.ar.RecordView(r.Context(), r.PathValue("productID"), event, r.UserAgent()); err != nil {
		s.kit.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// launchEvent reads the body the viewer posts when an AR session starts,
// {"event":"ar_launched"}, answering the error itself when it is not that.
func (s *Public) launchEvent(w http.ResponseWriter, r *http.Request) (string, bool) {
	var in struct {
		Event string `json:"event"`
	}
	err := httpx.DecodeJSON(r, &in)
	if err == nil && in.Event != ar.EventARLaunched {
		err = apperr.New(apperr.Invalid, "event must be %q", ar.EventARLaunched)
	}
	if err != nil {
		s.kit.Error(w, r, err)
		return "", false
	}
	return in.Event, true
}
