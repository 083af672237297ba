package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"

	"github.com/skip2/go-qrcode"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// AR: the API that hands out a product's GLB and USDZ (api: brand-scoped),
// and the public AR page of each active product (no login) with its event
// counter. The page is public on purpose: shoppers open it from a QR code
// on their phone.

// arRoutes registers the AR routes (when AR is wired).
func (s *Server) arRoutes() []httpx.Route {
	if s.AR == nil {
		return nil
	}
	return []httpx.Route{
		httpx.Handle("GET", "/api/products/{id}/ar", httpx.BrandAPI, s.authed(s.getAR)),
		httpx.Handle("GET", "/ar/{productID}", httpx.Public, s.arPage),
		httpx.Handle("POST", "/ar/{productID}/events", httpx.Public, s.arEvent).WithBody(1 << 10),
	}
}

// getAR answers 200 with the signed URLs when the USDZ is ready, 202 with
// the job while it is being made, 422 when the conversion failed.
func (s *Server) getAR(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	res, err := s.AR.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	status := http.StatusOK
	switch res.Status {
	case ar.Pending:
		status = http.StatusAccepted
	case ar.Failed:
		status = http.StatusUnprocessableEntity
	}
	httpx.WriteJSON(w, status, res)
	return nil
}

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
		Viewer: ui.ModelViewer{Src: s.blobSrc(pg.GLBURL), Alt: pg.Name + ", 3D model", AR: true,
			IOSSrc: s.blobSrc(pg.USDZURL), EventsURL: "/ar/" + id + "/events"}}
	if d.QR, err = qrDataURL(d.PageURL); err != nil {
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

// qrDataURL encodes u as a QR code PNG in a data: URL (the CSP allows
// data: images), so the code needs no request of its own.
func qrDataURL(u string) (template.URL, error) {
	png, err := qrcode.Encode(u, qrcode.Medium, 256)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	var b bytes.Buffer
	b.WriteString("data:image/png;base64,")
	b.WriteString(base64.StdEncoding.EncodeToString(png))
	return template.URL(b.String()), nil // #nosec: our own base64, not user input
}

// arCard is the AR part of the dashboard's product page.
type arCard struct {
	PageURL string
	QR      template.URL
	// Public says the AR page answers (the product is active).
	Public           bool
	Opened, Launched int
}

// loadARCard fills in the AR card of a product that has a model.
func (s *Server) loadARCard(r *http.Request, p auth.Principal, pr catalog.Product) (*arCard, error) {
	if s.AR == nil {
		return nil, nil
	}
	c := &arCard{PageURL: s.BaseURL + "/ar/" + pr.ID, Public: pr.Status == catalog.Active}
	var err error
	if c.QR, err = qrDataURL(c.PageURL); err != nil {
		return nil, err
	}
	counts, err := s.AR.ViewCounts(r.Context(), p.BrandID, pr.ID)
	if err != nil {
		s.Logger.WarnContext(r.Context(), "product page: AR view counts unavailable", "product", pr.ID, "error", err)
	}
	for _, n := range counts.Opened {
		c.Opened += n
	}
	for _, n := range counts.ARLaunched {
		c.Launched += n
	}
	return c, nil
}

// ARPage is the "ar" page's data; the zero value when Data is another type.
func (d PageData) ARPage() arPageData {
	v, _ := d.Data.(arPageData)
	return v
}
