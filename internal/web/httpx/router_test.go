package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/obs"
)

// tokens is a fake Authenticator: "user" is a person, "key" an API key.
type tokens struct{}

func (tokens) Authenticate(_ context.Context, token string) (auth.Principal, error) {
	switch token {
	case "user":
		return auth.Principal{UserID: "u1", BrandID: "b1"}, nil
	case "key":
		return auth.Principal{BrandID: "b1", APIKeyID: "k1"}, nil
	}
	return auth.Principal{}, apperr.New(apperr.Unauthorized, "bad token")
}

// testRouter is a router over the fake authenticator, logging into logs.
func testRouter(t *testing.T, routes ...Route) (*Router, *obs.Metrics, *bytes.Buffer) {
	t.Helper()
	logs := &bytes.Buffer{}
	kit := &Kit{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Auth: tokens{}, BaseURL: "https://luneo.test",
		RefreshPath: "/api/auth/refresh"}
	m := obs.NewMetrics()
	rt := NewRouter(kit, Options{Metrics: m, MaxBody: 1024})
	rt.Add(routes...)
	rt.Add(Handle("", "/", Public, kit.NotFound))
	return rt, m, logs
}

// whoami answers with the principal the router authenticated.
func whoami(w http.ResponseWriter, r *http.Request) {
	p, ok := PrincipalFrom(r.Context())
	WriteJSON(w, http.StatusOK, map[string]any{"user": p.UserID, "brand": p.BrandID, "set": ok})
}

func serve(h http.Handler, method, target string, body io.Reader, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestAuthKinds(t *testing.T) {
	t.Parallel()
	rt, _, _ := testRouter(t,
		Handle("GET", "/pub", Public, whoami),
		Handle("GET", "/page", Page, whoami),
		Handle("GET", "/user", UserAPI, whoami),
		Handle("GET", "/brand", BrandAPI, whoami),
		Handle("POST", "/hook", Policy{Auth: AuthHMAC, CSRF: CSRFNone}, whoami),
	)
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	for _, c := range []struct {
		method, path string
		headers      map[string]string
		want         int
		location     string
	}{
		{"GET", "/pub", nil, 200, ""},
		{"GET", "/user", nil, 401, ""},
		{"GET", "/user", bearer("user"), 200, ""},
		{"GET", "/user", bearer("key"), 403, ""},
		{"GET", "/user", bearer("nope"), 401, ""},
		{"GET", "/user", map[string]string{"Authorization": "Basic dTpw"}, 401, ""},
		{"GET", "/brand", nil, 401, ""},
		{"GET", "/brand", bearer("key"), 200, ""},
		{"GET", "/brand", map[string]string{"Cookie": AccessCookie + "=user"}, 200, ""},
		{"GET", "/page", nil, 303, "/api/auth/refresh?return=%2Fpage"},
		{"GET", "/page?tab=x", map[string]string{"Cookie": AccessCookie + "=expired"}, 303, "/api/auth/refresh?return=%2Fpage%3Ftab%3Dx"},
		{"GET", "/page", bearer("key"), 403, ""},
		{"GET", "/page", map[string]string{"Cookie": AccessCookie + "=user"}, 200, ""},
		// An HMAC route reads no credentials: the handler checks the signature.
		{"POST", "/hook", bearer("user"), 200, ""},
	} {
		rec := serve(rt, c.method, c.path, nil, c.headers)
		if rec.Code != c.want || rec.Header().Get("Location") != c.location {
			t.Errorf("%s %s %v: %d %q, want %d %q", c.method, c.path, c.headers, rec.Code, rec.Header().Get("Location"), c.want, c.location)
		}
		if c.path == "/hook" && strings.Contains(rec.Body.String(), `"set":true`) {
			t.Errorf("HMAC route got a principal: %s", rec.Body)
		}
	}
}

func TestRouteWithoutPolicyPanics(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]Route{
		"no auth kind": Handle("GET", "/x", Policy{}, whoami),
		"no handler":   {Method: "GET", Path: "/x", Policy: Public},
		"hmac csrf":    Handle("POST", "/x", Policy{Auth: AuthHMAC}, whoami),
		"cors creds *": Handle("GET", "/x", Policy{Auth: AuthPublic, CORS: &CORS{Origins: []string{"*"}, Credentials: true}}, whoami),
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: Add accepted %v", name, r)
				}
			}()
			testRouter(t, r)
		}()
	}
}

