package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"github.com/luneo/luneo/internal/apperr"
)

const testBase = "https://luneo.test"

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// startMock runs a real OpenID Connect provider on 127.0.0.1 for the test.
func startMock(t *testing.T) *mockoidc.MockOIDC {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return m
}

// mockEnv configures the generic provider against m.
func mockEnv(m *mockoidc.MockOIDC) map[string]string {
	c := m.Config()
	return map[string]string{"LUNEO_OIDC_ISSUER": c.Issuer, "LUNEO_OIDC_CLIENT_ID": c.ClientID, "LUNEO_OIDC_CLIENT_SECRET": c.ClientSecret}
}

func mustProvider(t *testing.T, vars map[string]string, name string, client *http.Client, opts ...Option) *Provider {
	t.Helper()
	ps, err := FromEnv(context.Background(), env(vars), testBase, client, opts...)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := ps.Get(name)
	if !ok {
		t.Fatalf("provider %q not configured; have %v", name, ps.Names())
	}
	return p
}

// authorize plays the browser at the provider: it opens the consent URL and
// returns the code and state that the provider sends to our callback.
func authorize(t *testing.T, authURL string) (code, state string) {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %s, Location %q", resp.Status, resp.Header.Get("Location"))
	}
	if !strings.HasPrefix(loc.String(), testBase+"/auth/oidc/") {
		t.Fatalf("provider redirected to %s", loc)
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

func TestFromEnvNothingConfigured(t *testing.T) {
	t.Parallel()
	ps, err := FromEnv(context.Background(), env(nil), "", nil)
	if err != nil || len(ps.Names()) != 0 {
		t.Fatalf("%v %v", ps.Names(), err)
	}
	var none *Providers
	if _, ok := none.Get("google"); ok || none.Names() != nil {
		t.Fatal("nil Providers is not empty")
	}
}

func TestFromEnvHalfConfigured(t *testing.T) {
	t.Parallel()
	_, err := FromEnv(context.Background(), env(map[string]string{
		"LUNEO_GOOGLE_CLIENT_ID":     "id",
		"LUNEO_GITHUB_CLIENT_SECRET": "secret",
		"LUNEO_OIDC_ISSUER":          "https://sso.example.com",
	}), testBase, nil)
	if err == nil {
		t.Fatal("half-configured providers accepted")
	}
	for _, want := range []string{"LUNEO_GOOGLE_CLIENT_SECRET", "LUNEO_GITHUB_CLIENT_ID", "LUNEO_OIDC_CLIENT_ID, LUNEO_OIDC_CLIENT_SECRET"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s:\n%v", want, err)
		}
	}
}

func TestFromEnvBadValues(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"LUNEO_OIDC_ISSUER": "http://sso.example.com", "LUNEO_OIDC_CLIENT_ID": "id", "LUNEO_OIDC_CLIENT_SECRET": "s"}
	if _, err := FromEnv(context.Background(), env(vars), testBase, nil); err == nil || !strings.Contains(err.Error(), "LUNEO_OIDC_ISSUER") {
		t.Fatalf("plain-http remote issuer: %v", err)
	}
	vars["LUNEO_OIDC_ISSUER"] = "http://127.0.0.1:5556/dex"
	if _, err := FromEnv(context.Background(), env(vars), "", nil); err == nil || !strings.Contains(err.Error(), "base URL") {
		t.Fatalf("no base URL: %v", err)
	}
	if _, err := FromEnv(context.Background(), env(vars), testBase, nil); err != nil {
		t.Fatalf("loopback http issuer refused: %v", err)
	}
}

// countingTransport fails the first fail requests, then passes the rest on.
type countingTransport struct {
	calls, fail atomic.Int32
	next        http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if n := c.calls.Add(1); n <= c.fail.Load() || c.next == nil {
		return nil, errors.New("network is down")
	}
	return c.next.RoundTrip(r)
}

func TestStartupNeedsNoNetwork(t *testing.T) {
	t.Parallel()
	tr := &countingTransport{}
	vars := map[string]string{
		"LUNEO_GOOGLE_CLIENT_ID": "gid", "LUNEO_GOOGLE_CLIENT_SECRET": "gs",
		"LUNEO_GITHUB_CLIENT_ID": "hid", "LUNEO_GITHUB_CLIENT_SECRET": "hs",
		"LUNEO_OIDC_ISSUER": "https://sso.example.com", "LUNEO_OIDC_CLIENT_ID": "oid", "LUNEO_OIDC_CLIENT_SECRET": "os",
		"LUNEO_OIDC_NAME": "Acme SSO",
	}
	ps, err := FromEnv(context.Background(), env(vars), testBase+"/", &http.Client{Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ps.Names(), ","); got != "google,github,oidc" {
		t.Fatalf("names %s", got)
	}
	if n := tr.calls.Load(); n != 0 {
		t.Fatalf("FromEnv made %d requests", n)
	}
	g, _ := ps.Get("google")
	_, err = g.AuthCodeURL(context.Background(), "st", "no", oauth2.GenerateVerifier())
	if apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "Google") {
		t.Fatalf("unreachable Google: %v", err)
	}
	o, _ := ps.Get("oidc")
	if o.Display() != "Acme SSO" || o.Kind() != KindOIDC || o.template.RedirectURL != testBase+"/auth/oidc/oidc/callback" {
		t.Fatalf("generic provider: %q %q %q", o.Display(), o.Kind(), o.template.RedirectURL)
	}
	// GitHub needs no discovery: its consent URL is known without a request.
	h, _ := ps.Get("github")
	u, err := h.AuthCodeURL(context.Background(), "st", "", oauth2.GenerateVerifier())
	if err != nil || !strings.HasPrefix(u, githubAuthURL+"?") || !strings.Contains(u, "code_challenge_method=S256") ||
		!strings.Contains(u, url.QueryEscape(testBase+"/auth/oidc/github/callback")) {
		t.Fatalf("github URL %s %v", u, err)
	}
}

