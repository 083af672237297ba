package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/web/httpx"
)

// pageEnv is the whole web server over the real services on SQLite, wired
// as cmd/luneo wires them, listening on a local port.
type pageEnv struct {
	t     *testing.T
	url   string
	db    *db.DB
	clock *testClock
}

func newPageEnv(t *testing.T) *pageEnv {
	t.Helper()
	app := newTestApp(t)
	app.start()
	return &pageEnv{t: t, url: app.ts.URL, db: app.db, clock: app.clock}
}

// browser is a cookie-keeping client that, like a test should, sees every
// redirect instead of following it.
type browser struct {
	env *pageEnv
	c   *http.Client
}

func (e *pageEnv) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{env: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status int
	loc    string
	body   string
}

func (b *browser) do(method, path string, form url.Values, hdr ...string) page {
	t := b.env.t
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.env.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", b.env.url)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	p := page{status: resp.StatusCode, loc: resp.Header.Get("Location"), body: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		checkCSPSafe(t, method+" "+path, p.body)
	}
	return p
}

func (b *browser) get(path string) page { b.env.t.Helper(); return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, kv ...string) page {
	b.env.t.Helper()
	form := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Add(kv[i], kv[i+1])
	}
	return b.do(http.MethodPost, path, form)
}

// follow follows redirects with GETs, as a browser does after a 303.
func (b *browser) follow(p page) page {
	b.env.t.Helper()
	for i := 0; p.status >= 300 && p.status < 400; i++ {
		if i == 10 {
			b.env.t.Fatalf("redirect loop at %s", p.loc)
		}
		p = b.get(p.loc)
	}
	return p
}

