package dashboard_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/oidc"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/dashboard"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/webtest"
)

// oidcApp is the whole server over a real database, wired as cmd/luneo does,
// with mockoidc as the generic provider and a fake GitHub.
type oidcApp struct {
	t     *testing.T
	url   string
	auth  *auth.Service
	mock  *mockoidc.MockOIDC
	db    *db.DB
	clock *webtest.Clock
}

func newOIDCApp(t *testing.T) *oidcApp {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	gh := fakeGitHub(t)
	c := m.Config()
	vars := map[string]string{"LUNEO_OIDC_ISSUER": c.Issuer, "LUNEO_OIDC_CLIENT_ID": c.ClientID, "LUNEO_OIDC_CLIENT_SECRET": c.ClientSecret,
		"LUNEO_OIDC_NAME": "Acme SSO", "LUNEO_GITHUB_CLIENT_ID": "gh-id", "LUNEO_GITHUB_CLIENT_SECRET": "gh-secret"}
	e := webtest.Start(t, func(e *webtest.Env, d *web.Deps) {
		providers, err := oidc.FromEnv(context.Background(), func(k string) string { return vars[k] }, e.URL, nil,
			oidc.WithGitHubEndpoints(gh.URL+"/login/oauth/authorize", gh.URL+"/login/oauth/access_token", gh.URL))
		if err != nil {
			t.Fatal(err)
		}
		d.OIDC = &dashboard.OIDC{Providers: providers, KV: e.KV}
	})
	return &oidcApp{t: t, url: e.URL, auth: e.App.Auth, mock: m, db: e.DB, clock: e.Clock}
}

