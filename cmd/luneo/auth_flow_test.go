package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
)

// client calls the JSON API of a running server as one program would.
type client struct {
	t     *testing.T
	base  string
	token string
	http  *http.Client
	hdr   map[string]string
}

func newClient(t *testing.T, base string) *client {
	return &client{t: t, base: base, http: &http.Client{Timeout: 30 * time.Second}, hdr: map[string]string{}}
}

// do sends a request and decodes a JSON answer into a map.
func (c *client) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range c.hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	out["_retry_after"] = resp.Header.Get("Retry-After")
	return resp.StatusCode, out
}

// must sends a request and fails the test unless the status is want.
func (c *client) must(want int, method, path string, body any) map[string]any {
	c.t.Helper()
	status, out := c.do(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %v", method, path, status, want, out)
	}
	return out
}

func str(m map[string]any, path ...string) string {
	var v any = m
	for _, p := range path {
		mm, _ := v.(map[string]any)
		v = mm[p]
	}
	s, _ := v.(string)
	return s
}

// flowEnv is one way of running the server: embedded, or on external services.
type flowEnv struct {
	name  string
	env   func(t *testing.T) map[string]string
	dbURL func(env map[string]string) string
}

func flowEnvs() []flowEnv {
	return []flowEnv{
		{"embedded", func(t *testing.T) map[string]string {
			return map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_OPS_ADDR": "127.0.0.1:0", "LUNEO_DATA": t.TempDir(), "LUNEO_SIGNUP_LIMIT": "1000"}
		}, func(env map[string]string) string { return "sqlite:" + filepath.Join(env["LUNEO_DATA"], "luneo.db") }},
		{"postgres-redis-s3", externalEnv, func(env map[string]string) string { return env["DATABASE_URL"] }},
	}
}

var linkToken = regexp.MustCompile(`token=([A-Za-z0-9_-]+)`)

// lastEmailToken returns the token in the newest email sent to addr.
func lastEmailToken(t *testing.T, dbURL, addr string) string {
	t.Helper()
	d, err := db.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var body string
	if err := d.QueryRow(`SELECT body_text FROM email_outbox WHERE to_addr = $1 ORDER BY created_at DESC LIMIT 1`, addr).Scan(&body); err != nil {
		t.Fatalf("no email to %s: %v", addr, err)
	}
	m := linkToken.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no token link in email: %s", body)
	}
	return m[1]
}

// totp computes an RFC 6238 code independently of the server's code.
func totp(t *testing.T, secret string, at time.Time) string {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatal(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[19] & 15
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[off:])&0x7fffffff)%1000000)
}

// signup registers and confirms an account and returns a logged-in client.
func signup(t *testing.T, base, dbURL, email, brandName string) *client {
	t.Helper()
	c := newClient(t, base)
	out := c.must(201, "POST", "/api/auth/register", map[string]any{"email": email, "password": "correct horse battery", "name": "Person " + email, "brand": brandName})
	if str(out, "brand", "name") != brandName || str(out, "user", "email") != email {
		t.Fatalf("register answered %v", out)
	}
	c.must(200, "POST", "/api/auth/confirm-email", map[string]any{"token": lastEmailToken(t, dbURL, email)})
	out = c.must(200, "POST", "/api/auth/login", map[string]any{"email": email, "password": "correct horse battery"})
	c.token = str(out, "access_token")
	c.hdr["X-Refresh"] = str(out, "refresh_token")
	return c
}

func TestAccountFlows(t *testing.T) {
	for _, fe := range flowEnvs() {
		t.Run(fe.name, func(t *testing.T) {
			env := fe.env(t)
			env["LUNEO_SIGNUP_LIMIT"] = "1000"
			p := start(t, "dev", env)
			dbURL := fe.dbURL(env)
			t.Run("signup confirm login refresh logout", func(t *testing.T) { flowLogin(t, p.url, dbURL) })
			t.Run("refresh reuse revokes the family", func(t *testing.T) { flowReuse(t, p.url, dbURL) })
			t.Run("tampered tokens", func(t *testing.T) { flowTampered(t, p.url, dbURL) })
			t.Run("mfa", func(t *testing.T) { flowMFA(t, p.url, dbURL) })
			t.Run("team and roles", func(t *testing.T) { flowTeam(t, p.url, dbURL) })
			t.Run("api keys", func(t *testing.T) { flowAPIKeys(t, p.url, dbURL) })
			t.Run("cross-tenant matrix", func(t *testing.T) { flowCrossTenant(t, p.url, dbURL) })
			t.Run("csrf", func(t *testing.T) { flowCSRF(t, p.url, dbURL) })
		})
	}
}

