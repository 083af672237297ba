package main

import (
	"strings"
	"testing"
	"time"
)

// TestParseTimeV reads GNU time -v's wall clock (m:ss and h:mm:ss forms)
// and peak RSS, and refuses output without them.
func TestParseTimeV(t *testing.T) {
	out := `	Command being timed: "zip -q -r /tmp/x.zip ."
	User time (seconds): 1.10
	Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.32
	Average total size (kbytes): 0
	Maximum resident set size (kbytes): 2148
	Exit status: 0
`
	r, err := parseTimeV(out)
	if err != nil || r.elapsed != 1320*time.Millisecond || r.rssPeak != 2148<<10 {
		t.Fatalf("%+v %v", r, err)
	}
	long := strings.Replace(out, "0:01.32", "1:02:03.5", 1)
	if r, err := parseTimeV(long); err != nil || r.elapsed != time.Hour+2*time.Minute+3500*time.Millisecond {
		t.Fatalf("h:mm:ss: %+v %v", r, err)
	}
	if _, err := parseTimeV("Exit status: 0\n"); err == nil {
		t.Fatal("no figures, no error")
	}
}

// TestRows: the job's row divides by zip's default run; a job not seen
// producing shows "–".
func TestRows(t *testing.T) {
	r := result{lines: 2, entries: 6, zipSize: 3 << 20, job: 300 * time.Millisecond, postReady: 350 * time.Millisecond,
		rssPeak: 120 << 20, rssAtStart: 100 << 20}
	z := zipRun{args: []string{"zip", "-q", "-r"}, elapsed: 200 * time.Millisecond, rssPeak: 2 << 20, size: 3 << 20}
	got := rows("dev", r, z)
	want := "| dev | luneo production job (producing → ready_at) | 2 | 6 | 3.0 | 300 | 1.50 | 120.0 (100.0 before) | 350 |\n" +
		"| dev | zip -q -r | 2 | 6 | 3.0 | 200 | 1.00 | 2.0 | – |\n"
	if got != want {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
	r.job = 0
	if got := rows("dev", r, z); !strings.Contains(got, "| 3.0 | – | – |") {
		t.Errorf("job unseen: %q", got)
	}
}
