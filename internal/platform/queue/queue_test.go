package queue_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/platform/queue"
)

type echoArgs struct{ Msg string }

func (echoArgs) Kind() string { return "test_echo" }

// echoWorker reports each job's message and the request ID its context carries.
type echoWorker struct {
	river.WorkerDefaults[echoArgs]
	seen chan [2]string
}

func (w *echoWorker) Work(ctx context.Context, job *river.Job[echoArgs]) error {
	w.seen <- [2]string{job.Args.Msg, obs.RequestID(ctx)}
	return nil
}

func TestQueueOnEveryDialect(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if _, err := queue.Migrate(ctx, d, nil); err != nil {
			t.Fatal(err)
		}
		n, err := queue.Migrate(ctx, d, nil)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d (%v)", n, err)
		}
		reg := queue.NewRegistry()
		w := &echoWorker{seen: make(chan [2]string, 10)}
		queue.Register(reg, w)
		m := obs.NewMetrics()
		q, err := queue.New(d, reg, queue.Options{Work: true, Concurrency: 2, PollInterval: 100 * time.Millisecond, Metrics: m})
		if err != nil {
			t.Fatal(err)
		}
		m.Registry.MustRegister(q.DepthCollector())
		if err := q.Ping(ctx); err != nil {
			t.Fatal(err)
		}

		// A job inserted in a rolled-back transaction never exists.
		boom := errors.New("rollback")
		err = d.InTx(ctx, func(tx *sql.Tx) error {
			if _, err := q.InsertTx(ctx, tx, echoArgs{Msg: "ghost"}, nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		rctx := obs.WithRequestID(ctx, "req-123")
		id, err := q.Insert(rctx, echoArgs{Msg: "hello"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := testutil.CollectAndCount(q.DepthCollector()); n != 4 {
			t.Fatalf("depth collector gave %d series, want 4", n)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-w.seen:
			if got != [2]string{"hello", "req-123"} {
				t.Fatalf("worked %v, want hello with req-123", got)
			}
		case <-ctx.Done():
			t.Fatal("job never worked")
		}
		// The rolled-back job left no row, so no worker can ever pick it up.
		var rows int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM river_job`).Scan(&rows); err != nil || rows != 1 {
			t.Fatalf("%d job rows (%v), want only the committed one", rows, err)
		}
		// Wait for the completion to be recorded.
		for testutil.ToFloat64(m.JobsTotal.WithLabelValues("test_echo", "completed")) < 1 {
			if ctx.Err() != nil {
				t.Fatal("completion never counted")
			}
			time.Sleep(20 * time.Millisecond)
		}
		job, err := q.Job(ctx, id)
		if err != nil || job.State != "completed" || queue.RequestIDOf(job) != "req-123" {
			t.Fatalf("job row: %+v %v", job, err)
		}
		stopCtx, stopCancel := context.WithTimeout(ctx, 10*time.Second)
		defer stopCancel()
		if err := q.Stop(stopCtx); err != nil {
			t.Fatal(err)
		}
		// Stop waited for every worker: nothing else was worked, nor will be.
		select {
		case got := <-w.seen:
			t.Fatalf("worked %v besides the committed job", got)
		default:
		}
		want := "# HELP luneo_queue_jobs Jobs in the queue by state (available, scheduled, retryable, running).\n" +
			"# TYPE luneo_queue_jobs gauge\n" +
			`luneo_queue_jobs{state="available"} 0` + "\n" + `luneo_queue_jobs{state="retryable"} 0` + "\n" +
			`luneo_queue_jobs{state="running"} 0` + "\n" + `luneo_queue_jobs{state="scheduled"} 0` + "\n"
		if err := testutil.GatherAndCompare(m.Registry, strings.NewReader(want), "luneo_queue_jobs"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPingWithoutMigrations(t *testing.T) {
	t.Parallel()
	d, err := db.Open(context.Background(), dbtest.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	q, err := queue.New(d, queue.NewRegistry(), queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Ping(context.Background()); err == nil {
		t.Fatal("ping succeeded without migrations")
	}
}