func flowLogin(t *testing.T, base, dbURL string) {
	c := newClient(t, base)
	c.must(201, "POST", "/api/auth/register", map[string]any{"email": "ann@example.com", "password": "correct horse battery", "name": "Ann", "brand": "Ann's Mugs"})
	// Bad input: duplicate, weak password, role smuggling.
	c.must(409, "POST", "/api/auth/register", map[string]any{"email": "ANN@example.com", "password": "correct horse battery", "name": "Ann", "brand": "X"})
	out := c.must(400, "POST", "/api/auth/register", map[string]any{"email": "bob@example.com", "password": "password123", "name": "Bob", "brand": "B"})
	if str(out, "errors", "password") == "" {
		t.Fatalf("weak password not explained: %v", out)
	}
	c.must(400, "POST", "/api/auth/register", map[string]any{"email": "eve@example.com", "password": "correct horse battery", "name": "Eve", "brand": "E", "role": "owner"})
	c.must(400, "POST", "/api/auth/confirm-email", map[string]any{"token": "not-a-token"})
	c.must(200, "POST", "/api/auth/confirm-email", map[string]any{"token": lastEmailToken(t, dbURL, "ann@example.com")})

	c.must(401, "POST", "/api/auth/login", map[string]any{"email": "ann@example.com", "password": "wrong password!"})
	c.must(401, "POST", "/api/auth/login", map[string]any{"email": "nobody@example.com", "password": "wrong password!"})
	out = c.must(200, "POST", "/api/auth/login", map[string]any{"email": "ann@example.com", "password": "correct horse battery"})
	if str(out, "token_type") != "Bearer" || out["expires_in"].(float64) != 900 {
		t.Fatalf("login answered %v", out)
	}
	c.token = str(out, "access_token")
	me := c.must(200, "GET", "/api/auth/me", nil)
	brands := me["brands"].([]any)
	if len(brands) != 1 || str(brands[0].(map[string]any), "role") != "owner" || str(me, "user", "email") != "ann@example.com" {
		t.Fatalf("me: %v", me)
	}
	// Refresh rotates.
	r1 := str(out, "refresh_token")
	out = c.must(200, "POST", "/api/auth/refresh", map[string]any{"refresh_token": r1})
	r2 := str(out, "refresh_token")
	if r2 == r1 || str(out, "access_token") == "" {
		t.Fatal("refresh did not rotate")
	}
	c.token = str(out, "access_token")
	c.must(200, "GET", "/api/auth/me", nil)
	// Logout ends the session: the access token stops working at once.
	c.must(204, "POST", "/api/auth/logout", nil)
	c.must(401, "GET", "/api/auth/me", nil)
	c.token = ""
	c.must(401, "POST", "/api/auth/refresh", map[string]any{"refresh_token": r2})
	// Forgot / reset password.
	c.must(202, "POST", "/api/auth/password/forgot", map[string]any{"email": "ann@example.com"})
	c.must(202, "POST", "/api/auth/password/forgot", map[string]any{"email": "unknown@example.com"})
	reset := lastEmailToken(t, dbURL, "ann@example.com")
	c.must(400, "POST", "/api/auth/password/reset", map[string]any{"token": reset, "password": "short"})
	c.must(204, "POST", "/api/auth/password/reset", map[string]any{"token": reset, "password": "a brand new passphrase"})
	c.must(400, "POST", "/api/auth/password/reset", map[string]any{"token": reset, "password": "another new passphrase"})
	c.must(200, "POST", "/api/auth/login", map[string]any{"email": "ann@example.com", "password": "a brand new passphrase"})
}

func flowReuse(t *testing.T, base, dbURL string) {
	c := signup(t, base, dbURL, "reuse@example.com", "Reuse Co")
	r1 := c.hdr["X-Refresh"]
	delete(c.hdr, "X-Refresh")
	out := c.must(200, "POST", "/api/auth/refresh", map[string]any{"refresh_token": r1})
	r2, a2 := str(out, "refresh_token"), str(out, "access_token")
	// A thief replays r1: refused, and the whole family dies (r2 and a2 too).
	c.must(401, "POST", "/api/auth/refresh", map[string]any{"refresh_token": r1})
	c.must(401, "POST", "/api/auth/refresh", map[string]any{"refresh_token": r2})
	c.token = a2
	c.must(401, "GET", "/api/auth/me", nil)
	// The reuse is in the account's own audit log, which its owner can read
	// after logging in again.
	out = c.must(200, "POST", "/api/auth/login", map[string]any{"email": "reuse@example.com", "password": "correct horse battery"})
	c.token = str(out, "access_token")
	events := c.must(200, "GET", "/api/auth/audit", nil)["events"].([]any)
	found := false
	for _, e := range events {
		found = found || str(e.(map[string]any), "event") == "refresh_token_reuse"
	}
	if !found {
		t.Fatalf("no refresh_token_reuse event in %v", events)
	}
	// Log out everywhere.
	second := newClient(t, base)
	second.token = str(second.must(200, "POST", "/api/auth/login", map[string]any{"email": "reuse@example.com", "password": "correct horse battery"}), "access_token")
	sessions := c.must(200, "GET", "/api/auth/sessions", nil)["sessions"].([]any)
	if len(sessions) != 2 {
		t.Fatalf("sessions: %v", sessions)
	}
	c.must(200, "POST", "/api/auth/logout-all", nil)
	second.must(401, "GET", "/api/auth/me", nil)
}