// checkCSPSafe fails on anything the Content-Security-Policy would block.
func checkCSPSafe(t *testing.T, what, body string) {
	t.Helper()
	lower := strings.ToLower(body)
	for _, bad := range []string{" style=", "<style", "javascript:"} {
		if strings.Contains(lower, bad) {
			t.Errorf("%s: page contains %q", what, bad)
		}
	}
	for _, tag := range regexp.MustCompile(`(?i)<script\b[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(strings.ToLower(tag), " src=") {
			t.Errorf("%s: inline script %s", what, tag)
		}
	}
	if m := regexp.MustCompile(`(?i)<[^>]*\son[a-z]+\s*=`).FindString(body); m != "" {
		t.Errorf("%s: inline event handler in %s", what, m)
	}
}

func want(t *testing.T, p page, status int, contains ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d (Location %q), want %d; body:\n%s", p.status, p.loc, status, p.body)
	}
	for _, s := range contains {
		if !strings.Contains(p.body, s) {
			t.Errorf("page lacks %q; body:\n%s", s, p.body)
		}
	}
}

func wantRedirect(t *testing.T, p page, to string) {
	t.Helper()
	if p.status != http.StatusSeeOther || p.loc != to {
		t.Fatalf("got %d to %q, want 303 to %q; body:\n%s", p.status, p.loc, to, p.body)
	}
}

// signup creates an account through the sign-up form and leaves b logged in.
func (b *browser) signup(email, name, brandName string) page {
	b.env.t.Helper()
	p := b.post("/signup", "email", email, "password", "correct horse battery", "name", name, "brand", brandName, "return", "/app")
	wantRedirect(b.env.t, p, "/app")
	return b.follow(p)
}

// login logs in through the login form (for accounts without MFA).
func (b *browser) login(email, password string) {
	b.env.t.Helper()
	wantRedirect(b.env.t, b.post("/login", "email", email, "password", password, "return", "/app"), "/app")
}

// mailed returns the token of the last link to path mailed to addr.
func (e *pageEnv) mailed(addr, path string) string {
	e.t.Helper()
	var text string
	err := e.db.QueryRowContext(context.Background(), `SELECT body_text FROM email_outbox WHERE to_addr = $1 AND body_text LIKE $2
		ORDER BY created_at DESC LIMIT 1`, addr, "%"+path+"%").Scan(&text)
	if err != nil {
		e.t.Fatalf("no email to %s with %s: %v", addr, path, err)
	}
	m := regexp.MustCompile(regexp.QuoteMeta(path) + `\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(text)
	if m == nil {
		e.t.Fatalf("email to %s has no %s link:\n%s", addr, path, text)
	}
	return m[1]
}

func (e *pageEnv) userID(email string) string {
	e.t.Helper()
	var id string
	if err := e.db.QueryRowContext(context.Background(), `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func find(t *testing.T, body, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page has no match for %s:\n%s", pattern, body)
	}
	return m[1]
}

// totp computes an RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) independently
// of the auth package, so the test would catch a wrong implementation.
func totp(t *testing.T, secret string, at time.Time) string {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[19] & 0x0f
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[off:])&0x7fffffff)%1000000)
}

func TestPageSignupLoginLogout(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser()
	want(t, b.get("/signup"), http.StatusOK, `action="/signup"`, `name="brand"`)

	// Errors come back next to their fields, with what was typed but never the password.
	p := b.post("/signup", "email", "zoe@example.com", "password", "short", "name", "Zoé", "brand", "Acme Mugs")
	want(t, p, http.StatusBadRequest, "must be at least 10 characters", `value="zoe@example.com"`, `value="Acme Mugs"`)
	if strings.Contains(p.body, `value="short"`) {
		t.Error("the password was put back into the form")
	}

	home := b.signup("zoe@example.com", "Zoé", "Acme Mugs")
	want(t, home, http.StatusOK, "<h1>Acme Mugs</h1>", "Welcome to Luneo!", "confirm your email", `action="/logout"`, `href="/app/audit"`)
	if again := b.get("/app"); strings.Contains(again.body, "Welcome to Luneo!") {
		t.Error("the flash message was shown twice")
	}
	want(t, b.get("/app/account"), http.StatusOK, "zoe@example.com", "this device")

	// Logging out revokes the session, not just the cookie.
	u, _ := url.Parse(e.url)
	var old string
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == httpx.AccessCookie {
			old = c.Value
		}
	}
	wantRedirect(t, b.post("/logout"), "/")
	wantRedirect(t, b.get("/app"), "/api/auth/refresh?return=%2Fapp")
	replay := e.browser().do(http.MethodGet, "/app", nil, "Cookie", httpx.AccessCookie+"="+old)
	wantRedirect(t, replay, "/api/auth/refresh?return=%2Fapp")

	// A wrong password keeps the email; the right one goes where asked.
	p = b.post("/login", "email", "zoe@example.com", "password", "not my password", "return", "/app/team")
	want(t, p, http.StatusUnauthorized, "The email or password is wrong", `value="zoe@example.com"`, `value="/app/team"`)
	if strings.Contains(p.body, "not my password") {
		t.Error("the password was put back into the form")
	}
	wantRedirect(t, b.post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", "/app/team"), "/app/team")
	wantRedirect(t, b.get("/login"), "/app") // already logged in

	// Redirects never leave the site.
	b2 := e.browser()
	wantRedirect(t, b2.post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", "//evil.example"), "/app")

	// Forms from another site are refused.
	evil := b.do(http.MethodPost, "/logout", url.Values{}, "Origin", "https://evil.example")
	want(t, evil, http.StatusForbidden, "cross-site request refused")
}

func TestPageAuthRedirects(t *testing.T) {
	e := newPageEnv(t)
	anon := e.browser()
	p := anon.get("/app/team?x=1")
	wantRedirect(t, p, "/api/auth/refresh?return=%2Fapp%2Fteam%3Fx%3D1")
	p = anon.get(p.loc)
	wantRedirect(t, p, "/login?return=%2Fapp%2Fteam%3Fx%3D1")
	want(t, anon.get(p.loc), http.StatusOK, `name="return" value="/app/team?x=1"`, `href="/forgot-password"`)
	wantRedirect(t, anon.get("/login/mfa"), "/login")

	// An expired access cookie is renewed with the refresh cookie on the way.
	b := e.browser()
	b.signup("zoe@example.com", "Zoé", "Acme Mugs")
	u, _ := url.Parse(e.url)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: httpx.AccessCookie, Value: "expired", Path: "/", MaxAge: -1}})
	p = b.get("/app/brand")
	wantRedirect(t, p, "/api/auth/refresh?return=%2Fapp%2Fbrand")
	want(t, b.follow(p), http.StatusOK, "Brand settings", `value="Acme Mugs"`)

	// Logging out with an expired access cookie renews it first, then asks again.
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: httpx.AccessCookie, Value: "expired", Path: "/"}})
	p = b.post("/logout")
	wantRedirect(t, p, "/api/auth/refresh?return=/logout")
	want(t, b.follow(p), http.StatusOK, "Log out of Luneo on this device?")
}

func TestFlashCookie(t *testing.T) {
	s := &Server{}
	w := httptest.NewRecorder()
	long := strings.Repeat("é", 400)
	s.redirectFlash(w, httptest.NewRequest(http.MethodPost, "/app/team", nil), "/app/team", long)
	r := httptest.NewRequest(http.MethodGet, "/app/team", nil)
	for _, c := range w.Result().Cookies() {
		if c.Name != flashCookie || !c.HttpOnly || c.MaxAge != 60 || c.Path != "/" || c.SameSite != http.SameSiteLaxMode {
			t.Fatalf("flash cookie %+v", c)
		}
		r.AddCookie(c)
	}
	w = httptest.NewRecorder()
	got := s.takeFlash(w, r)
	if !strings.HasSuffix(got, "é…") || len(got) > maxFlash {
		t.Errorf("flash %q (%d bytes), want it cut to %d bytes on a character boundary", got, len(got), maxFlash)
	}
	if c := w.Result().Cookies(); len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("shown flash not deleted: %+v", c)
	}
}

func TestPageEmailLinks(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser()
	b.signup("zoe@example.com", "Zoé", "Acme Mugs")

	// Opening the link (as a mail scanner does) confirms nothing; the button does.
	token := e.mailed("zoe@example.com", "/confirm-email")
	want(t, b.get("/confirm-email?token="+token), http.StatusOK, `action="/confirm-email"`, `value="`+token+`"`)
	want(t, b.get("/app"), http.StatusOK, "Send the link again")
	want(t, b.post("/confirm-email", "token", "wrong"), http.StatusBadRequest, "invalid or has expired")
	p := b.post("/confirm-email", "token", token)
	wantRedirect(t, p, "/app")
	home := b.follow(p)
	want(t, home, http.StatusOK, "your email address is confirmed")
	if strings.Contains(home.body, "Send the link again") {
		t.Error("the unconfirmed banner is still shown")
	}

	// Forgotten password: same answer for unknown addresses, then a reset.
	anon := e.browser()
	want(t, anon.follow(anon.post("/forgot-password", "email", "nobody@example.com")), http.StatusOK, "If nobody@example.com has a Luneo account")
	want(t, anon.follow(anon.post("/forgot-password", "email", "zoe@example.com")), http.StatusOK, "If zoe@example.com has a Luneo account")
	token = e.mailed("zoe@example.com", "/reset-password")
	want(t, anon.get("/reset-password?token="+token), http.StatusOK, `action="/reset-password"`)
	want(t, anon.post("/reset-password", "token", token, "password", "short"), http.StatusBadRequest, "at least 10 characters", `value="`+token+`"`)
	p = anon.post("/reset-password", "token", token, "password", "a brand new passphrase")
	wantRedirect(t, p, "/login")
	want(t, anon.follow(p), http.StatusOK, "Your password has been changed")
	anon.login("zoe@example.com", "a brand new passphrase")
	// The reset ended every other session.
	wantRedirect(t, b.get("/app"), "/api/auth/refresh?return=%2Fapp")
}

func TestPageTeamInvitation(t *testing.T) {
	e := newPageEnv(t)
	owner := e.browser()
	owner.signup("zoe@example.com", "Zoé", "Acme Mugs")
	want(t, owner.post("/app/team/invite", "email", "not an email", "role", "viewer"), http.StatusBadRequest, `value="not an email"`)
	p := owner.post("/app/team/invite", "email", "bob@example.com", "role", "viewer")
	wantRedirect(t, p, "/app/team")
	want(t, owner.follow(p), http.StatusOK, "We sent an invitation to bob@example.com", "<td>bob@example.com</td>")
	token := e.mailed("bob@example.com", "/invitations/accept")

	// Not logged in: through login, back to the invitation.
	anon := e.browser()
	p = anon.follow(anon.get("/invitations/accept?token=" + token))
	want(t, p, http.StatusOK, `name="return" value="/invitations/accept?token=`+token+`"`)

	bob := e.browser()
	bob.signup("bob@example.com", "Bob", "Bob Prints")
	want(t, bob.get("/invitations/accept?token="+token), http.StatusOK, "Accept the invitation", `value="`+token+`"`)
	p = bob.post("/invitations/accept", "token", token)
	wantRedirect(t, p, "/app")
	home := bob.follow(p)
	want(t, home, http.StatusOK, "Welcome to Acme Mugs: you joined as viewer", "<h1>Acme Mugs</h1>", `action="/app/switch-brand"`)
	want(t, bob.post("/invitations/accept", "token", token), http.StatusNotFound, "already used")

	// A viewer sees the team but cannot manage it, keys or the audit log.
	team := bob.get("/app/team")
	want(t, team, http.StatusOK, "zoe@example.com", "Leave this brand")
	if strings.Contains(team.body, "Invite someone") || strings.Contains(team.body, "/api-keys") {
		t.Error("a viewer is offered team management or API keys")
	}
	want(t, bob.get("/app/api-keys"), http.StatusForbidden, "your role (viewer) does not allow apikeys:manage")
	want(t, bob.post("/app/api-keys", "name", "x", "scopes", "brand:read"), http.StatusForbidden)
	want(t, bob.get("/app/audit"), http.StatusForbidden)
	want(t, bob.post("/app/brand", "name", "Hijacked"), http.StatusForbidden)

	// The owner changes Bob's role; the last owner cannot be demoted.
	bobID, zoeID := e.userID("bob@example.com"), e.userID("zoe@example.com")
	want(t, owner.follow(owner.post("/app/team/members/"+bobID+"/role", "role", "admin")), http.StatusOK, "The role is now admin")
	want(t, bob.get("/app/api-keys"), http.StatusOK, "Create a key")
	want(t, bob.post("/app/team/members/"+zoeID+"/role", "role", "viewer"), http.StatusForbidden, "only owners")

	// Switching back to Bob's own brand.
	var own string
	_ = e.db.QueryRowContext(context.Background(), `SELECT id FROM brands WHERE name = 'Bob Prints'`).Scan(&own)
	p = bob.post("/app/switch-brand", "brand_id", own)
	wantRedirect(t, p, "/app")
	want(t, bob.follow(p), http.StatusOK, "You are now working on Bob Prints.", "<h1>Bob Prints</h1>")
}

func TestPageAPIKeys(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser()
	b.signup("zoe@example.com", "Zoé", "Acme Mugs")
	want(t, b.get("/app/api-keys"), http.StatusOK, "No API keys yet.", `value="products:write"`)
	p := b.post("/app/api-keys", "name", "ERP sync")
	want(t, p, http.StatusBadRequest, "choose at least one scope", `value="ERP sync"`)

	p = b.post("/app/api-keys", "name", "ERP sync", "scopes", "brand:read", "scopes", "orders:read")
	want(t, p, http.StatusOK, "this is the only time it is shown")
	secret := find(t, p.body, `<code class="secret">(lk_[A-Za-z0-9_-]+)</code>`)
	list := b.get("/app/api-keys")
	want(t, list, http.StatusOK, "ERP sync", "orders:read")
	if strings.Contains(list.body, secret) {
		t.Error("the secret is shown again")
	}

	// The key works for programs until it is revoked.
	api := e.browser()
	want(t, api.do(http.MethodGet, "/api/brand", nil, "Authorization", "Bearer "+secret), http.StatusOK, "Acme Mugs")
	id := find(t, list.body, `action="/app/api-keys/([^/"]+)/revoke"`)
	want(t, b.follow(b.post("/app/api-keys/"+id+"/revoke")), http.StatusOK, "The API key has been revoked", "revoked")
	want(t, api.do(http.MethodGet, "/api/brand", nil, "Authorization", "Bearer "+secret), http.StatusUnauthorized)
}

