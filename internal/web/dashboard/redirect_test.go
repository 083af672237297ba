package dashboard_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/web/webtest"
)

// redirectVectors are sent to every entry point over HTTP.
var redirectVectors = []string{"/\t/evil.example", "/\n/evil.example", "/\\evil.example", "//evil.example",
	"/%09/evil.example", "https://evil.example", "/.//evil.example"}

// TestLoginPagesRedirectOnlyOnSite: /login and /signup, already logged in
// (GET) and logging in (POST), never send the browser off the site.
func TestLoginPagesRedirectOnlyOnSite(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	for i, v := range redirectVectors {
		q := "?return=" + url.QueryEscape(v)
		webtest.WantRedirect(t, b.Get("/login"+q), "/app")
		webtest.WantRedirect(t, b.Get("/signup"+q), "/app")
		webtest.WantRedirect(t, e.Browser().Post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", v), "/app")
		email := "new" + string(rune('a'+i)) + "@example.com"
		webtest.WantRedirect(t, e.Browser().Post("/signup", "email", email, "password", "correct horse battery", "name", "N",
			"brand", "Brand "+email, "return", v), "/app")
		// The forms carry the cleaned value, not the vector.
		webtest.Want(t, e.Browser().Get("/login"+q), http.StatusOK, `name="return" value="/app"`)
	}
	webtest.WantRedirect(t, b.Get("/login?return="+url.QueryEscape("/app/team?x=1")), "/app/team?x=1")
}

// TestMFAStepRedirectsOnlyOnSite: the second step of a login (backup
// codes, so that no test depends on the TOTP time step).
func TestMFAStepRedirectsOnlyOnSite(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	secret := webtest.Find(t, b.Post("/app/account/mfa/setup").Body, `<code class="secret">([A-Z2-7]+)</code>`)
	p := b.Post("/app/account/mfa/confirm", "code", webtest.TOTP(t, secret, time.Now()))
	webtest.Want(t, p, http.StatusOK, "Two-factor authentication is on.")
	codes := regexp.MustCompile(`<li><code>([a-z0-9-]{14})</code></li>`).FindAllStringSubmatch(p.Body, -1)
	if len(codes) < len(redirectVectors) {
		t.Fatalf("%d backup codes", len(codes))
	}
	for i, v := range redirectVectors {
		c := e.Browser()
		p := c.Post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", v)
		webtest.Want(t, p, http.StatusOK, `name="return" value="/app"`)
		token := webtest.Find(t, p.Body, `name="mfa_token" value="([^"]+)"`)
		webtest.WantRedirect(t, c.Post("/login/mfa", "mfa_token", token, "code", codes[i][1], "return", v), "/app")
	}
}

// TestRefreshRedirectsOnlyOnSite: GET /api/auth/refresh, with and without
// a refresh cookie.
func TestRefreshRedirectsOnlyOnSite(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	for _, v := range redirectVectors {
		q := "?return=" + url.QueryEscape(v)
		webtest.WantRedirect(t, b.Get("/api/auth/refresh"+q), "/app")
		webtest.WantRedirect(t, e.Browser().Get("/api/auth/refresh"+q), "/login?return=%2Fapp")
	}
	webtest.WantRedirect(t, b.Get("/api/auth/refresh?return=%2Fapp%2Fteam"), "/app/team")
}

// TestOIDCReturnOnlyOnSite: the return given when an external login starts.
func TestOIDCReturnOnlyOnSite(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	for _, v := range redirectVectors {
		a.queue("sub-1", "ada@example.com")
		a.login(a.browser(), "oidc", "?return="+url.QueryEscape(v), "/app")
	}
	a.queue("sub-1", "ada@example.com")
	a.login(a.browser(), "oidc", "?return=%2Fapp%2Fbrand", "/app/brand")
}
