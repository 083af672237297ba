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
// milliseconds rather than at the next FetchPollInterval (1 s):
//
//   - River's insert, in the inserting transaction, sends a notification on
//     the queue's insert topic (PostgreSQL NOTIFY, delivered at commit; on
//     SQLite a row in river_notification, visible at commit).
//   - PostgreSQL: a worker listens through riverdatabasesql.NewWithPgxListener,
//     which needs a pgx pool (database/sql cannot LISTEN). The pool is opened
//     from Options.DatabaseURL, holds the one connection River hijacks for
//     LISTEN, and is closed by Stop. Every worker process is woken by every
//     inserting process (serve included), on commit.
//   - SQLite (dev, one process): riversqlite's listener polls the
//     river_notification outbox every 50 ms (an indexed read of rows newer
//     than the last one seen), so the same notification wakes the producer.
//     That needs no method for callers to invoke after Commit, and no short
//     FetchPollInterval writing a fetch to the single SQLite connection
//     20 times a second per queue.
//   - A client sends at most one insert notification per queue per
//     FetchCooldown, and a producer fetches at most once per FetchCooldown.
//     With River's 100 ms, a save within 100 ms of the previous one sent no
//     notification and waited for the poll: p95 800 ms on both dialects
//     with saves 30 ms apart. fetchCooldown is therefore 20 ms.
//
// Measured with bench/queue.sh (2 shared cores, load 5–6, SQL kv), commit
// → start p50/p95: SQLite 19/21 ms (saves 30 ms apart) and 3/53 ms (150 ms
// apart); PostgreSQL 12/14 and 14/24 ms; PostgreSQL without LISTEN 1026/1066
// and 904/938 ms.

// fetchCooldown is River's FetchCooldown: the shortest time between two
// fetches of a producer, and between two insert notifications of a client
// for one queue. It also caps throughput at workers per fetchCooldown.
const fetchCooldown = 20 * time.Millisecond

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
