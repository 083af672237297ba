package web

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
)

// Cookie names. The access cookie goes everywhere; the refresh cookie is
// scoped to /api/auth so ordinary requests never carry it.
const (
	accessCookie  = "luneo_at"
	refreshCookie = "luneo_rt"
	refreshPath   = "/api/auth"
)

// clientInfo records the caller's IP and user agent for audit events and
// per-IP rate limits. The IP is the TCP peer: X-Forwarded-For is not trusted
// because anyone can send it (put Luneo behind a proxy that overwrites it
// before trusting it; see the note in README).
func clientInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		next.ServeHTTP(w, r.WithContext(audit.WithClient(r.Context(), ip, r.UserAgent())))
	})
}

// checkOrigin is the CSRF defence: a state-changing request that a browser
// could send on its own (no Authorization header) must come from our own
// origin when it says where it comes from, and must say so when it carries
// our cookies. Programs using bearer tokens are not affected.
func (s *Server) checkOrigin(next http.Handler) http.Handler {
	own := originOf(s.BaseURL)
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
				from = originOf(ref)
			}
		}
		hasCookie := hasLuneoCookie(r)
		if (from != "" && from != own) || (from == "" && hasCookie) {
			s.writeError(w, r, apperr.New(apperr.Forbidden, "cross-site request refused: send it from %s or use an Authorization header", own))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func hasLuneoCookie(r *http.Request) bool {
	for _, c := range r.Cookies() {
		if strings.HasPrefix(c.Name, "luneo_") {
			return true
		}
	}
	return false
}

func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

type principalKey struct{}

// principal authenticates the request: a bearer header (access token or API
// key) wins over the access cookie.
func (s *Server) principal(r *http.Request) (auth.Principal, error) {
	if p, ok := r.Context().Value(principalKey{}).(auth.Principal); ok {
		return p, nil
	}
	token := ""
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, rest, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(rest) == "" {
			return auth.Principal{}, apperr.New(apperr.Unauthorized, "the Authorization header must be 'Bearer <token>'")
		}
		token = strings.TrimSpace(rest)
	} else if c, err := r.Cookie(accessCookie); err == nil {
		token = c.Value
	}
	if token == "" {
		return auth.Principal{}, apperr.New(apperr.Unauthorized, "log in or send an Authorization: Bearer token")
	}
	return s.Auth.Authenticate(r.Context(), token)
}

// withPrincipal stores p in the request context for later lookups.
func withPrincipal(ctx context.Context, p auth.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// setSessionCookies hands a browser its tokens as cookies: HttpOnly (no
// script can read them), SameSite=Lax, Secure outside dev, refresh scoped.
func (s *Server) setSessionCookies(w http.ResponseWriter, t auth.Tokens) {
	http.SetCookie(w, &http.Cookie{Name: accessCookie, Value: t.AccessToken, Path: "/", MaxAge: int(auth.AccessTTL.Seconds()),
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	if t.RefreshToken != "" {
		http.SetCookie(w, &http.Cookie{Name: refreshCookie, Value: t.RefreshToken, Path: refreshPath, MaxAge: int(auth.RefreshTTL.Seconds()),
			HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
}

func (s *Server) clearSessionCookies(w http.ResponseWriter) {
	for _, c := range []struct{ name, path string }{{accessCookie, "/"}, {refreshCookie, refreshPath}} {
		http.SetCookie(w, &http.Cookie{Name: c.name, Value: "", Path: c.path, MaxAge: -1, Expires: time.Unix(0, 0),
			HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
}

// apiHandler is a JSON handler that returns its error instead of writing it.
type apiHandler func(w http.ResponseWriter, r *http.Request) error

// authedHandler also receives the authenticated principal.
type authedHandler func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

// api adapts an apiHandler: errors go through the one error writer.
func (s *Server) api(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// authed adapts an authedHandler: unauthenticated requests get 401.
func (s *Server) authed(h authedHandler) http.HandlerFunc {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		p, err := s.principal(r)
		if err != nil {
			return err
		}
		return h(w, r.WithContext(withPrincipal(r.Context(), p)), p)
	})
}

// userOnly refuses API keys on account routes (keys act for a brand, not a person).
func userOnly(p auth.Principal) error {
	if p.UserID == "" {
		return apperr.New(apperr.Forbidden, "API keys cannot use account routes; log in as a user")
	}
	return nil
}