// fakeGitHub plays GitHub: consent (at once), the token endpoint with its
// PKCE check, and the user and email API.
func fakeGitHub(t *testing.T) *httptest.Server {
	challenges := map[string]string{} // code → PKCE challenge
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/oauth/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		challenges["gh-code"] = q.Get("code_challenge")
		http.Redirect(w, r, q.Get("redirect_uri")+"?code=gh-code&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	})
	mux.HandleFunc("POST /login/oauth/access_token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.PostFormValue("client_secret") != "gh-secret" || oauth2.S256ChallengeFromVerifier(r.PostFormValue("code_verifier")) != challenges[r.PostFormValue("code")] {
			_, _ = io.WriteString(w, `{"error":"bad_verification_code"}`)
			return
		}
		_, _ = io.WriteString(w, `{"access_token":"gho_1","token_type":"bearer"}`)
	})
	mux.HandleFunc("GET /user", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"id":4242,"login":"octo","name":"Octo Cat"}`)
	})
	mux.HandleFunc("GET /user/emails", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `[{"email":"octo@example.com","primary":true,"verified":true}]`)
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// browser is an http.Client with cookies that follows redirects through the
// provider and back into our callback, and stops at whatever comes after.
func (a *oidcApp) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), a.url) && !strings.HasPrefix(r.URL.Path, "/auth/oidc/") {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

func (a *oidcApp) get(b *http.Client, path string) *http.Response {
	a.t.Helper()
	resp, err := b.Get(a.url + path)
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// send makes an API call from our own origin (as the dashboard does).
func (a *oidcApp) send(b *http.Client, method, path, body string) *http.Response {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.url+path, strings.NewReader(body))
	req.Header.Set("Origin", a.url)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// login runs the whole browser flow and expects the redirect back to want.
func (a *oidcApp) login(b *http.Client, provider, query, want string) {
	a.t.Helper()
	resp := a.get(b, "/auth/oidc/"+provider+"/start"+query)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != want {
		body, _ := io.ReadAll(resp.Body)
		a.t.Fatalf("login with %s: %s to %q, want %q: %s", provider, resp.Status, loc, want, body)
	}
}

// me returns the logged-in user's ID and email.
func (a *oidcApp) me(b *http.Client) (id, email string) {
	a.t.Helper()
	resp := a.get(b, "/api/auth/me")
	var out struct{ User auth.User }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		a.t.Fatalf("me: %s %v", resp.Status, err)
	}
	return out.User.ID, out.User.Email
}

// problem expects an error answer with status and a detail containing want.
func (a *oidcApp) problem(resp *http.Response, status int, want string) {
	a.t.Helper()
	var p httpx.Problem
	_ = json.NewDecoder(resp.Body).Decode(&p)
	if resp.StatusCode != status || !strings.Contains(p.Detail, want) {
		a.t.Fatalf("got %s %q, want %d %q", resp.Status, p.Detail, status, want)
	}
}

// adaCreds are the password credentials that register creates.
const adaCreds = `{"email":"ada@example.com","password":"a long enough passphrase 42"}`

// register signs Ada up with a password and returns her user ID.
func (a *oidcApp) register() string {
	a.t.Helper()
	resp := a.send(http.DefaultClient, "POST", "/api/auth/register",
		`{"email":"ada@example.com","password":"a long enough passphrase 42","name":"Ada","brand":"Ada's shop"}`)
	var out struct{ User auth.User }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		a.t.Fatalf("register: %s %v", resp.Status, err)
	}
	return out.User.ID
}

func (a *oidcApp) queue(sub, email string) {
	a.mock.QueueUser(&mockoidc.MockUser{Subject: sub, Email: email, EmailVerified: true, PreferredUsername: "ada"})
}

func TestOIDCLoginFlow(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	a.queue("sub-1", "ada@example.com")
	b := a.browser()
	a.login(b, "oidc", "?return=/app/brand", "/app/brand")
	id, email := a.me(b)
	if email != "ada@example.com" {
		t.Fatalf("logged in as %s", email)
	}
	// The same identity logs into the same user, and the default return is /app.
	a.queue("sub-1", "ada@example.com")
	b2 := a.browser()
	a.login(b2, "oidc", "?return=//evil.example", "/app")
	if again, _ := a.me(b2); again != id {
		t.Fatalf("second login made user %s, first was %s", again, id)
	}
	if list, _ := a.auth.Identities(context.Background(), id); len(list) != 1 || list[0].Provider != "oidc" {
		t.Fatalf("identities %+v", list)
	}
}

func TestOIDCLinksExistingPasswordAccount(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	userID := a.register()
	// A confirmed account keeps its password when a login is linked to it
	// (an unconfirmed one does not: see takeover_test.go).
	if _, err := a.db.ExecContext(context.Background(), `UPDATE users SET email_confirmed_at = $2 WHERE id = $1`, userID, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	a.queue("sub-1", "Ada@Example.com")
	b := a.browser()
	a.login(b, "oidc", "", "/app")
	if id, _ := a.me(b); id != userID {
		t.Fatalf("verified email made a new user %s instead of linking %s", id, userID)
	}
	// The password still works: linking added a login, it replaced nothing.
	if resp := a.send(a.browser(), "POST", "/api/auth/login", adaCreds); resp.StatusCode != http.StatusOK {
		t.Fatalf("password login: %s", resp.Status)
	}
	// An unverified email proves nothing and is refused.
	a.mock.QueueUser(&mockoidc.MockUser{Subject: "sub-2", Email: "ada@example.com"})
	a.problem(a.get(a.browser(), "/auth/oidc/oidc/start"), http.StatusForbidden, "did not confirm an email")
}

func TestOIDCGitHubLogin(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	b := a.browser()
	a.login(b, "github", "", "/app")
	if _, email := a.me(b); email != "octo@example.com" {
		t.Fatalf("logged in as %s", email)
	}
}

// startOnly starts a login and returns the callback URL the provider sends
// back, without visiting it.
func (a *oidcApp) startOnly(b *http.Client, provider string) string {
	a.t.Helper()
	saved := b.CheckRedirect
	defer func() { b.CheckRedirect = saved }()
	b.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
		if strings.Contains(r.URL.Path, "/callback") {
			return http.ErrUseLastResponse
		}
		return nil
	}
	loc := a.get(b, "/auth/oidc/"+provider+"/start").Header.Get("Location")
	if !strings.Contains(loc, "/auth/oidc/"+provider+"/callback?") {
		a.t.Fatalf("provider sent the browser to %q", loc)
	}
	return loc
}

func TestOIDCCallbackRefusals(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	b := a.browser()
	cb := a.startOnly(b, "oidc")
	u, _ := url.Parse(cb)
	state := u.Query().Get("state")

	// Another browser cannot use it, and burns it: neither one without a
	// state cookie nor one in the middle of its own login.
	a.problem(a.get(a.browser(), strings.TrimPrefix(cb, a.url)), http.StatusForbidden, "another browser")
	a.problem(a.get(b, strings.TrimPrefix(cb, a.url)), http.StatusUnauthorized, "already used")
	cb2 := a.startOnly(b, "oidc")
	c := a.browser()
	a.startOnly(c, "oidc")
	a.problem(a.get(c, strings.TrimPrefix(cb2, a.url)), http.StatusForbidden, "another browser")

	// Replaying a successful callback fails, even with the state cookie back.
	cb = a.startOnly(b, "oidc")
	if resp := a.get(b, strings.TrimPrefix(cb, a.url)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: %s", resp.Status)
	}
	u, _ = url.Parse(cb)
	b.Jar.SetCookies(u, []*http.Cookie{{Name: "luneo_oidc", Value: u.Query().Get("state"), Path: "/auth/oidc/"}})
	a.problem(a.get(b, strings.TrimPrefix(cb, a.url)), http.StatusUnauthorized, "already used")

	// A state started for GitHub is no good at the OIDC callback.
	gh, _ := url.Parse(a.startOnly(b, "github"))
	a.problem(a.get(b, "/auth/oidc/oidc/callback?"+gh.RawQuery), http.StatusBadRequest, "started with github")

	// The user said no at the provider.
	u, _ = url.Parse(a.startOnly(b, "oidc"))
	a.problem(a.get(b, "/auth/oidc/oidc/callback?error=access_denied&state="+u.Query().Get("state")), http.StatusForbidden, "did not allow")

	// Unknown, missing and made-up states.
	a.problem(a.get(b, "/auth/oidc/oidc/callback?code=x&state="+state), http.StatusUnauthorized, "expired")
	a.problem(a.get(b, "/auth/oidc/oidc/callback?code=x"), http.StatusBadRequest, "no state")
}

func TestOIDCUnknownProvider(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	for _, path := range []string{"/auth/oidc/nope/start", "/auth/oidc/nope/callback?code=x&state=y"} {
		a.problem(a.get(a.browser(), path), http.StatusNotFound, "no login provider")
	}
	// Without any configuration the routes exist but know no provider.
	e := webtest.Start(t)
	if rec := webtest.Do(e.Server, "GET", "/auth/oidc/google/start", nil, nil); rec.Code != http.StatusNotFound {
		t.Fatalf("unconfigured: %d", rec.Code)
	}
	if links := (*dashboard.OIDC)(nil).Links(); links != nil {
		t.Fatalf("links without configuration: %v", links)
	}
}

func TestOIDCLinkAndUnlink(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	a.register()
	// Linking needs a logged-in user.
	a.problem(a.get(a.browser(), "/auth/oidc/oidc/start?link=1"), http.StatusUnauthorized, "log in first")

	b := a.browser()
	if resp := a.send(b, "POST", "/api/auth/login", adaCreds); resp.StatusCode != http.StatusOK {
		t.Fatalf("password login: %s", resp.Status)
	}
	userID, _ := a.me(b)
	a.queue("corp-7", "ada@corp.example") // another email: linked all the same
	a.login(b, "oidc", "?link=1", "/app/account")
	a.queue("corp-7", "ada@corp.example")
	b2 := a.browser()
	a.login(b2, "oidc", "", "/app")
	if id, _ := a.me(b2); id != userID {
		t.Fatalf("linked identity logged into %s, not %s", id, userID)
	}
	// The same provider account cannot be linked to a second user.
	other := a.browser()
	a.queue("other-1", "bob@example.com")
	a.login(other, "oidc", "", "/app")
	a.queue("corp-7", "ada@corp.example")
	a.problem(a.get(other, "/auth/oidc/oidc/start?link=1"), http.StatusConflict, "already linked")

	if resp := a.send(b, "DELETE", "/api/auth/identities/oidc", ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("unlink: %s", resp.Status)
	}
	if resp := a.send(a.browser(), "POST", "/api/auth/login", adaCreds); resp.StatusCode != http.StatusOK {
		t.Fatalf("password login after unlink: %s", resp.Status)
	}
	// Unlinked, the provider account is a stranger again: it gets its own user.
	a.queue("corp-7", "ada@corp.example")
	b3 := a.browser()
	a.login(b3, "oidc", "", "/app")
	if id, _ := a.me(b3); id == userID {
		t.Fatal("unlinked identity still logs into the old user")
	}
}

var mfaTokenField = regexp.MustCompile(`name="mfa_token" value="([^"]+)"`)