func TestCSRFByPolicy(t *testing.T) {
	t.Parallel()
	ok := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }
	rt, _, _ := testRouter(t,
		Handle("POST", "/form", Public, ok),
		Handle("POST", "/open", Policy{Auth: AuthPublic, CSRF: CSRFNone}, ok),
	)
	for _, c := range []struct {
		path    string
		headers map[string]string
		want    int
	}{
		{"/form", map[string]string{"Origin": "https://luneo.test"}, 204},
		{"/form", map[string]string{"Origin": "https://evil.example"}, 403},
		{"/form", map[string]string{"Referer": "https://evil.example/page"}, 403},
		{"/form", map[string]string{"Origin": "null", "Cookie": AccessCookie + "=x"}, 403},
		{"/form", map[string]string{"Cookie": AccessCookie + "=x"}, 403},
		{"/form", map[string]string{"Origin": "https://evil.example", "Authorization": "Bearer t"}, 204},
		{"/form", nil, 204},
		{"/open", map[string]string{"Origin": "https://evil.example", "Cookie": AccessCookie + "=x"}, 204},
	} {
		if rec := serve(rt, "POST", c.path, nil, c.headers); rec.Code != c.want {
			t.Errorf("POST %s %v: %d, want %d", c.path, c.headers, rec.Code, c.want)
		}
	}
}

func TestHeadersByPolicy(t *testing.T) {
	t.Parallel()
	ok := func(w http.ResponseWriter, r *http.Request) {}
	rt, _, _ := testRouter(t,
		Handle("GET", "/page", Public, ok),
		Handle("GET", "/file", SharedFile(), ok),
		Handle("GET", "/embed", Policy{Auth: AuthPublic, FrameAncestors: []string{"https://shop.example"}}, ok),
		Handle("GET", "/brand-embed", Policy{Auth: AuthPublic, FrameAncestorsFor: func(r *http.Request) []string {
			return []string{"https://" + r.URL.Query().Get("shop")}
		}}, ok),
	)
	rec := serve(rt, "GET", "/page", nil, nil)
	h := rec.Header()
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "'"+ModelViewerStyleHash+"'") ||
		h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Access-Control-Allow-Origin") != "" || h.Get("X-Request-ID") == "" {
		t.Errorf("default headers: %v", h)
	}
	h = serve(rt, "GET", "/file", nil, nil).Header()
	if csp := h.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox;") || strings.Contains(csp, "frame-ancestors") ||
		h.Get("X-Frame-Options") != "" || h.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("shared file headers: %v", h)
	}
	h = serve(rt, "GET", "/embed", nil, nil).Header()
	if csp := h.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "; frame-ancestors https://shop.example") || h.Get("X-Frame-Options") != "" {
		t.Errorf("embeddable headers: %v", h)
	}
	h = serve(rt, "GET", "/brand-embed?shop=a.example", nil, nil).Header()
	if csp := h.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "; frame-ancestors https://a.example") {
		t.Errorf("per-request frame-ancestors: %v", h)
	}
	// No route matched: the default policy still applies.
	h = serve(rt, "DELETE", "/page", nil, nil).Header()
	if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("unmatched method headers: %v", h)
	}
}

func TestCORSByPolicy(t *testing.T) {
	t.Parallel()
	ok := func(w http.ResponseWriter, r *http.Request) {}
	shop := &CORS{Origins: []string{"https://shop.example"}, Methods: []string{"POST"}, Headers: []string{"Content-Type"}, Credentials: true}
	rt, _, _ := testRouter(t,
		Handle("GET", "/loader", Policy{Auth: AuthPublic, CORS: shop}, ok),
		Handle("POST", "/loader", Policy{Auth: AuthPublic, CSRF: CSRFNone, CORS: shop}, ok),
		Handle("GET", "/private", Public, ok),
	)
	h := serve(rt, "GET", "/loader", nil, map[string]string{"Origin": "https://shop.example"}).Header()
	if h.Get("Access-Control-Allow-Origin") != "https://shop.example" || h.Get("Access-Control-Allow-Credentials") != "true" || h.Get("Vary") != "Origin" {
		t.Errorf("allowed origin: %v", h)
	}
	if h := serve(rt, "GET", "/loader", nil, map[string]string{"Origin": "https://evil.example"}).Header(); h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin allowed: %v", h)
	}
	rec := serve(rt, "OPTIONS", "/loader", nil, map[string]string{"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"})
	if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Methods") != "GET, OPTIONS, POST" || rec.Header().Get("Access-Control-Allow-Headers") != "Content-Type" {
		t.Errorf("preflight: %d %v", rec.Code, rec.Header())
	}
	if h := serve(rt, "GET", "/private", nil, map[string]string{"Origin": "https://shop.example"}).Header(); h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("route without CORS shared: %v", h)
	}
}

