package main

import (
	"fmt"
	"strings"
	"time"
)

// tableHeader names the columns of rows. "× zip" divides a build time by
// zip's default run's, so a figure above 1 is slower than archiving the
// same files by hand.
const tableHeader = `| setup | builder | lines | files in ZIP | ZIP MB | build ms | × zip -r | peak RSS MB | POST → ready ms |
|---|---|---:|---:|---:|---:|---:|---:|---:|
`

// rows are the table rows of one setup: the production job, then zip's
// runs over its extracted files.
func rows(setup string, r result, zips ...zipRun) string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f", float64(d)/float64(time.Millisecond)) }
	mb := func(b int64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }
	ratio := func(d time.Duration) string {
		if len(zips) == 0 || zips[0].elapsed <= 0 || d <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f", float64(d)/float64(zips[0].elapsed))
	}
	job, rss := "–", "–"
	if r.job > 0 {
		job = ms(r.job)
	}
	if r.rssPeak > 0 {
		rss = fmt.Sprintf("%s (%s before)", mb(r.rssPeak), mb(r.rssAtStart))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | luneo production job (producing → ready_at) | %d | %d | %s | %s | %s | %s | %s |\n",
		setup, r.lines, r.entries, mb(r.zipSize), job, ratio(r.job), rss, ms(r.postReady))
	for _, z := range zips {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %s | %s | %s | %s | – |\n",
			setup, strings.Join(z.args, " "), r.lines, r.entries, mb(z.size), ms(z.elapsed), ratio(z.elapsed), mb(z.rssPeak))
	}
	return b.String()
}

// notes are the lines printed under the table for one setup: how long the
// print files took to render (before the order, not part of the build) and
// any caveat.
func notes(setup string, r result) string {
	s := fmt.Sprintf("%s: the %d designs' print files rendered in %.1f s before the order (not part of the build)\n",
		setup, r.lines, r.renders.Seconds())
	if r.note != "" {
		s += setup + ": " + r.note + "\n"
	}
	return s
}
