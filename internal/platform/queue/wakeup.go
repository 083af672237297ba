package queue

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/luneo/luneo/internal/platform/db"
)

// How a job committed with InsertTx reaches a worker within tens of
// milliseconds rather than at the next FetchPollInterval:
//
//   - River's insert, in the inserting transaction, sends a notification on
//     the queue's insert topic (PostgreSQL NOTIFY, delivered at commit; on
//     SQLite a row in river_notification, visible at commit). At most one is
//     sent per queue per FetchCooldown (100 ms) by each client, which is fine:
//     the producer it wakes fetches every available job, and after a fetch
//     that filled nothing it fetches again after the cooldown.
//   - PostgreSQL: a worker listens through riverdatabasesql.NewWithPgxListener,
//     which needs a pgx pool (database/sql cannot LISTEN). The pool is opened
//     from Options.DatabaseURL, holds the one connection River hijacks for
//     LISTEN, and is closed by Stop. Every worker process is woken by every
//     inserting process (serve included), on commit.
//   - SQLite (dev, one process): riversqlite's listener polls the
//     river_notification outbox every 50 ms, an indexed read of rows newer
//     than the last seen id, so the same notification wakes the producer
//     within 50 ms of the commit. Measured with bench/queue.sh (see its
//     header): no extra method for callers to invoke after Commit, and no
//     short FetchPollInterval writing a fetch to the single SQLite
//     connection 20 times a second per queue.

// workerDriver returns River's driver for d, and the listener pool it owns
// (nil unless a PostgreSQL worker with a DatabaseURL).
func workerDriver(d *db.DB, opts Options) (riverdriver.Driver[*sql.Tx], *pgxpool.Pool, error) {
	if d.Dialect != db.Postgres || !opts.Work || opts.DatabaseURL == "" {
		return driver(d), nil, nil
	}
	cfg, err := pgxpool.ParseConfig(opts.DatabaseURL)
	if err != nil {
		return nil, nil, fmt.Errorf("listener pool: %w", redactErr(err))
	}
	// River hijacks one connection for LISTEN and returns nothing to the
	// pool; hijacked connections do not count against MaxConns. The pool
	// connects lazily, at Start.
	cfg.MinConns, cfg.MaxConns = 0, 2
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("listener pool: %w", redactErr(err))
	}
	return riverdatabasesql.NewWithPgxListener(d.DB, pool), pool, nil
}

// redactErr keeps a parse error's reason only: pgconn's errors can repeat
// the connection string, password included.
func redactErr(err error) error {
	return fmt.Errorf("cannot parse DATABASE_URL (%T)", err)
}

// leases returns each limited kind's slot lease: its timeout as River
// applies it, plus leaseMargin.
func leases(reg *Registry) map[string]time.Duration {
	timeouts := reg.Timeouts()
	out := make(map[string]time.Duration, len(reg.limited))
	for kind := range reg.limited {
		out[kind] = timeouts[kind] + leaseMargin
	}
	return out
}
