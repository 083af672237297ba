package web

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/web/httpx"
)

// testAppSecret is the LUNEO_SECRET newTestApp configures.
var testAppSecret = strings.Repeat("test secret ", 4)

// apiResult is an answer of the JSON API.
type apiResult struct {
	status  int
	body    map[string]any
	cookies []*http.Cookie
}

// callAPI sends a JSON request (body nil for none) with extra headers and
// cookies, the way a program or a browser's fetch would.
func callAPI(t *testing.T, base, method, path string, body any, hdr map[string]string, cookies ...*http.Cookie) apiResult {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Origin", base)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := apiResult{status: resp.StatusCode, body: map[string]any{}, cookies: resp.Cookies()}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// registerAndLogin signs email up through the API and logs it in, returning
// the login answer (tokens in the body and as cookies).
func registerAndLogin(t *testing.T, base, email string) apiResult {
	t.Helper()
	if r := callAPI(t, base, "POST", "/api/auth/register", map[string]any{"email": email, "password": "correct horse battery", "name": "N", "brand": "B " + email}, nil); r.status != http.StatusCreated {
		t.Fatalf("register: %d %v", r.status, r.body)
	}
	r := callAPI(t, base, "POST", "/api/auth/login", map[string]any{"email": email, "password": "correct horse battery"}, nil)
	if r.status != http.StatusOK {
		t.Fatalf("login: %d %v", r.status, r.body)
	}
	return r
}

// resign returns token with its claims changed by edit and signed again
// with the server's key, derived here from the secret independently of the
// auth package (HKDF-SHA256, info "luneo access token v1"), so only the
// claims differ from a token the server issued.
func resign(t *testing.T, token string, edit func(claims map[string]any)) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{}
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	edit(claims)
	payload, _ := json.Marshal(claims)
	signing := parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload)
	key, err := hkdf.Key(sha256.New, []byte(testAppSecret), nil, "luneo access token v1", 32)
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// TestJWTClaimsCheckedOverHTTP: an access token whose signature is right but
// whose audience, issuer, expiry or not-before is wrong gets 401 from a real
// endpoint, by header and by cookie. The unchanged claims, signed the same
// way, get 200: that proves the refusals come from the claims alone.
func TestJWTClaimsCheckedOverHTTP(t *testing.T) {
	app := newTestApp(t)
	app.start()
	base := app.ts.URL
	access, _ := registerAndLogin(t, base, "jwt@example.com").body["access_token"].(string)
	now := time.Now().Unix()

	me := func(token string, viaCookie bool) apiResult {
		t.Helper()
		if viaCookie {
			return callAPI(t, base, "GET", "/api/auth/me", nil, nil, &http.Cookie{Name: httpx.AccessCookie, Value: token})
		}
		return callAPI(t, base, "GET", "/api/auth/me", nil, map[string]string{"Authorization": "Bearer " + token})
	}
	for _, viaCookie := range []bool{false, true} {
		if r := me(resign(t, access, func(map[string]any) {}), viaCookie); r.status != http.StatusOK {
			t.Fatalf("control (same claims re-signed, cookie %v): %d %v", viaCookie, r.status, r.body)
		}
	}

	for _, c := range []struct {
		name   string
		edit   func(map[string]any)
		detail string
	}{
		{"wrong audience", func(c map[string]any) { c["aud"] = "another-api" }, "invalid"},
		{"no audience", func(c map[string]any) { delete(c, "aud") }, "invalid"},
		{"audience as a list", func(c map[string]any) { c["aud"] = []string{"luneo-api"} }, "invalid"},
		{"wrong issuer", func(c map[string]any) { c["iss"] = "https://evil.example" }, "invalid"},
		{"issuer of another host", func(c map[string]any) { c["iss"] = strings.Replace(base, "127.0.0.1", "localhost", 1) }, "invalid"},
		{"no issuer", func(c map[string]any) { delete(c, "iss") }, "invalid"},
		{"expired", func(c map[string]any) { c["exp"] = now - 60 }, "expired"},
		{"expired long ago", func(c map[string]any) { c["iat"], c["nbf"], c["exp"] = now-7200, now-7200, now-3600 }, "expired"},
		{"no expiry", func(c map[string]any) { delete(c, "exp") }, "expired"},
		{"not valid yet", func(c map[string]any) { c["nbf"] = now + 3600 }, "invalid"},
		{"no subject", func(c map[string]any) { delete(c, "sub") }, "invalid"},
		{"no session", func(c map[string]any) { delete(c, "sid") }, "invalid"},
	} {
		for _, viaCookie := range []bool{false, true} {
			r := me(resign(t, access, c.edit), viaCookie)
			detail, _ := r.body["detail"].(string)
			if r.status != http.StatusUnauthorized || r.body["code"] != "unauthorized" || !strings.Contains(detail, c.detail) {
				t.Errorf("%s (cookie %v): %d %q; want 401 unauthorized mentioning %q", c.name, viaCookie, r.status, detail, c.detail)
			}
		}
	}

	// Tokens that are not ours at all.
	parts := strings.Split(access, ".")
	for name, bad := range map[string]string{
		"unsigned":                   parts[0] + "." + parts[1] + ".",
		"alg none":                   base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".",
		"signature of another token": parts[0] + "." + parts[1] + "." + strings.Split(resign(t, access, func(c map[string]any) { c["jti"] = "x" }), ".")[2],
	} {
		if r := me(bad, false); r.status != http.StatusUnauthorized {
			t.Errorf("%s: %d %v, want 401", name, r.status, r.body)
		}
	}
}
