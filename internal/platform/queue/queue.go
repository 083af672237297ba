// Package queue is Luneo's job queue: River on the same database as the
// application data, so a row and the job that processes it commit in one
// transaction (InsertTx). PostgreSQL uses riverdatabasesql and SQLite uses
// riversqlite; both work on *sql.Tx, so business code is the same on both.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/obs"
)

// Registry collects the job kinds (workers) and periodic jobs that business
// modules contribute before the queue is built. Every process registers the
// same kinds, so serve can validate what it enqueues.
type Registry struct {
	workers  *river.Workers
	periodic []*river.PeriodicJob
	timeouts map[string]time.Duration // per kind, as its worker declares it (rescue.go)
	limited  map[string]limitKeyFunc  // kinds whose args are Limited (limits.go)
	// retention is set once the retention worker is registered (retention.go).
	retention bool
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{workers: river.NewWorkers(), timeouts: map[string]time.Duration{},
		limited: map[string]limitKeyFunc{}}
}

// Register adds a worker for the job kind of T. When T is Limited, every
// job of the kind runs under Options.Limits (limiter.go).
func Register[T river.JobArgs](r *Registry, w river.Worker[T]) {
	river.AddWorker(r.workers, w)
	var args T
	r.timeouts[args.Kind()] = timeoutOf(w)
	if keyOf, ok := limitKeyOf[T](); ok {
		r.limited[args.Kind()] = keyOf
	}
}

// Every schedules args to be enqueued every interval (and once at start) by
// whichever worker process is the current leader.
func (r *Registry) Every(interval time.Duration, args func() river.JobArgs) {
	r.periodic = append(r.periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args(), nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
}

// Options configure a Queue.
type Options struct {
	// Work makes this process work jobs (worker and dev); otherwise it only inserts.
	Work bool
	// Concurrency is how many jobs of the default queue are worked at once.
	Concurrency int
	// Queues are the other queues this process works, each with its own
	// worker count: image-heavy kinds run in a queue sized by memory
	// rather than by Concurrency (see ar.Queue).
	Queues map[string]int
	// PollInterval is how often idle workers look for new jobs (default 1s).
	PollInterval time.Duration
	Logger       *slog.Logger
	Metrics      *obs.Metrics

	// RescueAfter is how long a job may run before it counts as crashed and
	// is retried (default DefaultRescueAfter; see rescue.go).
	RescueAfter time.Duration

	// KV holds the limited kinds' slots and counters, shared by every
	// process (Redis, or the SQL kv table); required when a registered kind
	// is Limited and this process works jobs.
	KV kv.Store
	// Limits are the limited kinds' limits (zero fields: DefaultLimits).
	Limits Limits
	// DatabaseURL is the URL d was opened from. On PostgreSQL a worker uses
	// it for a LISTEN connection, so a job committed by any process wakes
	// the workers at once instead of at their next poll (wakeup.go).
	DatabaseURL string
}

// Queue inserts and (optionally) works jobs.
type Queue struct {
	client  *river.Client[*sql.Tx]
	db      *db.DB
	opts    Options
	stopSub func()
	done    chan struct{}
	kinds   map[string]time.Duration // per-attempt timeout of each kind
	// listener is the pool River's LISTEN connection comes from
	// (PostgreSQL workers only), closed by Stop.
	listener *pgxpool.Pool
}

// New builds the River client over d. It does not start working: call Start.
func New(d *db.DB, reg *Registry, opts Options) (*Queue, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 10
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.RescueAfter == 0 {
		opts.RescueAfter = DefaultRescueAfter
	}
	lim, err := opts.Limits.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("create job queue: %w", err)
	}
	opts.Limits = lim
	if opts.Work && len(reg.limited) > 0 {
		if opts.KV == nil {
			return nil, errors.New("create job queue: limited job kinds need a kv store (Options.KV)")
		}
		addRetention(reg, d, lim, opts.Logger)
	}
	if err := checkTimeouts(reg.timeouts, opts.RescueAfter); err != nil {
		return nil, fmt.Errorf("create job queue: %w", err)
	}
	middleware := []rivertype.Middleware{&requestIDMiddleware{},
		&maxAttemptsMiddleware{limited: reg.limited, max: lim.MaxAttempts}}
	if opts.Work && len(reg.limited) > 0 {
		middleware = append(middleware, &limiter{kv: opts.KV, limits: lim, limited: reg.limited,
			lease: leases(reg), logger: opts.Logger})
	}
	cfg := &river.Config{
		Logger:            obs.Quieter(opts.Logger, slog.LevelWarn),
		Workers:           reg.workers,
		FetchPollInterval: opts.PollInterval,
		FetchCooldown:     min(opts.PollInterval, fetchCooldown),
		JobTimeout:        MaxJobTimeout,
		Middleware:        middleware,
		RetryPolicy: &retryPolicy{limited: reg.limited, base: lim.RetryBase,
			def: &river.DefaultClientRetryPolicy{}},
		// Retried jobs back off; discarded ones stay a week for inspection.
		DiscardedJobRetentionPeriod: 7 * 24 * time.Hour,
		// A crashed worker's jobs are retried after this, not River's hour.
		RescueStuckJobsAfter: opts.RescueAfter,
	}
	if opts.Work {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Concurrency}}
		for name, n := range opts.Queues {
			cfg.Queues[name] = river.QueueConfig{MaxWorkers: max(n, 1)}
		}
		cfg.PeriodicJobs = reg.periodic
	}
	drv, listener, err := workerDriver(d, opts)
	if err != nil {
		return nil, fmt.Errorf("create job queue: %w", err)
	}
	client, err := river.NewClient(drv, cfg)
	if err != nil {
		if listener != nil {
			listener.Close()
		}
		return nil, fmt.Errorf("create job queue: %w", err)
	}
	return &Queue{client: client, db: d, opts: opts, kinds: reg.Timeouts(), listener: listener}, nil
}

