package obs

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds Luneo's own Prometheus registry and the collectors the
// platform updates. It is built once in run and passed to whoever records.
type Metrics struct {
	Registry *prometheus.Registry

	HTTPRequests *prometheus.CounterVec   // by route pattern, method, status
	HTTPDuration *prometheus.HistogramVec // by route pattern, method
	HTTPInFlight prometheus.Gauge

	JobsTotal   *prometheus.CounterVec   // by kind, final state of the attempt
	JobDuration *prometheus.HistogramVec // run time by kind, state
}

// NewMetrics registers the Go runtime, process and Luneo collectors on a fresh registry.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "luneo_http_requests_total",
			Help: "HTTP requests served, by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "luneo_http_request_duration_seconds",
			Help:    "Time to serve HTTP requests, by route pattern and method.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}),
		HTTPInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "luneo_http_requests_in_flight",
			Help: "HTTP requests being served now.",
		}),
		JobsTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "luneo_jobs_total",
			Help: "Job attempts finished by this process, by kind and resulting state.",
		}, []string{"kind", "state"}),
		JobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "luneo_job_duration_seconds",
			Help:    "Run time of job attempts, by kind and resulting state.",
			Buckets: []float64{.005, .01, .05, .1, .5, 1, 5, 10, 30, 60, 300},
		}, []string{"kind", "state"}),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.HTTPRequests, m.HTTPDuration, m.HTTPInFlight, m.JobsTotal, m.JobDuration,
	)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}
