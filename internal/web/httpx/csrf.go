package httpx

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
)

// checkOrigin is the CSRF defence of CSRFSameOrigin routes: a
// state-changing request that a browser could send on its own (no
// Authorization header) must come from our own origin when it says where it
// comes from, and must say so when it carries our cookies. Programs using
// bearer tokens are not affected.
func (k *Kit) checkOrigin(next http.Handler) http.Handler {
	own := OriginOf(k.BaseURL)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if r.Header.Get("Authorization") != "" {
			next.ServeHTTP(w, r)
			return
		}
		from := r.Header.Get("Origin")
		if from == "" || from == "null" {
			if ref := r.Header.Get("Referer"); ref != "" {
				from = OriginOf(ref)
			}
		}
		if (from != "" && from != own) || (from == "" && hasLuneoCookie(r)) {
			k.Error(w, r, apperr.New(apperr.Forbidden, "cross-site request refused: send it from %s or use an Authorization header", own))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// OriginOf returns the scheme://host of a URL, lower-cased, or "".
func OriginOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}
