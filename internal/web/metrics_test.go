package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestMetricsOnlyForOperators: the main listener of serve answers /metrics
// with 404; the ops listener (OpsOnly: serve's LUNEO_OPS_ADDR, the worker)
// and dev's single listener serve it.
func TestMetricsOnlyForOperators(t *testing.T) {
	for name, c := range map[string]struct {
		mod    func(*Deps)
		status int
	}{
		"serve main listener": {func(d *Deps) {}, http.StatusNotFound},
		"ops listener":        {func(d *Deps) { d.OpsOnly = true }, http.StatusOK},
		"dev":                 {func(d *Deps) { d.Dev = true }, http.StatusOK},
	} {
		s, _ := newTestServer(t, c.mod)
		rec := do(s, "GET", "/metrics", nil, nil)
		if rec.Code != c.status || (c.status == http.StatusOK) != strings.Contains(rec.Body.String(), "# HELP ") {
			t.Errorf("%s: GET /metrics = %d, want %d", name, rec.Code, c.status)
		}
		if rec := do(s, "GET", "/healthz", nil, nil); rec.Code != http.StatusOK {
			t.Errorf("%s: GET /healthz = %d", name, rec.Code)
		}
	}
}