func flowTampered(t *testing.T, base, dbURL string) {
	c := signup(t, base, dbURL, "jwt@example.com", "JWT Co")
	good := c.token
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := strings.Replace(string(payload), `"sub":"`, `"sub":"x`, 1)
	enc := base64.RawURLEncoding.EncodeToString
	for name, tok := range map[string]string{
		"tampered payload": parts[0] + "." + enc([]byte(forged)) + "." + parts[2],
		"alg none":         enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".",
		"alg RS256":        enc([]byte(`{"alg":"RS256","typ":"JWT","kid":"x"}`)) + "." + parts[1] + "." + parts[2],
		"alg HS512":        enc([]byte(`{"alg":"HS512","typ":"JWT"}`)) + "." + parts[1] + "." + parts[2],
		"garbage":          "not.a.jwt",
	} {
		c.token = tok
		if status, out := c.do("GET", "/api/auth/me", nil); status != 401 {
			t.Errorf("%s: status %d %v", name, status, out)
		}
	}
	c.token = good
	c.must(200, "GET", "/api/auth/me", nil)
}

func flowMFA(t *testing.T, base, dbURL string) {
	c := signup(t, base, dbURL, "mfa@example.com", "MFA Co")
	setup := c.must(200, "POST", "/api/auth/mfa/setup", nil)
	secret := str(setup, "secret")
	if !strings.HasPrefix(str(setup, "qr_code"), "data:image/png;base64,") || !strings.HasPrefix(str(setup, "otpauth_url"), "otpauth://totp/") {
		t.Fatalf("setup: %v", setup)
	}
	c.must(401, "POST", "/api/auth/mfa/confirm", map[string]any{"code": "000000"})
	codes := c.must(200, "POST", "/api/auth/mfa/confirm", map[string]any{"code": totp(t, secret, time.Now())})["backup_codes"].([]any)
	if len(codes) != 10 {
		t.Fatalf("backup codes: %v", codes)
	}
	anon := newClient(t, base)
	out := anon.must(200, "POST", "/api/auth/login", map[string]any{"email": "mfa@example.com", "password": "correct horse battery"})
	if out["mfa_required"] != true || out["access_token"] != nil {
		t.Fatalf("login without second factor: %v", out)
	}
	mfaToken := str(out, "mfa_token")
	anon.must(401, "POST", "/api/auth/login/mfa", map[string]any{"mfa_token": mfaToken, "code": "123456"})
	// The code used to confirm cannot be replayed; the next step's code works.
	out = anon.must(200, "POST", "/api/auth/login/mfa", map[string]any{"mfa_token": mfaToken, "code": totp(t, secret, time.Now().Add(30*time.Second))})
	if str(out, "access_token") == "" {
		t.Fatalf("mfa login: %v", out)
	}
	anon.must(401, "POST", "/api/auth/login/mfa", map[string]any{"mfa_token": mfaToken, "code": totp(t, secret, time.Now())})
	// A backup code works once.
	out = anon.must(200, "POST", "/api/auth/login", map[string]any{"email": "mfa@example.com", "password": "correct horse battery"})
	backup := strings.ToUpper(codes[0].(string))
	anon.must(200, "POST", "/api/auth/login/mfa", map[string]any{"mfa_token": str(out, "mfa_token"), "code": backup})
	out = anon.must(200, "POST", "/api/auth/login", map[string]any{"email": "mfa@example.com", "password": "correct horse battery"})
	anon.must(401, "POST", "/api/auth/login/mfa", map[string]any{"mfa_token": str(out, "mfa_token"), "code": backup})
}