func TestOIDCLoginWithMFA(t *testing.T) {
	t.Parallel()
	a := newOIDCApp(t)
	ctx := context.Background()
	a.queue("sub-1", "ada@example.com")
	b := a.browser()
	a.login(b, "oidc", "", "/app")
	// The session the external login just made turns MFA on: it proved who
	// it is a moment ago.
	u, _ := url.Parse(a.url)
	var access string
	for _, c := range b.Jar.Cookies(u) {
		if c.Name == httpx.AccessCookie {
			access = c.Value
		}
	}
	p, err := a.auth.Authenticate(ctx, access)
	if err != nil {
		t.Fatal(err)
	}
	enroll, err := a.auth.BeginMFA(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	backup, err := a.auth.ConfirmMFA(ctx, p, totpNow(t, enroll.Secret))
	if err != nil {
		t.Fatal(err)
	}
	// The provider is the first factor only: the second-factor step follows.
	a.queue("sub-1", "ada@example.com")
	b2 := a.browser()
	resp := a.get(b2, "/auth/oidc/oidc/start")
	page, _ := io.ReadAll(resp.Body)
	m := mfaTokenField.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("no MFA step: %s %s", resp.Status, page)
	}
	if r := a.get(b2, "/api/auth/me"); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("logged in before the second factor: %s", r.Status)
	}
	body, _ := json.Marshal(map[string]string{"mfa_token": html.UnescapeString(string(m[1])), "code": backup[0]})
	if r := a.send(b2, "POST", "/api/auth/login/mfa", string(body)); r.StatusCode != http.StatusOK {
		t.Fatalf("second factor: %s", r.Status)
	}
	if got, _ := a.me(b2); got != p.UserID {
		t.Fatalf("logged in as %s", got)
	}
}

