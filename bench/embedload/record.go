package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// recorder collects the latency of every request by kind, and the errors
// (a status outside 2xx, or no answer) with the first of each kind.
type recorder = benchapi.Recorder

func newRecorder() *recorder { return benchapi.NewRecorder() }

const tableHeader = "| setup | request | count | per s | errors | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|\n"

// rows formats one table row per kind of r, then the first error of each
// kind.
func rows(r *recorder, setup string) string {
	kinds, sums := r.Summaries()
	var b strings.Builder
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }
	for _, k := range kinds {
		s := sums[k]
		fmt.Fprintf(&b, "| %s | %s | %d | %.0f | %d | %s | %s | %s |\n", setup, k, s.Count, s.PerSecond, s.Errors,
			ms(s.P50), ms(s.P99), ms(s.Max))
	}
	for _, k := range kinds {
		if e := sums[k].FirstError; e != "" {
			fmt.Fprintf(&b, "first %s error: %.300s\n", k, e)
		}
	}
	return b.String()
}
