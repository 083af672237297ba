package web

// The helpers of the dashboard's tests that moved to internal/web/dashboard
// (package dashboard_test, on webtest), kept for the tests still here; the
// lead deletes this file with the rest of the legacy root.

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
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
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

// corpusMissing skips the test when the shared corpus (../shared/corpus
// from the repository root) is absent, or fails it when LUNEO_TEST_CORPUS
// is set, as CI does: there a missing corpus must not quietly turn the
// real-world checks into skips.
func corpusMissing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("LUNEO_TEST_CORPUS") != "" {
		t.Fatalf("LUNEO_TEST_CORPUS is set but "+format, args...)
	}
	t.Skipf(format, args...)
}
