// Package ops is the operators' surface: /healthz and /readyz for load
// balancers and orchestrators, and /metrics for Prometheus. Its routes are
// httpx.Public (probes carry no credentials); who may reach /metrics is
// decided by where it is mounted: internal/web gives it Metrics only on an
// ops-only listener or in dev. Its tests (package ops_test) start the whole
// app with webtest.
package ops

import (
	"log/slog"

	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web/httpx"
)

// Deps is what the ops routes need.
type Deps struct {
	Kit *httpx.Kit
	// Checks are run by /readyz.
	Checks []obs.Check
	// Metrics is exposed at /metrics; nil leaves /metrics out (a 404), as
	// on serve's public listener: metrics name routes, job kinds and
	// volumes, an operator's business, not the public's.
	Metrics *obs.Metrics
}

// Ops answers the health, readiness and metrics routes.
type Ops struct {
	checks  []obs.Check
	metrics *obs.Metrics
	logger  *slog.Logger
}

// New builds the ops surface.
func New(d Deps) *Ops {
	return &Ops{checks: d.Checks, metrics: d.Metrics, logger: d.Kit.Logger}
}

// Routes is the ops route table.
func (o *Ops) Routes() []httpx.Route {
	rs := []httpx.Route{
		httpx.Handle("GET", "/healthz", httpx.Public, o.healthz),
		httpx.Handle("GET", "/readyz", httpx.Public, o.readyz),
	}
	if o.metrics != nil {
		rs = append(rs, httpx.Route{Method: "GET", Path: "/metrics", Policy: httpx.Public, Handler: o.metrics.Handler()})
	}
	return rs
}
