package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// recorder collects the latency of every delivery by kind, and the errors
// with the first one of each kind as an example.
type recorder = benchapi.Recorder

func newRecorder() *recorder { return benchapi.NewRecorder() }

// summary is one kind's figures, as -save writes them for -floor.
type summary = benchapi.Summary

// summaries are the figures of every kind of r.
func summaries(r *recorder) map[string]summary {
	_, sums := r.Summaries()
	return sums
}

const tableHeader = "| setup | deliveries | count | per s | errors | p50 ms | p95 ms | p99 ms | max ms | p50 × floor | p99 × floor |\n" +
	"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"

// rows formats one table row per kind, dividing by floor's figures of the
// same kind when given, then the first error of each kind.
func rows(r *recorder, setup string, floor map[string]summary) string {
	kinds, sums := r.Summaries()
	var b strings.Builder
	for _, k := range kinds {
		b.WriteString(row(setup, k, sums[k], floor[k]))
	}
	for _, k := range kinds {
		if e := sums[k].FirstError; e != "" {
			fmt.Fprintf(&b, "first %s error (%s): %.400s\n", k, setup, e)
		}
	}
	return b.String()
}

// row is one table row; ratios are "–" without a floor.
func row(setup, kind string, s, floor summary) string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }
	ratio := func(a, b time.Duration) string {
		if b <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f", float64(a)/float64(b))
	}
	return fmt.Sprintf("| %s | %s | %d | %.0f | %d | %s | %s | %s | %s | %s | %s |\n", setup, kind, s.Count, s.PerSecond, s.Errors,
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
