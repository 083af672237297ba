package httpx

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
)

// Cookie names. The access cookie goes everywhere; the refresh cookie is
// scoped to RefreshCookiePath so ordinary requests never carry it.
const (
	AccessCookie      = "luneo_at"
	RefreshCookie     = "luneo_rt"
	RefreshCookiePath = "/api/auth"
)

type principalKey struct{}

// Principal authenticates the request: a bearer header (access token or API
// key) wins over the access cookie. The Router stores the principal of
// authenticated routes in the context, so a second call costs nothing.
func (k *Kit) Principal(r *http.Request) (auth.Principal, error) {
	if p, ok := PrincipalFrom(r.Context()); ok {
		return p, nil
	}
	token := ""
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, rest, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(rest) == "" {
			return auth.Principal{}, apperr.New(apperr.Unauthorized, "the Authorization header must be 'Bearer <token>'")
		}
		token = strings.TrimSpace(rest)
	} else if c, err := r.Cookie(AccessCookie); err == nil {
		token = c.Value
	}
	if token == "" || k.Auth == nil {
		return auth.Principal{}, apperr.New(apperr.Unauthorized, "log in or send an Authorization: Bearer token")
	}
	return k.Auth.Authenticate(r.Context(), token)
}

// WithPrincipal stores p in the request context for later lookups.
func WithPrincipal(ctx context.Context, p auth.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal the Router authenticated, if any.
func PrincipalFrom(ctx context.Context) (auth.Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(auth.Principal)
	return p, ok
}

// UserOnly refuses API keys on account routes (keys act for a brand, not a
// person).
func UserOnly(p auth.Principal) error {
	if p.UserID == "" {
		return apperr.New(apperr.Forbidden, "API keys cannot use account routes; log in as a user")
	}
	return nil
}

// SetCookie sets a cookie with Luneo's defaults: HttpOnly (no script can
// read it), SameSite=Lax, Secure outside dev.
func (k *Kit) SetCookie(w http.ResponseWriter, name, value, path string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: k.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// ClearCookie deletes a cookie set by SetCookie.
func (k *Kit) ClearCookie(w http.ResponseWriter, name, path string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1, Expires: time.Unix(0, 0),
		HttpOnly: true, Secure: k.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// SetSessionCookies hands a browser its tokens as cookies, the refresh token
// scoped to the refresh routes.
func (k *Kit) SetSessionCookies(w http.ResponseWriter, t auth.Tokens) {
	k.SetCookie(w, AccessCookie, t.AccessToken, "/", auth.AccessTTL)
	if t.RefreshToken != "" {
		k.SetCookie(w, RefreshCookie, t.RefreshToken, RefreshCookiePath, auth.RefreshTTL)
	}
}

// ClearSessionCookies logs the browser out.
func (k *Kit) ClearSessionCookies(w http.ResponseWriter) {
	k.ClearCookie(w, AccessCookie, "/")
	k.ClearCookie(w, RefreshCookie, RefreshCookiePath)
}

// hasLuneoCookie reports whether the request carries any of our cookies,
// which a browser attaches to cross-site requests on its own.
func hasLuneoCookie(r *http.Request) bool {
	for _, c := range r.Cookies() {
		if strings.HasPrefix(c.Name, "luneo_") {
			return true
		}
	}
	return false
}