// TestBodyLimits: a route with its own limit accepts bodies up to it,
// declared or streamed, while every other route keeps the default.
func TestBodyLimits(t *testing.T) {
	t.Parallel()
	kit := &Kit{Logger: slog.New(slog.DiscardHandler)}
	read := func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			kit.Error(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
	rt, _, _ := testRouter(t, Handle("POST", "/upload/{id}", Public, read).WithBody(4096), Handle("POST", "/small", Public, read))
	for _, c := range []struct {
		path    string
		size    int
		chunked bool
		want    int
	}{
		{"/upload/1", 4000, false, 204},
		{"/upload/1", 4000, true, 204},
		{"/upload/1", 5000, false, 413},
		{"/upload/1", 5000, true, 413},
		{"/small", 1000, false, 204},
		{"/small", 2000, false, 413},
		{"/small", 2000, true, 413},
	} {
		req := httptest.NewRequest("POST", c.path, strings.NewReader(strings.Repeat("x", c.size)))
		if c.chunked {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		rt.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s %d bytes (chunked %v): %d, want %d", c.path, c.size, c.chunked, rec.Code, c.want)
		}
		if c.want == 413 {
			var p Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Code != apperr.TooLarge {
				t.Errorf("%s: not a too_large problem: %s", c.path, rec.Body)
			}
		}
	}
}

func TestPanicRecovery(t *testing.T) {
	t.Parallel()
	rt, _, logs := testRouter(t, Handle("GET", "/boom", Public, func(http.ResponseWriter, *http.Request) { panic("kaboom") }))
	rec := serve(rt, "GET", "/boom", nil, nil)
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 500 || p.RequestID == "" || strings.Contains(rec.Body.String(), "kaboom") {
		t.Fatalf("panic answer: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "kaboom") || !strings.Contains(logs.String(), "stack") {
		t.Fatal("panic not logged with its stack")
	}
}

// TestMetricLabelsArePatterns: metrics name the matched pattern of every
// surface's routes, never the raw path.
func TestMetricLabelsArePatterns(t *testing.T) {
	t.Parallel()
	rt, m, _ := testRouter(t, Handle("GET", "/things/{id}", Public, whoami))
	serve(rt, "GET", "/things/42", nil, nil)
	serve(rt, "GET", "/random/path", nil, nil)
	if n := testutil.ToFloat64(m.HTTPRequests.WithLabelValues("GET /things/{id}", "GET", "200")); n != 1 {
		t.Errorf("pattern label: %v", n)
	}
	if n := testutil.ToFloat64(m.HTTPRequests.WithLabelValues("/", "GET", "404")); n != 1 {
		t.Errorf("catch-all label: %v", n)
	}
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	rt, _, _ := testRouter(t, Handle("GET", "/x", Public, whoami))
	if got := serve(rt, "GET", "/x", nil, map[string]string{"X-Request-ID": "proxy-id-123"}).Header().Get("X-Request-ID"); got != "proxy-id-123" {
		t.Errorf("sane incoming ID replaced: %q", got)
	}
	if got := serve(rt, "GET", "/x", nil, map[string]string{"X-Request-ID": "bad id\nwith newline"}).Header().Get("X-Request-ID"); len(got) != 24 {
		t.Errorf("unsafe incoming ID kept: %q", got)
	}
}

func TestRoutesTable(t *testing.T) {
	t.Parallel()
	rt, _, _ := testRouter(t, Handle("GET", "/a", Public, whoami).Documented("x", "A thing"), Handle("POST", "/b", BrandAPI, whoami))
	rs := rt.Routes()
	if len(rs) != 3 || rs[0].Pattern() != "GET /a" || rs[0].Doc.Summary != "A thing" || rs[1].Policy.Auth != AuthBrand || rs[2].Pattern() != "/" {
		t.Fatalf("routes: %v", rs)
	}
}
