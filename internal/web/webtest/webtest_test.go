package webtest

import (
	"net/http"
	"testing"
	"time"
)

// TestStart: the harness serves the real app, and its clients and helpers
// see what a browser and a program see.
func TestStart(t *testing.T) {
	t.Parallel()
	e := Start(t)
	login := e.RegisterAndLogin("harness@example.com")
	if me := e.API("GET", "/api/auth/me", nil, Bearer(login)); me.Status != http.StatusOK {
		t.Fatalf("me: %d %v", me.Status, me.Body)
	}
	if r := e.API("GET", "/api/auth/me", nil, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("me without a token: %d", r.Status)
	}
	b := e.Browser()
	home := b.Signup("page@example.com", "Page", "Page Brand")
	Want(t, home, http.StatusOK, "Page Brand")
	if CookieNamed(b.Cookies("/"), "luneo_at") == nil {
		t.Fatal("the browser kept no session cookie")
	}
	if e.UserID("page@example.com") == "" {
		t.Fatal("no user ID")
	}
	before := e.Clock.Now()
	e.Clock.Advance(time.Hour)
	if e.Clock.Now().Sub(before) < time.Hour {
		t.Fatal("the clock did not move")
	}
	if got := TOTP(t, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", time.Unix(59, 0)); got != "287082" {
		t.Fatalf("TOTP = %s, want RFC 6238's 287082", got)
	}
}
