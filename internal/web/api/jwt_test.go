package api_test

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/webtest"
)

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
	key, err := hkdf.Key(sha256.New, []byte(webtest.Secret), nil, "luneo access token v1", 32)
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
	t.Parallel()
	e := webtest.Start(t)
	base := e.URL
	access, _ := e.RegisterAndLogin("jwt@example.com").Body["access_token"].(string)
	now := time.Now().Unix()

	me := func(token string, viaCookie bool) webtest.Result {
		t.Helper()
		if viaCookie {
			return e.API("GET", "/api/auth/me", nil, nil, &http.Cookie{Name: httpx.AccessCookie, Value: token})
		}
		return e.API("GET", "/api/auth/me", nil, map[string]string{"Authorization": "Bearer " + token})
	}
	for _, viaCookie := range []bool{false, true} {
		if r := me(resign(t, access, func(map[string]any) {}), viaCookie); r.Status != http.StatusOK {
			t.Fatalf("control (same claims re-signed, cookie %v): %d %v", viaCookie, r.Status, r.Body)
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
			detail, _ := r.Body["detail"].(string)
			if r.Status != http.StatusUnauthorized || r.Body["code"] != "unauthorized" || !strings.Contains(detail, c.detail) {
				t.Errorf("%s (cookie %v): %d %q; want 401 unauthorized mentioning %q", c.name, viaCookie, r.Status, detail, c.detail)
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
		if r := me(bad, false); r.Status != http.StatusUnauthorized {
			t.Errorf("%s: %d %v, want 401", name, r.Status, r.Body)
		}
	}
}
