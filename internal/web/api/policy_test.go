package api_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/webtest"
)

// concrete fills a route's path parameters with "x".
func concrete(path string) string {
	return regexp.MustCompile(`\{[^}]*\}`).ReplaceAllString(path, "x")
}

// wantAuth is who may call a route, written out independently of the
// route table: anyone may sign up and in, and call what a browser calls
// before it has a session; the person's own account (every other
// /api/auth/ route and accepting an invitation) is for users only; the rest
// is for the caller's brand.
func wantAuth(r httpx.Route) httpx.AuthKind {
	public := []string{"POST /api/auth/register", "POST /api/auth/login", "POST /api/auth/login/mfa", "POST /api/auth/refresh",
		"GET /api/auth/refresh", "POST /api/auth/logout", "POST /api/auth/confirm-email", "POST /api/auth/password/forgot",
		"POST /api/auth/password/reset", "GET /api/openapi.json"}
	switch {
	case slices.Contains(public, r.Pattern()):
		return httpx.AuthPublic
	case strings.HasPrefix(r.Path, "/api/embed/"):
		// The widget's shopper routes: no staff credentials; the session
		// route checks the embed token itself (embed_shopper_test.go).
		return httpx.AuthPublic
	case r.Pattern() == "GET /api/shopify/callback" || r.Pattern() == "GET /api/shopify/app/status":
		// Shopify's redirect (its HMAC and the install's nonce decide) and
		// the embedded app (an App Bridge session token, checked by the
		// handler: shopify_install_test.go).
		return httpx.AuthPublic
	case r.Pattern() == "POST /api/shopify/webhooks":
		// Shopify's servers, signing the raw body.
		return httpx.AuthHMAC
	case r.Pattern() == "GET /api/shopify/storefront/product":
		// The theme block, on the shop's storefront.
		return httpx.AuthPublic
	case strings.HasPrefix(r.Path, "/api/auth/") || r.Path == "/api/invitations/accept" || r.Pattern() == "GET /api/shopify/install":
		// Installing the Shopify app is a person's act (an owner or admin
		// of the brand named in the query), never an API key's.
		return httpx.AuthUser
	}
	return httpx.AuthBrand
}

// TestAPIPolicies checks, for every /api/ route the server serves, that the
// router enforces its policy before any handler runs: which routes are
// public, that the others want credentials, that account routes refuse API
// keys, that no other site can make a browser call a route that changes
// something, and that no route may be framed or (but the OpenAPI document)
// read from another origin.
func TestAPIPolicies(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	routes := apiRoutes(e)

	t.Run("who may call", func(t *testing.T) {
		for _, r := range routes {
			if got, want := r.Policy.Auth, wantAuth(r); got != want {
				t.Errorf("%s is for %s, want %s", r.Pattern(), got, want)
			}
		}
	})

	t.Run("credentials", func(t *testing.T) {
		for _, r := range routes {
			if wantAuth(r) == httpx.AuthPublic {
				continue
			}
			if got := e.API(r.Method, concrete(r.Path), nil, nil); got.Status != http.StatusUnauthorized || got.Body["code"] != "unauthorized" {
				t.Errorf("%s without credentials: %d %v, want 401", r.Pattern(), got.Status, got.Body)
			}
		}
	})

	t.Run("API keys", func(t *testing.T) {
		login := e.RegisterAndLogin("keys@example.com")
		k := e.API("POST", "/api/brand/api-keys", map[string]any{"name": "k", "scopes": []string{"brand:read"}}, webtest.Bearer(login))
		secret, _ := k.Body["secret"].(string)
		key := map[string]string{"Authorization": "Bearer " + secret}
		if got := e.API("GET", "/api/brand", nil, key); k.Status != http.StatusCreated || got.Status != http.StatusOK {
			t.Fatalf("the key does not work: %d %v, then %d %v", k.Status, k.Body, got.Status, got.Body)
		}
		n := 0
		for _, r := range routes {
			got := e.API(r.Method, concrete(r.Path), nil, key)
			detail, _ := got.Body["detail"].(string)
			refused := got.Status == http.StatusForbidden && strings.Contains(detail, "API keys cannot use account routes")
			if wantAuth(r) == httpx.AuthUser {
				n++
				if !refused {
					t.Errorf("%s with an API key: %d %v, want 403", r.Pattern(), got.Status, got.Body)
				}
			} else if wantAuth(r) == httpx.AuthBrand && (refused || got.Status == http.StatusUnauthorized) {
				t.Errorf("brand route %s refuses an API key: %d %v", r.Pattern(), got.Status, got.Body)
			}
		}
		if n < 15 {
			t.Errorf("only %d account routes", n)
		}
	})

	t.Run("cross-site requests", func(t *testing.T) {
		login := e.RegisterAndLogin("csrf@example.com")
		access := webtest.CookieNamed(login.Cookies, httpx.AccessCookie)
		for _, r := range routes {
			if r.Method == "GET" || strings.HasPrefix(r.Path, "/api/embed/") || r.Policy.Auth == httpx.AuthHMAC {
				continue // the shopper and webhook routes read no cookie: nothing to forge
			}
			got := e.API(r.Method, concrete(r.Path), nil, map[string]string{"Origin": "https://evil.example"}, access)
			if detail, _ := got.Body["detail"].(string); got.Status != http.StatusForbidden || !strings.Contains(detail, "cross-site request refused") {
				t.Errorf("%s from another site: %d %v, want 403", r.Pattern(), got.Status, got.Body)
			}
		}
	})

	t.Run("framing and other origins", func(t *testing.T) {
		for _, r := range routes {
			got := e.API(r.Method, concrete(r.Path), nil, map[string]string{"Origin": "https://other.example"})
			h := got.Header
			if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("%s may be framed: %q, %q", r.Pattern(), h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"))
			}
			cors := h.Get("Access-Control-Allow-Origin")
			if want := map[bool]string{true: "*"}[r.Path == "/api/openapi.json"]; cors != want {
				t.Errorf("%s: Access-Control-Allow-Origin %q, want %q", r.Pattern(), cors, want)
			}
		}
	})
}