func TestPageMFA(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser()
	b.signup("zoe@example.com", "Zoé", "Acme Mugs")
	p := b.post("/app/account/mfa/setup")
	want(t, p, http.StatusOK, `src="data:image/png;base64,`, `href="otpauth://totp/`)
	secret := find(t, p.body, `<code class="secret">([A-Z2-7]+)</code>`)

	p = b.post("/app/account/mfa/confirm", "code", "000000")
	want(t, p, http.StatusUnauthorized, "The code is wrong", `action="/app/account/mfa/confirm"`)
	now := time.Now()
	p = b.post("/app/account/mfa/confirm", "code", totp(t, secret, now))
	want(t, p, http.StatusOK, "Two-factor authentication is on.", "shown only this once")
	codes := regexp.MustCompile(`<li><code>([a-z0-9-]{14})</code></li>`).FindAllStringSubmatch(p.body, -1)
	if len(codes) != 10 {
		t.Fatalf("%d backup codes shown, want 10", len(codes))
	}
	if again := b.get("/app/account"); strings.Contains(again.body, codes[0][1]) || !strings.Contains(again.body, "Turn off") {
		t.Error("backup codes shown again, or MFA not shown as on")
	}

	// Logging in now takes a second step, with the token in a hidden field.
	wantRedirect(t, b.post("/logout"), "/")
	p = b.post("/login", "email", "zoe@example.com", "password", "correct horse battery", "return", "/app/account")
	want(t, p, http.StatusOK, `action="/login/mfa"`, `name="return" value="/app/account"`)
	token := find(t, p.body, `name="mfa_token" value="([^"]+)"`)
	want(t, b.post("/login/mfa", "mfa_token", token, "code", "123456", "return", "/app/account"), http.StatusUnauthorized, "The code is wrong", `value="`+token+`"`)
	// The step the enrolment used is spent; the next one (within the drift window) works.
	wantRedirect(t, b.post("/login/mfa", "mfa_token", token, "code", totp(t, secret, now.Add(30*time.Second)), "return", "/app/account"), "/app/account")

	// A backup code works once.
	other := e.browser()
	p = other.post("/login", "email", "zoe@example.com", "password", "correct horse battery")
	token = find(t, p.body, `name="mfa_token" value="([^"]+)"`)
	wantRedirect(t, other.post("/login/mfa", "mfa_token", token, "code", codes[0][1]), "/app")
}

