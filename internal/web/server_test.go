package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web/httpx"
)

// newTestServer builds a Server over the real embedded pages and assets,
// with no modules: what every server answers before any surface's module.
func newTestServer(t *testing.T, mod func(*Deps)) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	d := Deps{Logger: obs.NewLogger(&logs, "json", slog.LevelDebug), Metrics: obs.NewMetrics(), MaxBody: 1024, Version: "test"}
	if mod != nil {
		mod(&d)
	}
	s, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	return s, &logs
}

func do(h http.Handler, method, target string, body io.Reader, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) httpx.Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, body %s", ct, rec.Body)
	}
	var p httpx.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, nil)
	rec := do(s, "GET", "/healthz", nil, map[string]string{"X-Request-ID": "proxy-abc-12345"})
	if got := rec.Header().Get("X-Request-ID"); got != "proxy-abc-12345" {
		t.Fatalf("sane incoming ID not kept: %q", got)
	}
	for _, bad := range []string{"short", "has space in it", "new\nline-injection", strings.Repeat("a", 200)} {
		rec := do(s, "GET", "/", nil, map[string]string{"X-Request-ID": bad})
		if got := rec.Header().Get("X-Request-ID"); got == bad || len(got) != 24 {
			t.Errorf("insane ID %q answered with %q", bad, got)
		}
	}
	rec = do(s, "GET", "/", nil, nil)
	id := rec.Header().Get("X-Request-ID")
	if !strings.Contains(logs.String(), `"request_id":"`+id+`"`) {
		t.Fatalf("access log lacks the request ID %s:\n%s", id, logs)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, nil)
	rec := do(s, "GET", "/", nil, nil)
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
		if rec.Header().Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("CSP allows framing")
	}
}

func TestNotFoundIsProblemOrPage(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, nil)
	rec := do(s, "GET", "/api/nothing", nil, nil)
	if p := decodeProblem(t, rec); rec.Code != 404 || p.Code != apperr.NotFound || p.RequestID == "" {
		t.Fatalf("api 404: %d %+v", rec.Code, p)
	}
	rec = do(s, "GET", "/nothing", nil, map[string]string{"Accept": "text/html,application/xhtml+xml"})
	if rec.Code != 404 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(rec.Body.String(), rec.Header().Get("X-Request-ID")) {
		t.Fatalf("browser 404: %d %s", rec.Code, rec.Header())
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, nil)
	// Declared length over the limit: refused before any handler runs.
	rec := do(s, "POST", "/api/anything", strings.NewReader(strings.Repeat("x", 2000)), nil)
	if p := decodeProblem(t, rec); rec.Code != 413 || p.Code != apperr.TooLarge {
		t.Fatalf("declared oversize: %d %+v", rec.Code, p)
	}
}

func TestErrorsNeverLeakInternals(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, nil)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/x", nil)
	s.kit.Error(rec, req, errors.New("pq: password authentication failed for user secret-admin"))
	p := decodeProblem(t, rec)
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret-admin") || p.Code != apperr.Internal {
		t.Fatalf("internal error leaked: %s", rec.Body)
	}
	if !strings.Contains(logs.String(), "secret-admin") {
		t.Fatal("internal error not logged")
	}
	rec = httptest.NewRecorder()
	s.kit.Error(rec, req, &apperr.Error{Code: apperr.RateLimited, Message: "slow down", RetryAfter: 1500 * time.Millisecond})
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "2" {
		t.Fatalf("rate limited: %d %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	rec = httptest.NewRecorder()
	s.kit.Error(rec, req, &apperr.Error{Code: apperr.Invalid, Message: "bad", Fields: map[string]string{"slug": "too long"}})
	if p := decodeProblem(t, rec); rec.Code != 400 || p.Errors["slug"] != "too long" {
		t.Fatalf("field errors: %+v", p)
	}
}
