package queue_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/queue"
)

// limitedRun is one run of limited jobs over url: on PostgreSQL by two
// worker processes (this one and a child), on SQLite by this one.
type limitedRun struct {
	d *db.DB
	q *queue.Queue
}

func startLimited(t *testing.T, url string, lim queue.Limits, jobs []renderArgs, brands []string) *limitedRun {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := queue.Migrate(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	createProbe(t, d, brands)
	cfg := testKVConfig(t, url, lim)
	store, closeKV, err := openKV(ctx, d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeKV)
	q, err := newLimitedQueue(d, store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d.Dialect == db.Postgres {
		startChild(t, cfg)
	}
	// Every job commits in one transaction, as a burst of saved designs would.
	err = d.InTx(ctx, func(tx *sql.Tx) error {
		for _, args := range jobs {
			if _, err := q.InsertTx(ctx, tx, args, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := q.Stop(sctx); err != nil {
			t.Error(err)
		}
	})
	return &limitedRun{d: d, q: q}
}

// waitCompleted waits until n limited jobs completed.
func (r *limitedRun) waitCompleted(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var done int
		if err := r.d.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'test_render' AND state = 'completed'`).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d limited jobs completed after 90 s", done, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func jobsFor(counts map[string]int, sleep time.Duration) []renderArgs {
	var jobs []renderArgs
	for brand, n := range counts {
		for range n {
			jobs = append(jobs, renderArgs{Brand: brand, Sleep: sleep})
		}
	}
	return jobs
}

// TestLimitsUnderContention runs three brands' jobs, one brand flooding,
// through two worker processes (one on SQLite) with 10 workers each, and
// checks that no more than 5 ran at once in total nor 3 for one brand,
// that every job completed on its first attempt although many were
// snoozed, and (PostgreSQL) that both processes worked.
func TestLimitsUnderContention(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, url string) {
		brands := []string{"brand-a", "brand-b", "brand-c"}
		jobs := jobsFor(map[string]int{"brand-a": 16, "brand-b": 8, "brand-c": 6}, 80*time.Millisecond)
		r := startLimited(t, url, queue.Limits{Snooze: 100 * time.Millisecond}, jobs, brands)
		r.waitCompleted(t, len(jobs))

		peaks := map[string]int{}
		rows, err := r.d.Query(`SELECT name, peak, running FROM limit_probe`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name string
			var peak, running int
			if err := rows.Scan(&name, &peak, &running); err != nil {
				t.Fatal(err)
			}
			peaks[name] = peak
			if running != 0 {
				t.Errorf("%s: %d still counted running after every job completed", name, running)
			}
		}
		rows.Close()
		t.Logf("peak running: %v", peaks)
		if peaks["all"] > 5 {
			t.Errorf("%d jobs ran at once, limit 5", peaks["all"])
		}
		for _, b := range brands {
			if peaks[b] > 3 {
				t.Errorf("%s ran %d jobs at once, limit 3", b, peaks[b])
			}
		}

		// River counts snoozes in the job's metadata (JSONB on SQLite, jsonb
		// on PostgreSQL: ->> reads both).
		var snoozes, retried int
		if err := r.d.QueryRow(`SELECT COALESCE(SUM(CAST(metadata->>'snoozes' AS INTEGER)), 0),
			COALESCE(SUM(CASE WHEN attempt <> 1 THEN 1 ELSE 0 END), 0)
			FROM river_job WHERE kind = 'test_render'`).Scan(&snoozes, &retried); err != nil {
			t.Fatal(err)
		}
		if retried > 0 {
			t.Errorf("%d jobs used more than one attempt: a snooze must not count as one", retried)
		}
		if snoozes == 0 {
			t.Error("no job was ever snoozed: the limits were never reached, the test proves nothing")
		}
		t.Logf("%d snoozes in all", snoozes)

		var pids int
		if err := r.d.QueryRow(`SELECT count(DISTINCT pid) FROM limit_start`).Scan(&pids); err != nil {
			t.Fatal(err)
		}
		if r.d.Dialect == db.Postgres && pids != 2 {
			t.Errorf("jobs ran in %d processes, want both workers", pids)
		}
	})
}

// TestRateLimitPerBrand lets each brand start 4 jobs per 1 s window and
// gives two brands 10 jobs each: each brand needs three windows, so its
// first and last start are at least two windows apart, and no window's
// length of time holds more than two windows' worth of starts.
func TestRateLimitPerBrand(t *testing.T) {
	t.Parallel()
	const starts, window = 4, time.Second
	dbtest.EachURL(t, func(t *testing.T, url string) {
		brands := []string{"brand-a", "brand-b"}
		jobs := jobsFor(map[string]int{"brand-a": 10, "brand-b": 10}, 10*time.Millisecond)
		r := startLimited(t, url, queue.Limits{Starts: starts, Window: window, Snooze: 50 * time.Millisecond}, jobs, brands)
		r.waitCompleted(t, len(jobs))
		for _, b := range brands {
			var at []int64
			rows, err := r.d.Query(`SELECT at_ms FROM limit_start WHERE brand = $1`, b)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var ms int64
				if err := rows.Scan(&ms); err != nil {
					t.Fatal(err)
				}
				at = append(at, ms)
			}
			rows.Close()
			slices.Sort(at)
			// A window opens with the start that counts first in it, a few
			// milliseconds before that start is recorded: half a window of
			// slack covers that without letting a doubled limit through.
			span := time.Duration(at[len(at)-1]-at[0]) * time.Millisecond
			if want := 2*window - window/2; span < want {
				t.Errorf("%s: %d starts within %s, want them spread over at least %s (%d per %s)",
					b, len(at), span, want, starts, window)
			}
			for i := range at {
				n := 0
				for _, ms := range at[i:] {
					if ms-at[i] < window.Milliseconds() {
						n++
					}
				}
				if n > 2*starts {
					t.Errorf("%s: %d starts within %s from start %d", b, n, window, i)
				}
			}
			t.Logf("%s: starts at %v ms", b, relative(at))
		}
	})
}

func relative(at []int64) []int64 {
	out := make([]int64, len(at))
	for i, ms := range at {
		out[i] = ms - at[0]
	}
	return out
}

// TestLimitedKindRetries checks the retry policy of limited kinds: three
// attempts (unless the insert chose otherwise), the first retry after about
// a second and the second after about two.
func TestLimitedKindRetries(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, url string) {
		r := startLimited(t, url, queue.Limits{}, nil, nil)
		ctx := context.Background()
		id, err := r.q.Insert(ctx, renderArgs{Brand: "b", Fail: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		chosen, err := r.q.Insert(ctx, renderArgs{Brand: "b"}, &river.InsertOpts{MaxAttempts: 7})
		if err != nil {
			t.Fatal(err)
		}
		if job, err := r.q.Job(ctx, chosen); err != nil || job.MaxAttempts != 7 {
			t.Fatalf("job inserted with MaxAttempts 7: %+v %v", job, err)
		}
		// A retry waits RetryBase·2^(n-1) after the n-th failure, ±10 %:
		// read from the row while it waits (River makes a short retry
		// available at once, with its scheduled_at in the future).
		backoffs := map[int]time.Duration{}
		deadline := time.Now().Add(60 * time.Second)
		for {
			job, err := r.q.Job(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if job.MaxAttempts != 3 {
				t.Fatalf("limited job has MaxAttempts %d, want 3", job.MaxAttempts)
			}
			if n := len(job.Errors); n > 0 && (job.State == "available" || job.State == "retryable") {
				backoffs[n] = job.ScheduledAt.Sub(job.Errors[n-1].At)
			}
			if job.State == "discarded" {
				if job.Attempt != 3 || len(job.Errors) != 3 || !strings.Contains(job.Errors[0].Error, "on purpose") {
					t.Fatalf("discarded after attempt %d with errors %+v, want 3 failures", job.Attempt, job.Errors)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("failing job still %s at attempt %d after 60 s", job.State, job.Attempt)
			}
			time.Sleep(50 * time.Millisecond)
		}
		for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second} {
			got, seen := backoffs[n]
			if !seen {
				t.Errorf("the wait after failure %d was never seen", n)
				continue
			}
			if got < want*9/10-10*time.Millisecond || got > want*11/10+10*time.Millisecond {
				t.Errorf("retry after failure %d scheduled %s later, want %s ±10 %%", n, got, want)
			}
		}
	})
}
