package main

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// recorder collects the latency of every request by kind, and the errors
// (a status outside 2xx, or no answer) with a few examples.
type recorder struct {
	mu      sync.Mutex
	start   time.Time
	end     time.Time
	lat     map[string][]time.Duration
	errs    map[string]int
	samples map[string]string
	kinds   []string
}

func newRecorder() *recorder {
	return &recorder{start: time.Now(), lat: map[string][]time.Duration{}, errs: map[string]int{}, samples: map[string]string{}}
}

// add records one request of kind that took d; err (non-nil) is a failure.
func (r *recorder) add(kind string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, seen := r.lat[kind]; !seen {
		r.kinds = append(r.kinds, kind)
		r.lat[kind] = nil
	}
	r.lat[kind] = append(r.lat[kind], d)
	if err != nil {
		r.errs[kind]++
		if _, ok := r.samples[kind]; !ok {
			r.samples[kind] = err.Error()
		}
	}
}

// stop marks the end of the measured period.
func (r *recorder) stop() { r.end = time.Now() }

const tableHeader = "| setup | request | count | per s | errors | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|\n"

// rows formats one table row per kind, then the first error of each kind.
func (r *recorder) rows(setup string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	secs := r.end.Sub(r.start).Seconds()
	var b strings.Builder
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }
	for _, k := range r.kinds {
		d := slices.Clone(r.lat[k])
		slices.Sort(d)
		fmt.Fprintf(&b, "| %s | %s | %d | %.0f | %d | %s | %s | %s |\n", setup, k, len(d), float64(len(d))/secs, r.errs[k],
			ms(benchapi.Percentile(d, 50)), ms(benchapi.Percentile(d, 99)), ms(d[len(d)-1]))
	}
	for _, k := range r.kinds {
		if s, ok := r.samples[k]; ok {
			fmt.Fprintf(&b, "first %s error: %.300s\n", k, s)
		}
	}
	return b.String()
}
