package ops_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/webtest"
)

// TestMetricsOnlyForOperators: the main listener of serve answers /metrics
// with 404; the ops listener (OpsOnly: serve's LUNEO_OPS_ADDR, the worker)
// and dev's single listener serve it.
func TestMetricsOnlyForOperators(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		mod    func(*webtest.Env, *web.Deps)
		status int
	}{
		"serve main listener": {func(*webtest.Env, *web.Deps) {}, http.StatusNotFound},
		"ops listener":        {func(_ *webtest.Env, d *web.Deps) { d.OpsOnly = true }, http.StatusOK},
		"dev":                 {func(_ *webtest.Env, d *web.Deps) { d.Dev = true }, http.StatusOK},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := webtest.Start(t, c.mod)
			rec := webtest.Do(e.Server, "GET", "/metrics", nil, nil)
			if rec.Code != c.status || (c.status == http.StatusOK) != strings.Contains(rec.Body.String(), "# HELP ") {
				t.Errorf("%s: GET /metrics = %d, want %d", name, rec.Code, c.status)
			}
			if rec := webtest.Do(e.Server, "GET", "/healthz", nil, nil); rec.Code != http.StatusOK {
				t.Errorf("%s: GET /healthz = %d", name, rec.Code)
			}
		})
	}
}

// TestNoMetricsOnPublicServer: a server that is neither ops-only nor dev
// (serve's public listener) has no /metrics route at all, so the request
// falls to the catch-all and gets its 404 problem, not Prometheus text.
func TestNoMetricsOnPublicServer(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	for _, r := range e.Server.Routes() {
		if r.Path == "/metrics" {
			t.Fatalf("public server routes %s", r)
		}
	}
	rec := webtest.Do(e.Server, "GET", "/metrics", nil, nil)
	if p := webtest.DecodeProblem(t, rec); rec.Code != http.StatusNotFound || p.Code != apperr.NotFound {
		t.Fatalf("GET /metrics = %d %+v, want a 404 problem", rec.Code, p)
	}
	if strings.Contains(rec.Body.String(), "luneo_http_requests_total") {
		t.Fatal("the 404 carries metrics")
	}
}

// TestOpsOnlyServesNothingElse: the ops-only server (the worker, serve's ops
// listener) is the ops routes and the catch-all: no pages, static files or
// API.
func TestOpsOnlyServesNothingElse(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t, func(_ *webtest.Env, d *web.Deps) { d.OpsOnly = true })
	var got []string
	for _, r := range e.Server.Routes() {
		got = append(got, r.Pattern())
	}
	if want := "GET /healthz GET /readyz GET /metrics /"; strings.Join(got, " ") != want {
		t.Fatalf("ops-only routes %q, want %q", got, want)
	}
	for _, path := range []string{"/", "/favicon.ico", "/api/auth/me", "/app"} {
		if rec := webtest.Do(e.Server, "GET", path, nil, nil); rec.Code != http.StatusNotFound {
			t.Errorf("ops-only GET %s = %d, want 404", path, rec.Code)
		}
	}
}