func TestOIDCLogin(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-42", Email: "ada@example.com", EmailVerified: true, PreferredUsername: "ada"})
	p := mustProvider(t, mockEnv(m), "oidc", nil)
	verifier := oauth2.GenerateVerifier()
	u, err := p.AuthCodeURL(context.Background(), "state-1", "nonce-1", verifier)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := url.Parse(u)
	if q.Query().Get("code_challenge") != oauth2.S256ChallengeFromVerifier(verifier) || q.Query().Get("nonce") != "nonce-1" ||
		!strings.Contains(q.Query().Get("scope"), "openid") {
		t.Fatalf("consent URL lacks PKCE, nonce or scope: %s", u)
	}
	code, state := authorize(t, u)
	if state != "state-1" {
		t.Fatalf("state %q", state)
	}
	id, err := p.Exchange(context.Background(), code, verifier, "nonce-1")
	if err != nil {
		t.Fatal(err)
	}
	if id.Provider != "oidc" || id.Subject != "sub-42" || id.Email != "ada@example.com" || !id.EmailVerified || id.Name != "ada" {
		t.Fatalf("identity %+v", id)
	}
	// The code is single use at the provider too.
	if _, err := p.Exchange(context.Background(), code, verifier, "nonce-1"); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("code reused: %v", err)
	}
}

func TestOIDCRefusals(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	p := mustProvider(t, mockEnv(m), "oidc", nil)
	login := func(nonce, verifier string) string {
		u, err := p.AuthCodeURL(context.Background(), "s", nonce, verifier)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := authorize(t, u)
		return code
	}
	v := oauth2.GenerateVerifier()

	code := login("right", v)
	if _, err := p.Exchange(context.Background(), code, v, "wrong"); apperr.CodeOf(err) != apperr.Unauthorized || !strings.Contains(err.Error(), "another login") {
		t.Fatalf("nonce mismatch: %v", err)
	}
	code = login("n", v)
	if _, err := p.Exchange(context.Background(), code, oauth2.GenerateVerifier(), "n"); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Fatalf("wrong PKCE verifier: %v", err)
	}
	if _, err := p.Exchange(context.Background(), "", v, "n"); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("no code: %v", err)
	}
	// A token that expired before it reached us (the provider's clock is
	// two hours behind) fails verification.
	code = login("n", v)
	m.FastForward(-2 * time.Hour)
	_, err := p.Exchange(context.Background(), code, v, "n")
	m.FastForward(2 * time.Hour)
	if apperr.CodeOf(err) != apperr.Unauthorized || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("expired ID token: %v", err)
	}
	if _, err := p.AuthCodeURL(context.Background(), "", "n", v); err == nil {
		t.Fatal("empty state accepted")
	}
}

func TestOIDCIssuerMustMatch(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	vars := mockEnv(m)
	vars["LUNEO_OIDC_ISSUER"] += "/" // discovery still works, the issuer differs
	p := mustProvider(t, vars, "oidc", nil)
	if _, err := p.AuthCodeURL(context.Background(), "s", "n", oauth2.GenerateVerifier()); apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("issuer mismatch: %v", err)
	}
}

func TestDiscoveryRetriedAfterFailure(t *testing.T) {
	t.Parallel()
	m := startMock(t)
	tr := &countingTransport{next: http.DefaultTransport}
	tr.fail.Store(1)
	p := mustProvider(t, mockEnv(m), "oidc", &http.Client{Transport: tr})
	if _, err := p.AuthCodeURL(context.Background(), "s", "n", "v"); err == nil {
		t.Fatal("first discovery should have failed")
	}
	if _, err := p.AuthCodeURL(context.Background(), "s", "n", "v"); err != nil {
		t.Fatalf("discovery not retried: %v", err)
	}
}

func TestFlexBool(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{`true`: true, `false`: false, `"true"`: true, `"False"`: false, `null`: false} {
		var b flexBool
		if err := json.Unmarshal([]byte(in), &b); err != nil || bool(b) != want {
			t.Errorf("%s: %v %v", in, b, err)
		}
	}
	var b flexBool
	if err := json.Unmarshal([]byte(`1`), &b); err == nil {
		t.Error("a number accepted as a boolean")
	}
}
