package public

import (
	"io"
	"net/http"
	"strconv"
	"time"
)

// designPreview answers a design's permanent preview URL, /p/{token}: the
// preview image of the design's newest rendered version, for carts, order
// pages and social cards. The token is unguessable and the brand can
// revoke it, after which the URL is not found; caches keep the image only
// briefly (max-age) so a revocation or a new version shows soon.
func (s *Public) designPreview(w http.ResponseWriter, r *http.Request) {
	ref, err := s.designs.ResolvePreview(r.Context(), r.PathValue("token"))
	if err != nil {
		s.kit.Error(w, r, err)
		return
	}
	// A cart asks for the image as soon as the design is saved: wait for
	// its first render rather than answer 404 (a broken image in the cart).
	rc, f, err := s.renders.PreviewWhenReady(r.Context(), ref.BrandID, ref.DesignID, ref.Version, previewWait)
	if err != nil {
		s.kit.Error(w, r, err)
		return
	}
	defer rc.Close()
	etag := `"` + f.SHA256 + `"`
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.MimeType)
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	if _, err := io.Copy(w, rc); err != nil {
		s.logger.WarnContext(r.Context(), "design preview: sending stopped", "error", err)
	}
}

// previewWait bounds how long a preview URL waits for a design's first
// render (about a second on a quiet machine; queued behind a brand's other
// renders at busy times).
const previewWait = 20 * time.Second
