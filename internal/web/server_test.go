package web_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/webtest"
)

// newTestServer builds a Server over the real embedded pages and assets,
// with no modules: what every server answers before any surface's module.
func newTestServer(t *testing.T, mod func(*web.Deps)) (*web.Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	d := web.Deps{Logger: obs.NewLogger(&logs, "json", slog.LevelDebug), Metrics: obs.NewMetrics(), MaxBody: 1024, Version: "test"}
	if mod != nil {
		mod(&d)
	}
	s, err := web.New(d)
	if err != nil {
		t.Fatal(err)
	}
	return s, &logs
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, nil)
	rec := webtest.Do(s, "GET", "/healthz", nil, map[string]string{"X-Request-ID": "proxy-abc-12345"})
	if got := rec.Header().Get("X-Request-ID"); got != "proxy-abc-12345" {
		t.Fatalf("sane incoming ID not kept: %q", got)
	}
	for _, bad := range []string{"short", "has space in it", "new\nline-injection", strings.Repeat("a", 200)} {
		rec := webtest.Do(s, "GET", "/", nil, map[string]string{"X-Request-ID": bad})
		if got := rec.Header().Get("X-Request-ID"); got == bad || len(got) != 24 {
			t.Errorf("insane ID %q answered with %q", bad, got)
		}
	}
	rec = webtest.Do(s, "GET", "/", nil, nil)
	id := rec.Header().Get("X-Request-ID")
	if !strings.Contains(logs.String(), `"request_id":"`+id+`"`) {
		t.Fatalf("access log lacks the request ID %s:\n%s", id, logs)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, nil)
	rec := webtest.Do(s, "GET", "/", nil, nil)
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
	rec := webtest.Do(s, "GET", "/api/nothing", nil, nil)
	if p := webtest.DecodeProblem(t, rec); rec.Code != 404 || p.Code != apperr.NotFound || p.RequestID == "" {
		t.Fatalf("api 404: %d %+v", rec.Code, p)
	}
	rec = webtest.Do(s, "GET", "/nothing", nil, map[string]string{"Accept": "text/html,application/xhtml+xml"})
	if rec.Code != 404 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(rec.Body.String(), rec.Header().Get("X-Request-ID")) {
		t.Fatalf("browser 404: %d %s", rec.Code, rec.Header())
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, nil)
	// Declared length over the limit: refused before any handler runs.
	rec := webtest.Do(s, "POST", "/api/anything", strings.NewReader(strings.Repeat("x", 2000)), nil)
	if p := webtest.DecodeProblem(t, rec); rec.Code != 413 || p.Code != apperr.TooLarge {
		t.Fatalf("declared oversize: %d %+v", rec.Code, p)
	}
}
