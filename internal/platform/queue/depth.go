package queue

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// depthCollector reports how many jobs wait in each state at scrape time.
// It reads the database on each scrape (cheap: river_job is indexed by state).
type depthCollector struct {
	q    *Queue
	desc *prometheus.Desc
}

// DepthCollector returns a Prometheus collector of queue depth by state.
func (q *Queue) DepthCollector() prometheus.Collector {
	return depthCollector{q: q, desc: prometheus.NewDesc("luneo_queue_jobs",
		"Jobs in the queue by state (available, scheduled, retryable, running).", []string{"state"}, nil)}
}

func (c depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts := map[string]float64{"available": 0, "scheduled": 0, "retryable": 0, "running": 0}
	rows, err := c.q.db.QueryContext(ctx, `SELECT state, count(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable', 'running') GROUP BY state`)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for rows.Next() {
		var state string
		var n float64
		if rows.Scan(&state, &n) == nil {
			counts[state] = n
		}
	}
	rows.Close()
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, n, state)
	}
}
