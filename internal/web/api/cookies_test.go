package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/webtest"
)

// TestSessionCookieFlags: every response that hands a browser its tokens
// (API login, refresh by cookie, the login form) sets the access cookie on
// "/" and the refresh cookie on "/api/auth" only, both HttpOnly and
// SameSite=Lax, and Secure exactly when the server says so (every mode but
// dev over plain http); the cookies that log a browser out carry the same
// flags. Each flag is checked on its own, so dropping any one fails.
func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		name := map[bool]string{false: "dev over http", true: "secure cookies"}[secure]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := webtest.Start(t, func(_ *webtest.Env, d *web.Deps) { d.SecureCookies = secure })
			base := e.URL

			login := e.RegisterAndLogin("cookie@example.com")
			checkSessionCookies(t, "API login", login.Cookies, secure, false)
			rt := webtest.CookieNamed(login.Cookies, httpx.RefreshCookie)
			if rt == nil || rt.Value != login.Body["refresh_token"] {
				t.Fatalf("API login: refresh cookie %+v does not carry the refresh token", rt)
			}

			refreshed := e.API("POST", "/api/auth/refresh", nil, nil, &http.Cookie{Name: httpx.RefreshCookie, Value: rt.Value})
			if refreshed.Status != http.StatusOK {
				t.Fatalf("refresh by cookie: %d %v", refreshed.Status, refreshed.Body)
			}
			checkSessionCookies(t, "refresh", refreshed.Cookies, secure, false)

			formLogin := postForm(t, base, "/login", url.Values{"email": {"cookie@example.com"}, "password": {webtest.Password}, "return": {"/app"}})
			checkSessionCookies(t, "login form", formLogin, secure, false)
			checkSessionCookies(t, "logout form", postForm(t, base, "/logout", nil, webtest.CookieNamed(formLogin, httpx.AccessCookie)), secure, true)

			access, _ := refreshed.Body["access_token"].(string)
			out := e.API("POST", "/api/auth/logout", nil, map[string]string{"Authorization": "Bearer " + access})
			if out.Status != http.StatusNoContent {
				t.Fatalf("logout: %d %v", out.Status, out.Body)
			}
			checkSessionCookies(t, "logout", out.Cookies, secure, true)

			// A refused refresh clears the cookies too.
			bad := e.API("POST", "/api/auth/refresh", nil, nil, &http.Cookie{Name: httpx.RefreshCookie, Value: "lrt_unknown"})
			if bad.Status != http.StatusUnauthorized {
				t.Fatalf("refresh with an unknown token: %d %v", bad.Status, bad.Body)
			}
			checkSessionCookies(t, "refused refresh", bad.Cookies, secure, true)
		})
	}
}

// checkSessionCookies checks the access and refresh cookies among got:
// set (with their lifetimes) or cleared, and always with the safe flags.
func checkSessionCookies(t *testing.T, what string, got []*http.Cookie, secure, cleared bool) {
	t.Helper()
	for _, want := range []struct {
		name, path string
		maxAge     int
	}{
		{httpx.AccessCookie, "/", int(auth.AccessTTL.Seconds())},
		{httpx.RefreshCookie, "/api/auth", int(auth.RefreshTTL.Seconds())},
	} {
		c := webtest.CookieNamed(got, want.name)
		switch {
		case c == nil:
			t.Errorf("%s: no %s cookie among %v", what, want.name, got)
			continue
		case !c.HttpOnly:
			t.Errorf("%s: %s is not HttpOnly: scripts could read it", what, want.name)
		case c.SameSite != http.SameSiteLaxMode:
			t.Errorf("%s: %s has SameSite %v, want Lax", what, want.name, c.SameSite)
		case c.Secure != secure:
			t.Errorf("%s: %s Secure = %v, want %v", what, want.name, c.Secure, secure)
		case c.Path != want.path:
			t.Errorf("%s: %s has Path %q, want %q", what, want.name, c.Path, want.path)
		case c.Domain != "":
			t.Errorf("%s: %s has Domain %q: it would reach other hosts", what, want.name, c.Domain)
		case cleared && (c.MaxAge >= 0 || c.Value != ""):
			t.Errorf("%s: %s not cleared: MaxAge %d, value %q", what, want.name, c.MaxAge, c.Value)
		case !cleared && (c.MaxAge != want.maxAge || c.Value == ""):
			t.Errorf("%s: %s has MaxAge %d and value %q, want %d and a token", what, want.name, c.MaxAge, c.Value, want.maxAge)
		}
	}
}

// postForm posts a dashboard form as a browser would and returns the cookies
// its redirect sets.
func postForm(t *testing.T, base, path string, form url.Values, cookies ...*http.Cookie) []*http.Cookie {
	t.Helper()
	req, _ := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d, want 303", path, resp.StatusCode)
	}
	return resp.Cookies()
}