func TestPageBrandAndAudit(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser()
	b.signup("zoe@example.com", "Zoé", "Acme Mugs")
	want(t, b.post("/app/brand", "name", " "), http.StatusBadRequest, "must be 1 to 120 characters")
	p := b.post("/app/brand", "name", "Acme Cups")
	wantRedirect(t, p, "/app/brand")
	want(t, b.follow(p), http.StatusOK, "The brand is now called Acme Cups.", `value="Acme Cups"`)

	log := b.get("/app/audit")
	want(t, log, http.StatusOK, "<code>signup</code>", "<code>brand_updated</code>", "name: Acme Cups", "zoe@example.com")
	// Logins are the person's, shown on their account page (audit_scope_test.go).
	want(t, b.get("/app/account"), http.StatusOK, "<code>login_ok</code>")
	want(t, b.get("/app/audit?before=yesterday"), http.StatusBadRequest, "RFC 3339")
	want(t, b.get("/app/audit?before=2000-01-01T00:00:00Z"), http.StatusOK, "No events")
}

// TestPagesRenderLive opens every page as a logged-in owner and as a
// visitor; do checks each for inline styles and scripts.
func TestPagesRenderLive(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser()
	b.signup("zoe@example.com", "Zoé", "Acme Mugs")
	for _, path := range []string{"/app", "/app/account", "/app/brand", "/app/team", "/app/api-keys", "/app/audit",
		"/logout", "/invitations/accept?token=abc", "/invitations/accept", "/reset-password", "/confirm-email"} {
		want(t, b.get(path), http.StatusOK, `action="/logout"`)
	}
	anon := e.browser()
	for _, path := range []string{"/signup", "/login", "/forgot-password", "/reset-password?token=abc", "/confirm-email?token=abc", "/app/nothing"} {
		p := anon.get(path)
		if p.status != http.StatusOK && p.status != http.StatusNotFound {
			t.Errorf("%s: status %d", path, p.status)
		}
	}
	wantRedirect(t, anon.get("/logout"), "/")
}
