package public

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/blob"
)

// serveBlob answers the HMAC-signed URLs of the local blob store: it checks
// the signature and expiry, then streams the object with its stored content
// type (ranges and conditional requests included, for model viewers and AR).
func (s *Public) serveBlob(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if err := blob.ValidateKey(key); err != nil {
		s.kit.Error(w, r, apperr.New(apperr.NotFound, "no such file"))
		return
	}
	switch err := s.localBlobs.VerifySignature(key, r.URL.Query(), time.Now()); {
	case errors.Is(err, blob.ErrURLExpired):
		s.kit.Error(w, r, apperr.New(apperr.Forbidden, "this link has expired; ask for a new one"))
		return
	case err != nil:
		s.kit.Error(w, r, apperr.New(apperr.Forbidden, "this link is not valid"))
		return
	}
	f, info, err := s.localBlobs.OpenSeeker(r.Context(), key)
	if errors.Is(err, blob.ErrNotFound) {
		s.kit.Error(w, r, apperr.New(apperr.NotFound, "no such file"))
		return
	}
	if err != nil {
		s.kit.Error(w, r, fmt.Errorf("open blob: %w", err))
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", info.ContentType)
	// The route's policy (httpx.SharedFile) has set the sandboxed CSP, no
	// X-Frame-Options and ACAO *: stored files are data, never pages, and
	// viewers and AR apps on any origin load them. Cross-origin embedding
	// (img, model-viewer fetches) also needs CORP to say so.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if exp, err := strconv.ParseInt(r.URL.Query().Get("exp"), 10, 64); err == nil {
		if left := time.Until(time.Unix(exp, 0)); left > 0 {
			h.Set("Cache-Control", "private, max-age="+strconv.Itoa(int(left.Seconds())))
		}
	}
	if name := r.URL.Query().Get("dl"); name != "" {
		if cd, err := blob.AttachmentDisposition(name); err == nil {
			h.Set("Content-Disposition", cd)
		}
	}
	http.ServeContent(w, r, "", info.ModTime, f)
}