func flowTeam(t *testing.T, base, dbURL string) {
	owner := signup(t, base, dbURL, "owner@team.example", "Team Co")
	owner.must(400, "POST", "/api/brand/invitations", map[string]any{"email": "x@team.example", "role": "king"})
	inv := owner.must(201, "POST", "/api/brand/invitations", map[string]any{"email": "mate@team.example", "role": "admin"})
	if str(inv, "invitation", "role") != "admin" {
		t.Fatalf("invite: %v", inv)
	}
	token := lastEmailToken(t, dbURL, "mate@team.example")
	stranger := signup(t, base, dbURL, "stranger@team.example", "Stranger Co")
	stranger.must(403, "POST", "/api/invitations/accept", map[string]any{"token": token})
	mate := signup(t, base, dbURL, "mate@team.example", "Mate Co")
	accepted := mate.must(200, "POST", "/api/invitations/accept", map[string]any{"token": token})
	teamBrand := str(accepted, "invitation", "brand_id")
	mate.must(404, "POST", "/api/invitations/accept", map[string]any{"token": token})
	out := mate.must(200, "POST", "/api/auth/switch-brand", map[string]any{"brand_id": teamBrand})
	mate.token = str(out, "access_token")
	if me := mate.must(200, "GET", "/api/auth/me", nil); str(me, "role") != "admin" || len(me["brands"].([]any)) != 2 {
		t.Fatalf("mate after switch: %v", me)
	}
	mate.must(200, "GET", "/api/brand/invitations", nil)
	// Admins cannot touch owners.
	ownerID := str(owner.must(200, "GET", "/api/auth/me", nil), "user", "id")
	mateID := str(mate.must(200, "GET", "/api/auth/me", nil), "user", "id")
	mate.must(403, "PATCH", "/api/brand/members/"+ownerID, map[string]any{"role": "viewer"})
	// The owner demotes the admin: it takes effect on the very next request.
	owner.must(204, "PATCH", "/api/brand/members/"+mateID, map[string]any{"role": "viewer"})
	mate.must(403, "GET", "/api/brand/invitations", nil)
	mate.must(200, "GET", "/api/brand/members", nil)
	// The last owner cannot leave or be demoted.
	owner.must(409, "PATCH", "/api/brand/members/"+ownerID, map[string]any{"role": "admin"})
	// Removal takes effect at once too.
	owner.must(204, "DELETE", "/api/brand/members/"+mateID, nil)
	mate.must(404, "GET", "/api/brand/members", nil)
}

func flowAPIKeys(t *testing.T, base, dbURL string) {
	owner := signup(t, base, dbURL, "keys@example.com", "Keys Co")
	owner.must(400, "POST", "/api/brand/api-keys", map[string]any{"name": "bad", "scopes": []string{"team:manage"}})
	out := owner.must(201, "POST", "/api/brand/api-keys", map[string]any{"name": "shop sync", "scopes": []string{"brand:read", "products:read"}})
	secret := str(out, "secret")
	if !strings.HasPrefix(secret, "lk_") || strings.Contains(fmt.Sprint(owner.must(200, "GET", "/api/brand/api-keys", nil)), secret) {
		t.Fatalf("secret %q shown again or malformed", secret)
	}
	prog := newClient(t, base)
	prog.token = secret
	if b := prog.must(200, "GET", "/api/brand", nil); str(b, "brand", "name") != "Keys Co" {
		t.Fatalf("key brand: %v", b)
	}
	prog.must(403, "GET", "/api/brand/members", nil)
	prog.must(403, "PATCH", "/api/brand", map[string]any{"name": "Hacked"})
	prog.must(403, "GET", "/api/auth/me", nil)
	keys := owner.must(200, "GET", "/api/brand/api-keys", nil)["api_keys"].([]any)
	if keys[0].(map[string]any)["last_used_at"] == nil {
		t.Fatal("last_used_at not recorded")
	}
	owner.must(204, "DELETE", "/api/brand/api-keys/"+str(out, "api_key", "id"), nil)
	prog.must(401, "GET", "/api/brand", nil)
}

