package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// recorder collects the latency of every delivery by kind, and the errors
// with the first one of each kind as an example.
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

// add records one delivery of kind that took d; err (non-nil) is a failure.
func (r *recorder) add(kind string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, seen := r.lat[kind]; !seen {
		r.kinds = append(r.kinds, kind)
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

// summary is one kind's figures, as -save writes them for -floor.
type summary struct {
	Count  int           `json:"count"`
	Errors int           `json:"errors"`
	P50    time.Duration `json:"p50"`
	P95    time.Duration `json:"p95"`
	P99    time.Duration `json:"p99"`
	Max    time.Duration `json:"max"`
}

// summarize sorts d and reads its percentiles.
func summarize(d []time.Duration, errs int) summary {
	d = slices.Clone(d)
	slices.Sort(d)
	s := summary{Count: len(d), Errors: errs}
	if len(d) > 0 {
		s.P50, s.P95, s.P99, s.Max = benchapi.Percentile(d, 50), benchapi.Percentile(d, 95), benchapi.Percentile(d, 99), d[len(d)-1]
	}
	return s
}

// summaries are the figures of every kind.
func (r *recorder) summaries() map[string]summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]summary{}
	for _, k := range r.kinds {
		out[k] = summarize(r.lat[k], r.errs[k])
	}
	return out
}

const tableHeader = "| setup | deliveries | count | per s | errors | p50 ms | p95 ms | p99 ms | max ms | p50 × floor | p99 × floor |\n" +
	"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"

// rows formats one table row per kind, dividing by floor's figures of the
// same kind when given, then the first error of each kind.
func (r *recorder) rows(setup string, floor map[string]summary) string {
	sums := r.summaries()
	secs := r.end.Sub(r.start).Seconds()
	var b strings.Builder
	for _, k := range r.kinds {
		b.WriteString(row(setup, k, sums[k], floor[k], secs))
	}
	for _, k := range r.kinds {
		if s, ok := r.samples[k]; ok {
			fmt.Fprintf(&b, "first %s error (%s): %.400s\n", k, setup, s)
		}
	}
	return b.String()
}

// row is one table row; ratios are "–" without a floor.
func row(setup, kind string, s, floor summary, secs float64) string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }
	ratio := func(a, b time.Duration) string {
		if b <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f", float64(a)/float64(b))
	}
	rate := 0.0
	if secs > 0 {
		rate = float64(s.Count) / secs
	}
	return fmt.Sprintf("| %s | %s | %d | %.0f | %d | %s | %s | %s | %s | %s | %s |\n", setup, kind, s.Count, rate, s.Errors,
		ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), ratio(s.P50, floor.P50), ratio(s.P99, floor.P99))
}

func writeSummaries(path string, s map[string]summary) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func readSummaries(path string) (map[string]summary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s map[string]summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