// totpNow computes the current RFC 6238 code (SHA-1, 6 digits, 30 s) for a
// base32 secret, as an authenticator app would.
func totpNow(t *testing.T, secret string) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatal(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(time.Now().Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[off:off+4])&0x7fffffff)%1_000_000)
}

func TestOIDCLinks(t *testing.T) {
	t.Parallel()
	ps, err := oidc.FromEnv(context.Background(), func(k string) string {
		return map[string]string{"LUNEO_GOOGLE_CLIENT_ID": "g", "LUNEO_GOOGLE_CLIENT_SECRET": "s", "LUNEO_OIDC_ISSUER": "https://sso.example.com",
			"LUNEO_OIDC_CLIENT_ID": "o", "LUNEO_OIDC_CLIENT_SECRET": "s"}[k]
	}, "https://luneo.example", nil)
	if err != nil {
		t.Fatal(err)
	}
	links := (&dashboard.OIDC{Providers: ps}).Links()
	want := []dashboard.ProviderLink{
		{Name: "google", Display: "Google", StartURL: "/auth/oidc/google/start", LinkURL: "/auth/oidc/google/start?link=1"},
		{Name: "oidc", Display: "Single sign-on", StartURL: "/auth/oidc/oidc/start", LinkURL: "/auth/oidc/oidc/start?link=1"},
	}
	if len(links) != len(want) || links[0] != want[0] || links[1] != want[1] {
		t.Fatalf("links %+v", links)
	}
}
