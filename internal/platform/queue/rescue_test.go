package queue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/queue"
)

type slowArgs struct{}

func (slowArgs) Kind() string { return "test_slow" }

// slowWorker declares whatever timeout the test gives it.
type slowWorker struct {
	river.WorkerDefaults[slowArgs]
	timeout time.Duration
}

func (w *slowWorker) Work(context.Context, *river.Job[slowArgs]) error { return nil }

func (w *slowWorker) Timeout(*river.Job[slowArgs]) time.Duration { return w.timeout }

func TestEveryKindFitsTheRescueDelay(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	for _, tc := range []struct {
		timeout     time.Duration
		rescueAfter time.Duration
		want        string // error text; "" = accepted
	}{
		{0, 0, ""}, // River's default: the client-wide MaxJobTimeout
		{queue.MaxJobTimeout, 0, ""},
		{queue.MaxJobTimeout + time.Second, 0, "test_slow has a timeout of 1m1s"},
		{-1, 0, "test_slow has no timeout"},
		{time.Second, queue.MaxJobTimeout, "must exceed the longest job timeout"},
	} {
		reg := queue.NewRegistry()
		queue.Register(reg, &slowWorker{timeout: tc.timeout})
		_, err := queue.New(d, reg, queue.Options{RescueAfter: tc.rescueAfter})
		if tc.want == "" && err != nil {
			t.Errorf("timeout %s, rescue after %s: %v", tc.timeout, tc.rescueAfter, err)
		}
		if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("timeout %s, rescue after %s: error %v, want %q", tc.timeout, tc.rescueAfter, err, tc.want)
		}
	}
	reg := queue.NewRegistry()
	queue.Register(reg, &slowWorker{})
	if got := reg.Timeouts()["test_slow"]; got != queue.MaxJobTimeout {
		t.Errorf("a kind keeping River's default runs for %s, want %s", got, queue.MaxJobTimeout)
	}
}

// The default delay keeps the promise of the issue: a job of a crashed
// worker runs again within two minutes, given River's fixed intervals.
func TestDefaultRescueDelayRecoversWithinTwoMinutes(t *testing.T) {
	t.Parallel()
	if b := queue.RecoveryBound(queue.DefaultRescueAfter); b > queue.MaxRecovery {
		t.Fatalf("a crashed job may wait %s before it runs again, more than %s", b, queue.MaxRecovery)
	}
	if queue.DefaultRescueAfter <= queue.MaxJobTimeout {
		t.Fatalf("rescue delay %s does not exceed the longest job timeout %s", queue.DefaultRescueAfter, queue.MaxJobTimeout)
	}
}

// riverTime is t as River's driver stores it: SQLite compares times as text
// in one exact format.
func riverTime(d *db.DB, t time.Time) any {
	if d.Dialect == db.SQLite {
		return t.UTC().Round(time.Millisecond).Format("2006-01-02 15:04:05.000")
	}
	return t
}

// TestCrashedJobIsRetried plays a worker that died mid-job: two jobs are left
// running, as a killed process leaves them, one since just over the rescue
// delay and one since just under it (already past its 60 s timeout). A new
// worker retries the first. The rescuer run that picked the first examined
// the second in the same query, so seeing the first worked is the signal
// that the second was judged, and left running.
func TestCrashedJobIsRetried(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := queue.Migrate(ctx, d, nil); err != nil {
			t.Fatal(err)
		}
		reg := queue.NewRegistry()
		w := &echoWorker{seen: make(chan [2]string, 10)}
		queue.Register(reg, w)
		q, err := queue.New(d, reg, queue.Options{Work: true, PollInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		crash := func(msg string, age time.Duration) int64 {
			id, err := q.Insert(ctx, echoArgs{Msg: msg}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = $2
				WHERE id = $1`, id, riverTime(d, time.Now().Add(-age))); err != nil {
				t.Fatal(err)
			}
			return id
		}
		stuck := crash("stuck", queue.DefaultRescueAfter+time.Second)
		young := crash("young", queue.DefaultRescueAfter-10*time.Second)
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() {
			sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer scancel()
			if err := q.Stop(sctx); err != nil {
				t.Error(err)
			}
		}()
		select {
		case got := <-w.seen:
			if got[0] != "stuck" {
				t.Fatalf("worked %q, want the job stuck past the rescue delay", got[0])
			}
		case <-ctx.Done():
			t.Fatal("the crashed job was never retried")
		}
		job, err := q.Job(ctx, stuck)
		if err != nil {
			t.Fatal(err)
		}
		// The rescue is recorded as the first attempt's error.
		if job.Attempt != 2 || len(job.Errors) != 1 || !strings.Contains(job.Errors[0].Error, "Stuck job rescued") {
			t.Fatalf("retried job: attempt %d, errors %+v", job.Attempt, job.Errors)
		}
		if job, err := q.Job(ctx, young); err != nil || job.State != "running" || job.Attempt != 1 {
			t.Fatalf("job running for less than the rescue delay: %+v %v, want it left running", job, err)
		}
	})
}
