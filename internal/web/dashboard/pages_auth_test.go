package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/webtest"
)

func TestPageSignupLoginLogout(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	webtest.Want(t, b.Get("/signup"), http.StatusOK, `action="/signup"`, `name="brand"`)

	// Errors come back next to their fields, with what was typed but never the password.
	p := b.Post("/signup", "email", "zoe@example.com", "password", "short", "name", "Zoé", "brand", "Acme Mugs")
	webtest.Want(t, p, http.StatusBadRequest, "must be at least 10 characters", `value="zoe@example.com"`, `value="Acme Mugs"`)
	if strings.Contains(p.Body, `value="short"`) {
		t.Error("the password was put back into the form")
	}

	home := b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	webtest.Want(t, home, http.StatusOK, "<h1>Acme Mugs</h1>", "Welcome to Luneo!", "confirm your email", `action="/logout"`, `href="/app/audit"`)
	if again := b.Get("/app"); strings.Contains(again.Body, "Welcome to Luneo!") {
		t.Error("the flash message was shown twice")
	}
	webtest.Want(t, b.Get("/app/account"), http.StatusOK, "zoe@example.com", "this device")

	// Logging out revokes the session, not just the cookie.
	var old string
	for _, c := range b.Cookies("/") {
		if c.Name == httpx.AccessCookie {
			old = c.Value
		}
	}
	webtest.WantRedirect(t, b.Post("/logout"), "/")
	webtest.WantRedirect(t, b.Get("/app"), "/api/auth/refresh?return=%2Fapp")
	replay := e.Browser().Do(http.MethodGet, "/app", nil, "Cookie", httpx.AccessCookie+"="+old)
	webtest.WantRedirect(t, replay, "/api/auth/refresh?return=%2Fapp")

	// A wrong password keeps the email; the right one goes where asked.
	p = b.Post("/login", "email", "zoe@example.com", "password", "not my password", "return", "/app/team")
	webtest.Want(t, p, http.StatusUnauthorized, "The email or password is wrong", `value="zoe@example.com"`, `value="/app/team"`)
	if strings.Contains(p.Body, "not my password") {
		t.Error("the password was put back into the form")
	}
	webtest.WantRedirect(t, b.Post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", "/app/team"), "/app/team")
	webtest.WantRedirect(t, b.Get("/login"), "/app") // already logged in

	// Redirects never leave the site.
	b2 := e.Browser()
	webtest.WantRedirect(t, b2.Post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", "//evil.example"), "/app")

	// Forms from another site are refused.
	evil := b.Do(http.MethodPost, "/logout", url.Values{}, "Origin", "https://evil.example")
	webtest.Want(t, evil, http.StatusForbidden, "cross-site request refused")
}

func TestPageAuthRedirects(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	anon := e.Browser()
	p := anon.Get("/app/team?x=1")
	webtest.WantRedirect(t, p, "/api/auth/refresh?return=%2Fapp%2Fteam%3Fx%3D1")
	p = anon.Get(p.Location)
	webtest.WantRedirect(t, p, "/login?return=%2Fapp%2Fteam%3Fx%3D1")
	webtest.Want(t, anon.Get(p.Location), http.StatusOK, `name="return" value="/app/team?x=1"`, `href="/forgot-password"`)
	webtest.WantRedirect(t, anon.Get("/login/mfa"), "/login")

	// An expired access cookie is renewed with the refresh cookie on the way.
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	b.SetCookie(&http.Cookie{Name: httpx.AccessCookie, Value: "expired", Path: "/", MaxAge: -1})
	p = b.Get("/app/brand")
	webtest.WantRedirect(t, p, "/api/auth/refresh?return=%2Fapp%2Fbrand")
	webtest.Want(t, b.Follow(p), http.StatusOK, "Brand settings", `value="Acme Mugs"`)

	// Logging out with an expired access cookie renews it first, then asks again.
	b.SetCookie(&http.Cookie{Name: httpx.AccessCookie, Value: "expired", Path: "/"})
	p = b.Post("/logout")
	webtest.WantRedirect(t, p, "/api/auth/refresh?return=/logout")
	webtest.Want(t, b.Follow(p), http.StatusOK, "Log out of Luneo on this device?")
}

func TestPageEmailLinks(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")

	// Opening the link (as a mail scanner does) confirms nothing; the button does.
	token := e.Mailed("zoe@example.com", "/confirm-email")
	webtest.Want(t, b.Get("/confirm-email?token="+token), http.StatusOK, `action="/confirm-email"`, `value="`+token+`"`)
	webtest.Want(t, b.Get("/app"), http.StatusOK, "Send the link again")
	webtest.Want(t, b.Post("/confirm-email", "token", "wrong"), http.StatusBadRequest, "invalid or has expired")
	p := b.Post("/confirm-email", "token", token)
	webtest.WantRedirect(t, p, "/app")
	home := b.Follow(p)
	webtest.Want(t, home, http.StatusOK, "your email address is confirmed")
	if strings.Contains(home.Body, "Send the link again") {
		t.Error("the unconfirmed banner is still shown")
	}

	// Forgotten password: same answer for unknown addresses, then a reset.
	anon := e.Browser()
	webtest.Want(t, anon.Follow(anon.Post("/forgot-password", "email", "nobody@example.com")), http.StatusOK, "If nobody@example.com has a Luneo account")
	webtest.Want(t, anon.Follow(anon.Post("/forgot-password", "email", "zoe@example.com")), http.StatusOK, "If zoe@example.com has a Luneo account")
	token = e.Mailed("zoe@example.com", "/reset-password")
	webtest.Want(t, anon.Get("/reset-password?token="+token), http.StatusOK, `action="/reset-password"`)
	webtest.Want(t, anon.Post("/reset-password", "token", token, "password", "short"), http.StatusBadRequest, "at least 10 characters", `value="`+token+`"`)
	p = anon.Post("/reset-password", "token", token, "password", "a brand new passphrase")
	webtest.WantRedirect(t, p, "/login")
	webtest.Want(t, anon.Follow(p), http.StatusOK, "Your password has been changed")
	anon.Login("zoe@example.com", "a brand new passphrase")
	// The reset ended every other session.
	webtest.WantRedirect(t, b.Get("/app"), "/api/auth/refresh?return=%2Fapp")
}

func TestPageTeamInvitation(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	owner := e.Browser()
	owner.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	webtest.Want(t, owner.Post("/app/team/invite", "email", "not an email", "role", "viewer"), http.StatusBadRequest, `value="not an email"`)
	p := owner.Post("/app/team/invite", "email", "bob@example.com", "role", "viewer")
	webtest.WantRedirect(t, p, "/app/team")
	webtest.Want(t, owner.Follow(p), http.StatusOK, "We sent an invitation to bob@example.com", "<td>bob@example.com</td>")
	token := e.Mailed("bob@example.com", "/invitations/accept")

	// Not logged in: through login, back to the invitation.
	anon := e.Browser()
	p = anon.Follow(anon.Get("/invitations/accept?token=" + token))
	webtest.Want(t, p, http.StatusOK, `name="return" value="/invitations/accept?token=`+token+`"`)

	bob := e.Browser()
	bob.Signup("bob@example.com", "Bob", "Bob Prints")
	webtest.Want(t, bob.Get("/invitations/accept?token="+token), http.StatusOK, "Accept the invitation", `value="`+token+`"`)
	p = bob.Post("/invitations/accept", "token", token)
	webtest.WantRedirect(t, p, "/app")
	home := bob.Follow(p)
	webtest.Want(t, home, http.StatusOK, "Welcome to Acme Mugs: you joined as viewer", "<h1>Acme Mugs</h1>", `action="/app/switch-brand"`)
	webtest.Want(t, bob.Post("/invitations/accept", "token", token), http.StatusNotFound, "already used")

	// A viewer sees the team but cannot manage it, keys or the audit log.
	team := bob.Get("/app/team")
	webtest.Want(t, team, http.StatusOK, "zoe@example.com", "Leave this brand")
	if strings.Contains(team.Body, "Invite someone") || strings.Contains(team.Body, "/api-keys") {
		t.Error("a viewer is offered team management or API keys")
	}
	webtest.Want(t, bob.Get("/app/api-keys"), http.StatusForbidden, "your role (viewer) does not allow apikeys:manage")
	webtest.Want(t, bob.Post("/app/api-keys", "name", "x", "scopes", "brand:read"), http.StatusForbidden)
	webtest.Want(t, bob.Get("/app/audit"), http.StatusForbidden)
	webtest.Want(t, bob.Post("/app/brand", "name", "Hijacked"), http.StatusForbidden)

	// The owner changes Bob's role; the last owner cannot be demoted.
	bobID, zoeID := e.UserID("bob@example.com"), e.UserID("zoe@example.com")
	webtest.Want(t, owner.Follow(owner.Post("/app/team/members/"+bobID+"/role", "role", "admin")), http.StatusOK, "The role is now admin")
	webtest.Want(t, bob.Get("/app/api-keys"), http.StatusOK, "Create a key")
	webtest.Want(t, bob.Post("/app/team/members/"+zoeID+"/role", "role", "viewer"), http.StatusForbidden, "only owners")

	// Switching back to Bob's own brand.
	var own string
	_ = e.DB.QueryRowContext(context.Background(), `SELECT id FROM brands WHERE name = 'Bob Prints'`).Scan(&own)
	p = bob.Post("/app/switch-brand", "brand_id", own)
	webtest.WantRedirect(t, p, "/app")
	webtest.Want(t, bob.Follow(p), http.StatusOK, "You are now working on Bob Prints.", "<h1>Bob Prints</h1>")
}

func TestPageAPIKeys(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	webtest.Want(t, b.Get("/app/api-keys"), http.StatusOK, "No API keys yet.", `value="products:write"`)
	p := b.Post("/app/api-keys", "name", "ERP sync")
	webtest.Want(t, p, http.StatusBadRequest, "choose at least one scope", `value="ERP sync"`)

	p = b.Post("/app/api-keys", "name", "ERP sync", "scopes", "brand:read", "scopes", "orders:read")
	webtest.Want(t, p, http.StatusOK, "this is the only time it is shown")
	secret := webtest.Find(t, p.Body, `<code class="secret">(lk_[A-Za-z0-9_-]+)</code>`)
	list := b.Get("/app/api-keys")
	webtest.Want(t, list, http.StatusOK, "ERP sync", "orders:read")
	if strings.Contains(list.Body, secret) {
		t.Error("the secret is shown again")
	}

	// The key works for programs until it is revoked.
	api := e.Browser()
	webtest.Want(t, api.Do(http.MethodGet, "/api/brand", nil, "Authorization", "Bearer "+secret), http.StatusOK, "Acme Mugs")
	// but never opens the dashboard's pages, which are for people.
	webtest.Want(t, api.Do(http.MethodGet, "/app/api-keys", nil, "Authorization", "Bearer "+secret), http.StatusForbidden, "API keys cannot use account routes")
	id := webtest.Find(t, list.Body, `action="/app/api-keys/([^/"]+)/revoke"`)
	webtest.Want(t, b.Follow(b.Post("/app/api-keys/"+id+"/revoke")), http.StatusOK, "The API key has been revoked", "revoked")
	webtest.Want(t, api.Do(http.MethodGet, "/api/brand", nil, "Authorization", "Bearer "+secret), http.StatusUnauthorized)
}

func TestPageMFA(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	p := b.Post("/app/account/mfa/setup")
	webtest.Want(t, p, http.StatusOK, `src="data:image/png;base64,`, `href="otpauth://totp/`)
	secret := webtest.Find(t, p.Body, `<code class="secret">([A-Z2-7]+)</code>`)

	p = b.Post("/app/account/mfa/confirm", "code", "000000")
	webtest.Want(t, p, http.StatusUnauthorized, "The code is wrong", `action="/app/account/mfa/confirm"`)
	now := time.Now()
	p = b.Post("/app/account/mfa/confirm", "code", webtest.TOTP(t, secret, now))
	webtest.Want(t, p, http.StatusOK, "Two-factor authentication is on.", "shown only this once")
	codes := regexp.MustCompile(`<li><code>([a-z0-9-]{14})</code></li>`).FindAllStringSubmatch(p.Body, -1)
	if len(codes) != 10 {
		t.Fatalf("%d backup codes shown, want 10", len(codes))
	}
	if again := b.Get("/app/account"); strings.Contains(again.Body, codes[0][1]) || !strings.Contains(again.Body, "Turn off") {
		t.Error("backup codes shown again, or MFA not shown as on")
	}

	// Logging in now takes a second step, with the token in a hidden field.
	webtest.WantRedirect(t, b.Post("/logout"), "/")
	p = b.Post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", "/app/account")
	webtest.Want(t, p, http.StatusOK, `action="/login/mfa"`, `name="return" value="/app/account"`)
	token := webtest.Find(t, p.Body, `name="mfa_token" value="([^"]+)"`)
	webtest.Want(t, b.Post("/login/mfa", "mfa_token", token, "code", "123456", "return", "/app/account"), http.StatusUnauthorized, "The code is wrong", `value="`+token+`"`)
	// The step the enrolment used is spent; the next one (within the drift window) works.
	webtest.WantRedirect(t, b.Post("/login/mfa", "mfa_token", token, "code", webtest.TOTP(t, secret, now.Add(30*time.Second)), "return", "/app/account"), "/app/account")

	// A backup code works once.
	other := e.Browser()
	p = other.Post("/login", "email", "zoe@example.com", "password", "correct horse battery")
	token = webtest.Find(t, p.Body, `name="mfa_token" value="([^"]+)"`)
	webtest.WantRedirect(t, other.Post("/login/mfa", "mfa_token", token, "code", codes[0][1]), "/app")
}

func TestPageBrandAndAudit(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	webtest.Want(t, b.Post("/app/brand", "name", " "), http.StatusBadRequest, "must be 1 to 120 characters")
	p := b.Post("/app/brand", "name", "Acme Cups")
	webtest.WantRedirect(t, p, "/app/brand")
	webtest.Want(t, b.Follow(p), http.StatusOK, "The brand is now called Acme Cups.", `value="Acme Cups"`)

	log := b.Get("/app/audit")
	webtest.Want(t, log, http.StatusOK, "<code>signup</code>", "<code>brand_updated</code>", "name: Acme Cups", "zoe@example.com")
	// Logins are the person's, shown on their account page (audit_scope_test.go).
	webtest.Want(t, b.Get("/app/account"), http.StatusOK, "<code>login_ok</code>")
	webtest.Want(t, b.Get("/app/audit?before=yesterday"), http.StatusBadRequest, "RFC 3339")
	webtest.Want(t, b.Get("/app/audit?before=2000-01-01T00:00:00Z"), http.StatusOK, "No events")
}

// TestPagesRenderLive opens every page as a logged-in owner and as a
// visitor; do checks each for inline styles and scripts.
func TestPagesRenderLive(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	for _, path := range []string{"/app", "/app/account", "/app/brand", "/app/team", "/app/api-keys", "/app/audit",
		"/logout", "/invitations/accept?token=abc", "/invitations/accept", "/reset-password", "/confirm-email"} {
		webtest.Want(t, b.Get(path), http.StatusOK, `action="/logout"`)
	}
	anon := e.Browser()
	for _, path := range []string{"/signup", "/login", "/forgot-password", "/reset-password?token=abc", "/confirm-email?token=abc", "/app/nothing"} {
		p := anon.Get(path)
		if p.Status != http.StatusOK && p.Status != http.StatusNotFound {
			t.Errorf("%s: status %d", path, p.Status)
		}
	}
	webtest.WantRedirect(t, anon.Get("/logout"), "/")
}
