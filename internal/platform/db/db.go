// Package db opens Luneo's SQL database, PostgreSQL in production or an embedded
// SQLite file by default, and applies the embedded migrations. Application SQL is
// written once for both dialects ($1 placeholders, ON CONFLICT, RETURNING, no dialect-only functions); only the
// DDL in migrations/ differs per dialect.
//
// Timestamps follow one rule on both dialects (portable.go): they are written
// in UTC at microsecond precision, the form Time gives, into TIMESTAMPTZ
// columns on PostgreSQL and TIMESTAMP (text) columns on SQLite. Values read
// back may carry the driver's zone, so code that hands them out calls UTC().
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Dialect names the SQL flavour behind a DB.
type Dialect string

// The two dialects Luneo runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a database handle that knows its dialect.
type DB struct {
	*sql.DB
	Dialect Dialect
	// Target is the connection target with any password removed, for logs.
	Target string
}

// ErrBadURL is returned (wrapped) when DATABASE_URL cannot be understood.
var ErrBadURL = errors.New("unsupported database URL")

// Open connects to rawURL and checks the connection. Accepted forms:
//
//	postgres://user:pass@host:5432/db?sslmode=disable   (also postgresql://)
//	sqlite:path/to/file.db  or  sqlite:///abs/path.db   (also file:)
func Open(ctx context.Context, rawURL string) (*DB, error) {
	d, err := openNoPing(rawURL)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.PingContext(pctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("connect to %s database %s: %w", d.Dialect, d.Target, err)
	}
	return d, nil
}

func openNoPing(rawURL string) (*DB, error) {
	scheme, rest, ok := strings.Cut(rawURL, ":")
	if !ok {
		return nil, fmt.Errorf("%w %q: want postgres://… or sqlite:PATH", ErrBadURL, rawURL)
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		u, err := url.Parse(rawURL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("%w %q: a postgres URL needs a host", ErrBadURL, redact(rawURL))
		}
		sqldb, err := sql.Open("pgx", rawURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqldb.SetMaxOpenConns(25)
		sqldb.SetMaxIdleConns(10)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		return &DB{DB: sqldb, Dialect: Postgres, Target: redact(rawURL)}, nil
	case "sqlite", "file":
		path := strings.TrimPrefix(rest, "//")
		if q := strings.IndexByte(path, '?'); q >= 0 {
			path = path[:q]
		}
		if path == "" {
			return nil, fmt.Errorf("%w %q: a sqlite URL needs a file path", ErrBadURL, rawURL)
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		// One connection: SQLite has one writer, and River plus WAL plus a
		// busy timeout is what keeps concurrent work from SQLITE_BUSY.
		dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
			"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
		sqldb, err := sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		sqldb.SetMaxOpenConns(1)
		return &DB{DB: sqldb, Dialect: SQLite, Target: path}, nil
	default:
		return nil, fmt.Errorf("%w %q: scheme %q, want postgres://… or sqlite:PATH", ErrBadURL, redact(rawURL), scheme)
	}
}

// redact removes a password from a URL so it can be logged.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Ping reports whether the database answers a trivial query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	if err := d.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}

// InTx runs fn in a transaction, committing when fn returns nil and rolling back
// otherwise. On SQLite the pool has one connection: inside fn use only tx.
func (d *DB) InTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
