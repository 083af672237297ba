package ops_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/webtest"
)

func TestReadyz(t *testing.T) {
	t.Parallel()
	fail := errors.New("dial tcp 10.0.0.9:6379: connection refused")
	e := webtest.Start(t, func(_ *webtest.Env, d *web.Deps) {
		d.Checks = []obs.Check{
			{Name: "database", Ping: func(context.Context) error { return nil }},
			{Name: "kv", Ping: func(context.Context) error { return fail }},
		}
	})
	rec := webtest.Do(e.Server, "GET", "/readyz", nil, nil)
	var body struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != 503 || body.Checks["kv"] != "unavailable" || body.Checks["database"] != "ok" || strings.Contains(rec.Body.String(), "10.0.0.9") {
		t.Fatalf("readyz: %d %s", rec.Code, rec.Body)
	}
}

func TestMetricsByRoutePattern(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t, func(_ *webtest.Env, d *web.Deps) { d.Dev = true }) // /metrics is served on dev's one listener
	webtest.Do(e.Server, "GET", "/healthz", nil, nil)
	webtest.Do(e.Server, "GET", "/random/path/123", nil, nil)
	rec := webtest.Do(e.Server, "GET", "/metrics", nil, nil)
	body := rec.Body.String()
	for _, want := range []string{
		`luneo_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
		`luneo_http_requests_total{method="GET",route="/",status="404"} 1`,
		"luneo_http_requests_in_flight 1",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "/random/path/123") {
		t.Error("raw path used as a label")
	}
}
