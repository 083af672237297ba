package web

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"
)

// redirectVectors are sent to every entry point over HTTP.
var redirectVectors = []string{"/\t/evil.example", "/\n/evil.example", "/\\evil.example", "//evil.example",
	"/%09/evil.example", "https://evil.example", "/.//evil.example"}

// TestLoginPagesRedirectOnlyOnSite: /login and /signup, already logged in
// (GET) and logging in (POST), never send the browser off the site.
func TestLoginPagesRedirectOnlyOnSite(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser()
	b.signup("zoe@example.com", "Zoé", "Acme Mugs")
	for i, v := range redirectVectors {
		q := "?return=" + url.QueryEscape(v)
		wantRedirect(t, b.get("/login"+q), "/app")
		wantRedirect(t, b.get("/signup"+q), "/app")
		wantRedirect(t, e.browser().post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", v), "/app")
		email := "new" + string(rune('a'+i)) + "@example.com"
		wantRedirect(t, e.browser().post("/signup", "email", email, "password", "correct horse battery", "name", "N",
			"brand", "Brand "+email, "return", v), "/app")
		// The forms carry the cleaned value, not the vector.
		want(t, e.browser().get("/login"+q), http.StatusOK, `name="return" value="/app"`)
	}
	wantRedirect(t, b.get("/login?return="+url.QueryEscape("/app/team?x=1")), "/app/team?x=1")
}

// TestMFAStepRedirectsOnlyOnSite: the second step of a login (backup
// codes, so that no test depends on the TOTP time step).
func TestMFAStepRedirectsOnlyOnSite(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser()
	b.signup("zoe@example.com", "Zoé", "Acme Mugs")
	secret := find(t, b.post("/app/account/mfa/setup").body, `<code class="secret">([A-Z2-7]+)</code>`)
	p := b.post("/app/account/mfa/confirm", "code", totp(t, secret, time.Now()))
	want(t, p, http.StatusOK, "Two-factor authentication is on.")
	codes := regexp.MustCompile(`<li><code>([a-z0-9-]{14})</code></li>`).FindAllStringSubmatch(p.body, -1)
	if len(codes) < len(redirectVectors) {
		t.Fatalf("%d backup codes", len(codes))
	}
	for i, v := range redirectVectors {
		c := e.browser()
		p := c.post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", v)
		want(t, p, http.StatusOK, `name="return" value="/app"`)
		token := find(t, p.body, `name="mfa_token" value="([^"]+)"`)
		wantRedirect(t, c.post("/login/mfa", "mfa_token", token, "code", codes[i][1], "return", v), "/app")
	}
}

// TestRefreshRedirectsOnlyOnSite: GET /api/auth/refresh, with and without
// a refresh cookie.
func TestRefreshRedirectsOnlyOnSite(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser()
	b.signup("zoe@example.com", "Zoé", "Acme Mugs")
	for _, v := range redirectVectors {
		q := "?return=" + url.QueryEscape(v)
		wantRedirect(t, b.get("/api/auth/refresh"+q), "/app")
		wantRedirect(t, e.browser().get("/api/auth/refresh"+q), "/login?return=%2Fapp")
	}
	wantRedirect(t, b.get("/api/auth/refresh?return=%2Fapp%2Fteam"), "/app/team")
}

// TestOIDCReturnOnlyOnSite: the return given when an external login starts.
func TestOIDCReturnOnlyOnSite(t *testing.T) {
	a := newOIDCApp(t)
	for _, v := range redirectVectors {
		a.queue("sub-1", "ada@example.com")
		a.login(a.browser(), "oidc", "?return="+url.QueryEscape(v), "/app")
	}
	a.queue("sub-1", "ada@example.com")
	a.login(a.browser(), "oidc", "?return=%2Fapp%2Fbrand", "/app/brand")
}
