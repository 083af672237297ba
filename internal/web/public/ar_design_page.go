package public

// The public AR page of a shared design, /ar/d/{token}: the shopper's own
// customized product in 3D and AR (GLB for the viewer and Android's Scene
// Viewer, USDZ for iOS AR Quick Look), a QR code on desktop, AR launches
// counted by platform, and the design's three-quarter view as the social
// card. The token is the design's AR share token: unguessable, revocable
// by the brand (then the page is not found), apart from the preview token
// so revoking the page leaves order previews alone.

import (
	"html/template"
	"io"
	"net/http"
	"strconv"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// arDesignPage is the data of the "ar_design" page.
type arDesignPage struct {
	httpx.PageData
	Name string
	// Pending says the files are being made: the page reloads itself.
	Pending bool
	// Failed holds the message of a render that failed.
	Failed string
	Viewer ui.ModelViewer
	// PageURL is the page's own absolute URL, which QR encodes; CardURL
	// the absolute URL of the social card image.
	PageURL, CardURL string
	QR               template.URL
}

// designTarget resolves an AR share token to the design's latest version.
func (s *Public) designTarget(r *http.Request) (render.Target, error) {
	ref, err := s.designs.ResolveAR(r.Context(), r.PathValue("token"))
	if err != nil {
		return render.Target{}, err
	}
	return render.TargetOf(ref), nil
}

func (s *Public) arDesignPage(w http.ResponseWriter, r *http.Request) {
	t, err := s.designTarget(r)
	if err != nil {
		s.kit.Error(w, r, err)
		return
	}
	files, err := s.renders.AR(r.Context(), t)
	if err != nil {
		s.kit.Error(w, r, err)
		return
	}
	if err := s.ar.RecordDesignView(r.Context(), t.BrandID, t.DesignID, ar.EventOpened, r.UserAgent()); err != nil {
		// Counting must not cost the shopper the page.
		s.logger.WarnContext(r.Context(), "design ar page: view not counted", "design", t.DesignID, "error", err)
	}
	name := "Your design"
	if n, err := s.ar.ProductName(r.Context(), t.ProductID); err == nil && n != "" {
		name = "Your " + n
	}
	page := s.kit.BaseURL + "/ar/d/" + r.PathValue("token")
	d := &arDesignPage{PageData: httpx.PageData{Title: name + " in AR"}, Name: name, PageURL: page, CardURL: page + "/preview.png"}
	switch files.Status {
	case ar.Pending:
		d.Pending = true
	case ar.Failed:
		d.Failed = files.Error
	default:
		local := s.localBlobs != nil
		d.Viewer = ui.ModelViewer{Src: ui.BlobSrc(local, files.GLBURL), Alt: name + ", 3D model with the design", AR: true,
			Poster: ui.BlobSrc(local, files.PreviewURL), IOSSrc: ui.BlobSrc(local, files.USDZURL),
			EventsURL: "/ar/d/" + r.PathValue("token") + "/events"}
	}
	if d.QR, err = ui.QRDataURL(d.PageURL); err != nil {
		s.kit.Error(w, r, err)
		return
	}
	// Signed URLs expire, and the token may be revoked: never cached.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the URL is the secret
	s.kit.Render(w, r, http.StatusOK, "ar_design", d)
}

// arDesignCard serves the design's three-quarter view, the page's social
// card (og:image): crawlers fetch it without a session.
func (s *Public) arDesignCard(w http.ResponseWriter, r *http.Request) {
	t, err := s.designTarget(r)
	if err != nil {
		s.kit.Error(w, r, err)
		return
	}
	rc, f, err := s.renders.View(r.Context(), t.BrandID, t.DesignID, t.Version)
	if err != nil {
		s.kit.Error(w, r, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("Content-Type", f.MimeType)
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	if _, err := io.Copy(w, rc); err != nil {
		s.logger.WarnContext(r.Context(), "design card: sending stopped", "error", err)
	}
}

func (s *Public) arDesignEvent(w http.ResponseWriter, r *http.Request) {
	event, ok := s.launchEvent(w, r)
	if !ok {
		return
	}
	t, err := s.designTarget(r)
	if err != nil {
		s.kit.Error(w, r, err)
		return
	}
	if err := s.ar.RecordDesignView(r.Context(), t.BrandID, t.DesignID, event, r.UserAgent()); err != nil {
		s.kit.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
