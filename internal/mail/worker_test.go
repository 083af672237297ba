package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// job builds the job River would hand the worker for an outbox row.
func job(id string, attempt int) *river.Job[SendArgs] {
	return &river.Job[SendArgs]{
		JobRow: &rivertype.JobRow{ID: 1, Kind: "send_email", Attempt: attempt, MaxAttempts: MaxAttempts},
		Args:   SendArgs{OutboxID: id},
	}
}

func TestWorkerIsIdempotent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newOutboxEnv(t, d, serverOpts{}, "smtp://ADDR?tls=none", false)
		id := e.sendCommitted(t)
		ctx := context.Background()
		for attempt := 1; attempt <= 2; attempt++ {
			if err := e.worker.Work(ctx, job(id, attempt)); err != nil {
				t.Fatalf("run %d: %v", attempt, err)
			}
		}
		checkDelivered(t, e.ts)
		if r := e.row(t, id); !r.sent || r.attempts != 1 {
			t.Fatalf("row %+v", r)
		}
		// A job whose row is gone has nothing to do.
		if err := e.worker.Work(ctx, job("no-such-id", 1)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWorkerRecordsFailures(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newOutboxEnv(t, d, serverOpts{}, "smtp://ADDR?tls=none", false)
		id := e.sendCommitted(t)
		ctx := context.Background()

		e.ts.failData.Store(true)
		err := e.worker.Work(ctx, job(id, 1))
		var cancel *rivertype.JobCancelError
		if err == nil || errors.As(err, &cancel) || !strings.Contains(err.Error(), "451") {
			t.Fatalf("temporary failure gave %v, want a retryable error", err)
		}
		if r := e.row(t, id); r.sent || r.attempts != 1 || !strings.Contains(r.lastErr, "451") {
			t.Fatalf("row %+v", r)
		}

		e.ts.failData.Store(false)
		e.ts.rejectRcpt.Store(true)
		err = e.worker.Work(ctx, job(id, 2))
		if !errors.As(err, &cancel) || !strings.Contains(err.Error(), "550") {
			t.Fatalf("refused recipient gave %v, want the job cancelled", err)
		}
		if r := e.row(t, id); r.sent || r.attempts != 2 || !strings.Contains(r.lastErr, "550") {
			t.Fatalf("row %+v", r)
		}

		e.ts.rejectRcpt.Store(false)
		if err := e.worker.Work(ctx, job(id, 3)); err != nil {
			t.Fatal(err)
		}
		checkDelivered(t, e.ts)
		if r := e.row(t, id); !r.sent || r.attempts != 3 || r.lastErr != "" {
			t.Fatalf("row %+v", r)
		}
	})
}

func TestSendArgs(t *testing.T) {
	t.Parallel()
	w := NewSendWorker(nil, nil, nil)
	if got := w.Timeout(job("x", 1)); got != time.Minute {
		t.Fatalf("timeout %v", got)
	}
	opts := SendArgs{}.InsertOpts()
	if (SendArgs{}).Kind() != "send_email" || opts.MaxAttempts != 10 {
		t.Fatalf("kind %q, max attempts %d", SendArgs{}.Kind(), opts.MaxAttempts)
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	if got := truncate("aé", 2); got != "a" {
		t.Fatalf("%q", got)
	}
	if got := truncate("abc", 5); got != "abc" {
		t.Fatalf("%q", got)
	}
}