func driver(d *db.DB) riverdriver.Driver[*sql.Tx] {
	if d.Dialect == db.SQLite {
		return riversqlite.New(d.DB)
	}
	return riverdatabasesql.New(d.DB)
}

// Migrate applies River's own migrations (its tables live beside ours).
func Migrate(ctx context.Context, d *db.DB, logger *slog.Logger) (int, error) {
	m, err := rivermigrate.New(driver(d), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return 0, fmt.Errorf("job queue migrations: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("apply job queue migrations: %w", err)
	}
	return len(res.Versions), nil
}

// Insert enqueues a job. The request ID in ctx travels with it.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// InsertTx enqueues a job inside tx: it exists only if tx commits.
func (q *Queue) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := q.client.InsertTx(ctx, tx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// Job returns a job's row, for status pages and tests.
func (q *Queue) Job(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return q.client.JobGet(ctx, id)
}

// Start begins working jobs (when Options.Work) and recording job metrics.
func (q *Queue) Start(ctx context.Context) error {
	if !q.opts.Work {
		return nil
	}
	if q.opts.Metrics != nil {
		events, stop := q.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed,
			river.EventKindJobCancelled, river.EventKindJobSnoozed)
		q.stopSub, q.done = stop, make(chan struct{})
		go q.record(events)
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// record turns River's job events into metrics, until the subscription closes.
func (q *Queue) record(events <-chan *river.Event) {
	defer close(q.done)
	for ev := range events {
		if ev.Job == nil {
			continue
		}
		state := string(ev.Job.State)
		q.opts.Metrics.JobsTotal.WithLabelValues(ev.Job.Kind, state).Inc()
		if ev.JobStats != nil {
			q.opts.Metrics.JobDuration.WithLabelValues(ev.Job.Kind, state).Observe(ev.JobStats.RunDuration.Seconds())
		}
	}
}

// Stop lets running jobs finish until ctx ends, then cancels them (they are
// retried later), and waits for the workers to exit.
func (q *Queue) Stop(ctx context.Context) error {
	if !q.opts.Work {
		return nil
	}
	err := q.client.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = q.client.StopAndCancel(hard)
	}
	if q.stopSub != nil {
		q.stopSub()
		<-q.done
	}
	if q.listener != nil {
		// After the client stopped: it closed the connection it hijacked.
		q.listener.Close()
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("stop job queue: %w", err)
	}
	return nil
}

// Ping reports whether the queue's tables are reachable (migrations applied).
func (q *Queue) Ping(ctx context.Context) error {
	var n int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM river_migration`).Scan(&n); err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	if n == 0 {
		return errors.New("job queue: migrations not applied (run luneo migrate)")
	}
	return nil
}
