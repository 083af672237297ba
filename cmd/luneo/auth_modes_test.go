package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuthDefaultsPerMode checks, on the real binary, the two account rules
// that depend on how Luneo runs: `luneo dev` lets unconfirmed addresses log
// in and sends cookies without Secure (it serves plain http on localhost),
// while `luneo serve` requires a confirmed address (403 until then) and
// marks the session cookies Secure. Both modes keep HttpOnly and
// SameSite=Lax. The web package tests the flags for a given setting; this
// test pins which setting each mode gets.
func TestAuthDefaultsPerMode(t *testing.T) {
	login := map[string]any{"email": "mode@example.com", "password": "correct horse battery"}
	register := map[string]any{"email": "mode@example.com", "password": "correct horse battery", "name": "M", "brand": "Mode"}

	t.Run("dev", func(t *testing.T) {
		p := start(t, "dev", map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": t.TempDir()})
		if status, _, _ := postJSON(t, p.url, "/api/auth/register", register); status != http.StatusCreated {
			t.Fatalf("register: %d", status)
		}
		status, _, cookies := postJSON(t, p.url, "/api/auth/login", login)
		if status != http.StatusOK {
			t.Fatalf("unconfirmed login in dev: %d, want 200", status)
		}
		wantCookieFlags(t, cookies, false)
	})

	t.Run("serve", func(t *testing.T) {
		data := t.TempDir()
		env := map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_OPS_ADDR": "127.0.0.1:0", "LUNEO_DATA": data,
			"LUNEO_SECRET": strings.Repeat("m", 40)}
		if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
		p := start(t, "serve", env)
		if status, _, _ := postJSON(t, p.url, "/api/auth/register", register); status != http.StatusCreated {
			t.Fatalf("register: %d", status)
		}
		status, problem, cookies := postJSON(t, p.url, "/api/auth/login", login)
		if status != http.StatusForbidden || problem["code"] != "forbidden" || !strings.Contains(str(problem, "detail"), "confirm your email") || len(cookies) != 0 {
			t.Fatalf("unconfirmed login in serve: %d %q, %d cookies; want 403 asking to confirm, no cookies", status, str(problem, "detail"), len(cookies))
		}
		token := lastEmailToken(t, "sqlite:"+filepath.Join(data, "luneo.db"), "mode@example.com")
		if status, _, _ := postJSON(t, p.url, "/api/auth/confirm-email", map[string]any{"token": token}); status != http.StatusOK {
			t.Fatalf("confirm: %d", status)
		}
		status, _, cookies = postJSON(t, p.url, "/api/auth/login", login)
		if status != http.StatusOK {
			t.Fatalf("confirmed login in serve: %d", status)
		}
		wantCookieFlags(t, cookies, true)
	})
}

// postJSON posts body as JSON from our own origin and returns the status,
// the decoded answer and the cookies set.
func postJSON(t *testing.T, base, path string, body any) (int, map[string]any, []*http.Cookie) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out, resp.Cookies()
}

func wantCookieFlags(t *testing.T, cookies []*http.Cookie, secure bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range cookies {
		seen[c.Name] = true
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure {
			t.Errorf("cookie %s: HttpOnly %v, SameSite %v, Secure %v; want true, Lax, %v", c.Name, c.HttpOnly, c.SameSite, c.Secure, secure)
		}
	}
	if !seen["luneo_at"] || !seen["luneo_rt"] {
		t.Errorf("login set cookies %v, want luneo_at and luneo_rt", cookies)
	}
}
