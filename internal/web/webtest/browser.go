package webtest

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Browser is a cookie-keeping client that, like a test should, sees every
// redirect instead of following it, and checks every page it gets against
// what the Content-Security-Policy would block.
type Browser struct {
	env *Env
	c   *http.Client
}

// Page is one answer as a browser got it.
type Page struct {
	Status   int
	Location string
	Header   http.Header
	Body     string
}

// Browser returns a new browser with no cookies.
func (e *Env) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{env: e, c: client(jar)}
}

// Cookies returns the cookies the browser would send to path.
func (b *Browser) Cookies(path string) []*http.Cookie {
	u, _ := url.Parse(b.env.URL + path)
	return b.c.Jar.Cookies(u)
}

// Do sends a request as a browser navigating or posting a form (from our
// own origin); hdr are extra header name/value pairs.
func (b *Browser) Do(method, path string, form url.Values, hdr ...string) Page {
	t := b.env.T
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.env.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", b.env.URL)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return b.send(req, method+" "+path)
}

// Get navigates to path.
func (b *Browser) Get(path string) Page { b.env.T.Helper(); return b.Do(http.MethodGet, path, nil) }

// Post submits a form of name/value pairs to path.
func (b *Browser) Post(path string, kv ...string) Page {
	b.env.T.Helper()
	form := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Add(kv[i], kv[i+1])
	}
	return b.Do(http.MethodPost, path, form)
}

// Follow follows redirects with GETs, as a browser does after a 303.
func (b *Browser) Follow(p Page) Page {
	b.env.T.Helper()
	for i := 0; p.Status >= 300 && p.Status < 400; i++ {
		if i == 10 {
			b.env.T.Fatalf("redirect loop at %s", p.Location)
		}
		p = b.Get(p.Location)
	}
	return p
}

// Signup creates an account through the sign-up form and leaves b logged
// in, on the dashboard home.
func (b *Browser) Signup(email, name, brandName string) Page {
	b.env.T.Helper()
	p := b.Post("/signup", "email", email, "password", Password, "name", name, "brand", brandName, "return", "/app")
	WantRedirect(b.env.T, p, "/app")
	return b.Follow(p)
}

// Login logs in through the login form (for accounts without MFA).
func (b *Browser) Login(email, password string) {
	b.env.T.Helper()
	WantRedirect(b.env.T, b.Post("/login", "email", email, "password", password, "return", "/app"), "/app")
}

// Mailed returns the token of the last link to path mailed to addr.
func (e *Env) Mailed(addr, path string) string {
	e.T.Helper()
	var text string
	err := e.DB.QueryRowContext(context.Background(), `SELECT body_text FROM email_outbox WHERE to_addr = $1 AND body_text LIKE $2
		ORDER BY created_at DESC LIMIT 1`, addr, "%"+path+"%").Scan(&text)
	if err != nil {
		e.T.Fatalf("no email to %s with %s: %v", addr, path, err)
	}
	m := regexp.MustCompile(regexp.QuoteMeta(path) + `\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(text)
	if m == nil {
		e.T.Fatalf("email to %s has no %s link:\n%s", addr, path, text)
	}
	return m[1]
}

// UserID returns the ID of the user with email.
func (e *Env) UserID(email string) string {
	e.T.Helper()
	var id string
	if err := e.DB.QueryRowContext(context.Background(), `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
		e.T.Fatal(err)
	}
	return id
}

// Want fails unless p has status and its body holds every string.
func Want(t *testing.T, p Page, status int, contains ...string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d (Location %q), want %d; body:\n%s", p.Status, p.Location, status, p.Body)
	}
	for _, s := range contains {
		if !strings.Contains(p.Body, s) {
			t.Errorf("page lacks %q; body:\n%s", s, p.Body)
		}
	}
}

// WantRedirect fails unless p is a 303 to to.
func WantRedirect(t *testing.T, p Page, to string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.Location != to {
		t.Fatalf("got %d to %q, want 303 to %q; body:\n%s", p.Status, p.Location, to, p.Body)
	}
}

// Find returns the first submatch of pattern in body, failing without one.
func Find(t *testing.T, body, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page has no match for %s:\n%s", pattern, body)
	}
	return m[1]
}
