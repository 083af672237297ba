package ops

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/luneo/luneo/internal/web/httpx"
)

// healthz says the process is alive and serving; it checks nothing else, so
// a slow database never gets a healthy process restarted.
func (o *Ops) healthz(w http.ResponseWriter, r *http.Request) {
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz pings every dependency at once (2 s each) and answers 503 naming the
// ones that failed, so load balancers stop sending traffic to this process.
// Causes are logged, not returned: they can hold hostnames and credentials.
func (o *Ops) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	results := make(map[string]string, len(o.checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	ok := true
	for _, c := range o.checks {
		wg.Go(func() {
			err := c.Ping(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				ok = false
				results[c.Name] = "unavailable"
				o.logger.WarnContext(r.Context(), "readiness check failed", "check", c.Name, "error", err)
				return
			}
			results[c.Name] = "ok"
		})
	}
	wg.Wait()
	status, word := http.StatusOK, "ok"
	if !ok {
		status, word = http.StatusServiceUnavailable, "unavailable"
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, status, map[string]any{"status": word, "checks": results})
}