func flowCrossTenant(t *testing.T, base, dbURL string) {
	a := signup(t, base, dbURL, "a@tenant.example", "Tenant A")
	b := signup(t, base, dbURL, "b@tenant.example", "Tenant B")
	aID := str(a.must(200, "GET", "/api/auth/me", nil), "user", "id")
	key := str(a.must(201, "POST", "/api/brand/api-keys", map[string]any{"name": "k", "scopes": []string{"brand:read"}}), "api_key", "id")
	inv := str(a.must(201, "POST", "/api/brand/invitations", map[string]any{"email": "v@tenant.example", "role": "viewer"}), "invitation", "id")
	// B, owner of its own brand, reaches none of A's objects.
	for _, rq := range []struct{ method, path string }{
		{"PATCH", "/api/brand/members/" + aID},
		{"DELETE", "/api/brand/members/" + aID},
		{"DELETE", "/api/brand/invitations/" + inv},
		{"DELETE", "/api/brand/api-keys/" + key},
	} {
		if status, out := b.do(rq.method, rq.path, map[string]any{"role": "viewer"}); status != 404 {
			t.Errorf("B %s %s: %d %v", rq.method, rq.path, status, out)
		}
	}
	b.must(404, "POST", "/api/auth/switch-brand", map[string]any{"brand_id": str(a.must(200, "GET", "/api/brand", nil), "brand", "id")})
	// A viewer of A gets 403 on every write.
	invToken := lastEmailToken(t, dbURL, "v@tenant.example")
	v := signup(t, base, dbURL, "v@tenant.example", "Viewer Own")
	accepted := v.must(200, "POST", "/api/invitations/accept", map[string]any{"token": invToken})
	v.token = str(v.must(200, "POST", "/api/auth/switch-brand", map[string]any{"brand_id": str(accepted, "invitation", "brand_id")}), "access_token")
	for _, rq := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", "/api/brand", map[string]any{"name": "x"}},
		{"POST", "/api/brand/invitations", map[string]any{"email": "z@tenant.example", "role": "viewer"}},
		{"POST", "/api/brand/api-keys", map[string]any{"name": "x", "scopes": []string{"brand:read"}}},
		{"DELETE", "/api/brand/api-keys/" + key, nil},
		{"PATCH", "/api/brand/members/" + aID, map[string]any{"role": "viewer"}},
		{"DELETE", "/api/brand/invitations/" + inv, nil},
		{"GET", "/api/brand/audit", nil},
	} {
		if status, out := v.do(rq.method, rq.path, rq.body); status != 403 {
			t.Errorf("viewer %s %s: %d %v", rq.method, rq.path, status, out)
		}
	}
	v.must(200, "GET", "/api/brand", nil)
}

func flowCSRF(t *testing.T, base, dbURL string) {
	signup(t, base, dbURL, "csrf@example.com", "CSRF Co")
	jar, _ := cookiejar.New(nil)
	browser := newClient(t, base)
	browser.http.Jar = jar
	browser.hdr["Origin"] = base
	browser.must(200, "POST", "/api/auth/login", map[string]any{"email": "csrf@example.com", "password": "correct horse battery"})
	browser.must(200, "GET", "/api/auth/me", nil) // by cookie
	browser.hdr["Origin"] = "https://evil.example"
	browser.must(403, "PATCH", "/api/brand", map[string]any{"name": "Pwned"})
	delete(browser.hdr, "Origin")
	browser.must(403, "PATCH", "/api/brand", map[string]any{"name": "Pwned"})
	browser.hdr["Origin"] = base
	browser.must(200, "PATCH", "/api/brand", map[string]any{"name": "Renamed"})
	// Cookie refresh rotates both cookies.
	browser.must(200, "POST", "/api/auth/refresh", nil)
	browser.must(200, "GET", "/api/auth/me", nil)
}

// TestRateLimitAcrossInstances runs two serve processes on the same database
// (and Redis when configured): the per-account login limit counts both.
func TestRateLimitAcrossInstances(t *testing.T) {
	for _, fe := range flowEnvs() {
		t.Run(fe.name, func(t *testing.T) {
			env := fe.env(t)
			env["LUNEO_SECRET"] = strings.Repeat("r", 40)
			env["LUNEO_REQUIRE_EMAIL_CONFIRMATION"] = "false"
			getenv := func(k string) string { return env[k] }
			if err := run(context.Background(), []string{"migrate"}, getenv, io.Discard, io.Discard); err != nil {
				t.Fatal(err)
			}
			a, b := start(t, "serve", env), start(t, "serve", env)
			signup(t, a.url, fe.dbURL(env), "limited@example.com", "Limited")
			wrong := map[string]any{"email": "limited@example.com", "password": "wrong password!"}
			ca, cb := newClient(t, a.url), newClient(t, b.url)
			// signup's successful login counted 1; 9 more failures reach the limit of 10.
			for i := range 9 {
				c := ca
				if i%2 == 1 {
					c = cb
				}
				c.must(401, "POST", "/api/auth/login", wrong)
			}
			status, out := cb.do("POST", "/api/auth/login", wrong)
			if status != 429 || out["_retry_after"] == "" {
				t.Fatalf("11th attempt: %d %v", status, out)
			}
			// The right password is refused too while limited (no oracle).
			ca.must(429, "POST", "/api/auth/login", map[string]any{"email": "limited@example.com", "password": "correct horse battery"})
		})
	}
}
