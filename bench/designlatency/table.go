package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// tableHeader names the columns of row. Every time cell is
// "p50 / p95 / max" in milliseconds.
const tableHeader = `| setup | pass | saves | saved → texture seen | saved → texture finished_at | POST | render created → finished | of which queued | saved → GLB + USDZ + views seen | model render created → finished | saved → print files seen |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
`

// row is one table row for a pass's samples.
func row(setup string, p pass, observe string, samples []sample) string {
	pick := func(f func(sample) time.Duration) string {
		d := make([]time.Duration, 0, len(samples))
		for _, s := range samples {
			d = append(d, f(s))
		}
		return spread(d)
	}
	name := p.name
	if p.clients > 1 {
		name = fmt.Sprintf("%s (%d clients)", name, p.clients)
	}
	printFiles := "–"
	if p.produce {
		printFiles = pick(func(s sample) time.Duration { return s.produce })
	}
	cells := []string{setup, name, fmt.Sprint(len(samples)),
		pick(func(s sample) time.Duration { return s.seen }) + " (" + observe + ")",
		pick(func(s sample) time.Duration { return s.finished }),
		pick(func(s sample) time.Duration { return s.post }),
		pick(func(s sample) time.Duration { return s.server }),
		pick(func(s sample) time.Duration { return s.queueWait }),
		pick(func(s sample) time.Duration { return s.model }),
		pick(func(s sample) time.Duration { return s.modelSrv }),
		printFiles}
	return "| " + strings.Join(cells, " | ") + " |"
}

// spread formats the p50, p95 and max of d in milliseconds.
func spread(d []time.Duration) string {
	if len(d) == 0 {
		return "–"
	}
	slices.Sort(d)
	ms := func(x time.Duration) string { return fmt.Sprintf("%.0f", float64(x)/float64(time.Millisecond)) }
	return ms(benchapi.Percentile(d, 50)) + " / " + ms(benchapi.Percentile(d, 95)) + " / " + ms(d[len(d)-1])
}
