package widget

import (
	"net/http"
	"strconv"

	"github.com/luneo/luneo/internal/apperr"
)

// loader serves the loader bundle at its stable URL.
func (s *Widget) loader(w http.ResponseWriter, r *http.Request) {
	body, ok := s.Assets.Body(LoaderAsset)
	if !ok {
		s.Kit.Error(w, r, apperr.New(apperr.NotFound, "the widget loader was not built into this binary (make web)"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", loaderCacheControl)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	// Any store may load the script; it is no document, so framing rules
	// do not matter, and cross-origin script loads need no CORS.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	_, _ = w.Write(body)
}

// refused logs why the frame was refused; the page learns nothing more
// than 403.
func (s *Widget) refused(r *http.Request, reason string) {
	s.Kit.Logger.InfoContext(r.Context(), "embed frame refused", "reason", reason, "referer_origin", r.Header.Get("Referer"))
}
