package queue_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/queue"
)

// The benchmarks behind bench/queue.sh: how soon a job committed with
// InsertTx starts, and how many no-op jobs per second the limiter lets
// through, on each dialect. PostgreSQL runs only with LUNEO_TEST_POSTGRES;
// the kv store is Redis with LUNEO_TEST_REDIS, else the SQL kv table.

type noopArgs struct {
	Tenant string `json:"t"`
}

func (noopArgs) Kind() string { return "bench_noop" }

func (a noopArgs) LimitKey() (string, string) { return "render", a.Tenant }

// noopWorker reports the moment each job starts.
type noopWorker struct {
	river.WorkerDefaults[noopArgs]
	started chan time.Time
}

func (w *noopWorker) Work(context.Context, *river.Job[noopArgs]) error {
	if w.started != nil {
		w.started <- time.Now()
	}
	return nil
}

// plainArgs is the same no-op without Limited, for the side-by-side run.
type plainArgs struct{}

func (plainArgs) Kind() string { return "bench_plain" }

type plainWorker struct {
	river.WorkerDefaults[plainArgs]
}

func (plainWorker) Work(context.Context, *river.Job[plainArgs]) error { return nil }

// benchURL returns a fresh migrated database of dialect and its URL, or
// skips. (dbtest.PostgresURL takes a *testing.T, hence this copy for B.)
func benchURL(b *testing.B, dialect db.Dialect) (*db.DB, string) {
	b.Helper()
	raw := dbtest.SQLiteURL(b)
	if dialect == db.Postgres {
		base := os.Getenv(dbtest.PostgresEnv)
		if base == "" {
			b.Skip("set LUNEO_TEST_POSTGRES to benchmark PostgreSQL")
		}
		var r [6]byte
		_, _ = rand.Read(r[:])
		schema := "b_" + hex.EncodeToString(r[:])
		admin, err := db.Open(context.Background(), base)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); admin.Close() })
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		raw = u.String()
	}
	d, err := db.Open(context.Background(), raw)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	if _, err := queue.Migrate(context.Background(), d, nil); err != nil {
		b.Fatal(err)
	}
	return d, raw
}

func benchKV(b *testing.B, d *db.DB) kv.Store {
	if r := os.Getenv("LUNEO_TEST_REDIS"); r != "" {
		var p [8]byte
		_, _ = rand.Read(p[:])
		s, err := kv.OpenRedis(context.Background(), r, "luneo-bench:"+hex.EncodeToString(p[:])+":")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		return s
	}
	return kv.NewSQL(d.DB, nil)
}

func startQueue(b *testing.B, d *db.DB, reg *queue.Registry, opts queue.Options) *queue.Queue {
	q, err := queue.New(d, reg, opts)
	if err != nil {
		b.Fatal(err)
	}
	if opts.Work {
		if err := q.Start(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_ = q.Stop(ctx)
		})
	}
	return q
}

// BenchmarkWakeup measures commit → job start for a limited job inserted
// with InsertTx, one job at a time, with River's default 1 s poll, saves
// 30 ms or 150 ms apart. On
// PostgreSQL the inserting queue is another client than the worker (as
// serve and worker are); "poll" is the same without the LISTEN connection.
func BenchmarkWakeup(b *testing.B) {
	for _, tc := range []struct {
		name    string
		dialect db.Dialect
		listen  bool
	}{{"sqlite", db.SQLite, true}, {"postgres", db.Postgres, true}, {"postgres-poll", db.Postgres, false}} {
		for _, gap := range []time.Duration{30 * time.Millisecond, 150 * time.Millisecond} {
			b.Run(fmt.Sprintf("%s/gap=%s", tc.name, gap), func(b *testing.B) {
				wakeup(b, tc.dialect, tc.listen, gap)
			})
		}
	}
}

// wakeup measures b.N wake-ups, each insert gap after the previous job started.
func wakeup(b *testing.B, dialect db.Dialect, listen bool, gap time.Duration) {
	d, raw := benchURL(b, dialect)
	w := &noopWorker{started: make(chan time.Time, 1)}
	reg := queue.NewRegistry()
	queue.Register(reg, w)
	opts := queue.Options{Work: true, KV: benchKV(b, d), Concurrency: 10}
	if listen {
		opts.DatabaseURL = raw
	}
	worker := startQueue(b, d, reg, opts)
	inserter := worker
	if dialect == db.Postgres {
		ireg := queue.NewRegistry()
		queue.Register(ireg, &noopWorker{})
		inserter = startQueue(b, d, ireg, queue.Options{})
	}
	time.Sleep(2 * time.Second) // leadership and queues settled
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			_, err := inserter.InsertTx(ctx, tx, noopArgs{Tenant: fmt.Sprint(i % 3)}, nil)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		committed := time.Now()
		lat = append(lat, (<-w.started).Sub(committed))
		// The time between two saves: 150 ms is longer than River's
		// notify and fetch cooldowns, 30 ms shorter than its default 100 ms.
		time.Sleep(gap)
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[int(math.Ceil(0.95*float64(len(lat))))-1]), "p95-ms")
	b.ReportMetric(0, "ns/op")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkThroughput inserts b.N no-op jobs in one transaction, then times
// how long 50 or 200 workers take to complete them all: River fetches at
// most once per FetchCooldown (100 ms) as many jobs as it has free workers,
// so workers/FetchCooldown is its ceiling. "limited" goes through the
// limiter with limits high enough that it never snoozes (every job still
// takes and gives back two slots and counts a start: 5 kv operations),
// "plain" is the same without it, side by side.
func BenchmarkThroughput(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		for _, limited := range []bool{true, false} {
			for _, workers := range []int{50, 200} {
				mode := "plain"
				if limited {
					mode = "limited"
				}
				b.Run(fmt.Sprintf("%s/%s/workers=%d", dialect, mode, workers), func(b *testing.B) {
					throughput(b, dialect, limited, workers)
				})
			}
		}
	}
}

func throughput(b *testing.B, dialect db.Dialect, limited bool, workers int) {
	d, raw := benchURL(b, dialect)
	reg := queue.NewRegistry()
	queue.Register(reg, &noopWorker{})
	queue.Register(reg, plainWorker{})
	q := startQueue(b, d, reg, queue.Options{})
	ctx := context.Background()
	err := d.InTx(ctx, func(tx *sql.Tx) error {
		for i := range b.N {
			var args river.JobArgs = plainArgs{}
			if limited {
				args = noopArgs{Tenant: fmt.Sprint(i % 10)}
			}
			if _, err := q.InsertTx(ctx, tx, args, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	lim := queue.Limits{Total: 1000, PerTenant: 1000, Starts: 1 << 30}
	b.ResetTimer()
	start := time.Now()
	startQueue(b, d, reg, queue.Options{Work: true, Concurrency: workers, KV: benchKV(b, d),
		Limits: lim, DatabaseURL: raw})
	for {
		var left int
		if err := d.QueryRow(`SELECT count(*) FROM river_job WHERE state <> 'completed'`).Scan(&left); err != nil {
			b.Fatal(err)
		}
		if left == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "jobs/s")
}
