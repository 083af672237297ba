package kv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The SQL backend keeps every key in one row of the kv table (migration
// 0002_kv.sql): value for plain values, n for counters, and expires_at in Unix
// milliseconds. Each operation is one statement, so its atomicity comes from
// the database (a row lock in PostgreSQL, the single writer in SQLite) rather
// than from a transaction holding a connection, and each statement is written
// once in the subset both dialects accept. The clock is Go's, never the
// database's: expiry then means the same thing in both dialects and in tests.
const (
	sqlSet = `INSERT INTO kv (key, value, n, expires_at) VALUES ($1, $2, 0, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, n = 0, expires_at = excluded.expires_at`

	// The WHERE on DO UPDATE lets SetNX replace only an expired row, and
	// RETURNING yields a row exactly when something was stored.
	sqlSetNX = `INSERT INTO kv (key, value, n, expires_at) VALUES ($1, $2, 0, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, n = 0, expires_at = excluded.expires_at
WHERE kv.expires_at <= $4
RETURNING 1`

	sqlGet = `SELECT value FROM kv WHERE key = $1 AND expires_at > $2`

	// A concurrent second DELETE waits for the first one's row lock and then
	// finds no row, so only one caller ever gets the value.
	sqlTake = `DELETE FROM kv WHERE key = $1 AND expires_at > $2 RETURNING value`

	sqlDelete = `DELETE FROM kv WHERE key = $1`

	// Only a live row holding exactly value goes: an expired lease is
	// already free, and one taken since by someone else is theirs.
	sqlDeleteIf = `DELETE FROM kv WHERE key = $1 AND value = $2 AND expires_at > $3 RETURNING 1`

	// An expired row is a finished window: start again at 1 with a new end.
	// Both CASEs read the row as it was before the update.
	sqlIncr = `INSERT INTO kv (key, value, n, expires_at) VALUES ($1, $2, 1, $3)
ON CONFLICT (key) DO UPDATE SET
	n = CASE WHEN kv.expires_at <= $4 THEN 1 ELSE kv.n + 1 END,
	expires_at = CASE WHEN kv.expires_at <= $4 THEN excluded.expires_at ELSE kv.expires_at END
RETURNING n, expires_at`

	sqlPurge = `DELETE FROM kv WHERE expires_at <= $1`
)

// SQL is the Store backed by the application database, for deployments
// without Redis. Expired rows stay until Purge removes them; they are never
// returned meanwhile.
type SQL struct {
	db  *sql.DB
	now func() time.Time
}

var _ Store = (*SQL)(nil)

// NewSQL returns a Store over db, which must have the kv table (run the db
// migrations first). now is the clock used for expiry; nil means time.Now.
// Tests pass a fake clock to step over expiry without sleeping.
func NewSQL(db *sql.DB, now func() time.Time) *SQL {
	if now == nil {
		now = time.Now
	}
	return &SQL{db: db, now: now}
}

// Set implements Store.
func (s *SQL) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := validateKey(key); err != nil {
		return err
	}
	if err := validateTTL("ttl", ttl); err != nil {
		return err
	}
	now := s.now().UnixMilli()
	if _, err := s.db.ExecContext(ctx, sqlSet, key, notNull(value), now+millis(ttl)); err != nil {
		return fmt.Errorf("kv: sql set: %w", err)
	}
	return nil
}

// SetNX implements Store.
func (s *SQL) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	if err := validateKey(key); err != nil {
		return false, err
	}
	if err := validateTTL("ttl", ttl); err != nil {
		return false, err
	}
	now := s.now().UnixMilli()
	var one int
	err := s.db.QueryRowContext(ctx, sqlSetNX, key, notNull(value), now+millis(ttl), now).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("kv: sql setnx: %w", err)
	}
	return true, nil
}

// Get implements Store.
func (s *SQL) Get(ctx context.Context, key string) ([]byte, error) {
	if err := validateKey(key); err != nil {
		return nil, err
	}
	return s.value(ctx, "get", sqlGet, key)
}

// Take implements Store.
func (s *SQL) Take(ctx context.Context, key string) ([]byte, error) {
	if err := validateKey(key); err != nil {
		return nil, err
	}
	return s.value(ctx, "take", sqlTake, key)
}

// value runs a statement that yields the live value of key, if any.
func (s *SQL) value(ctx context.Context, op, query, key string) ([]byte, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, query, key, s.now().UnixMilli()).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("kv: sql %s: %w", op, err)
	}
	return notNull(v), nil
}

// Delete implements Store.
func (s *SQL) Delete(ctx context.Context, key string) error {
	if err := validateKey(key); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, sqlDelete, key); err != nil {
		return fmt.Errorf("kv: sql delete: %w", err)
	}
	return nil
}

// DeleteIf implements Store.
func (s *SQL) DeleteIf(ctx context.Context, key string, value []byte) (bool, error) {
	if err := validateKey(key); err != nil {
		return false, err
	}
	var one int
	err := s.db.QueryRowContext(ctx, sqlDeleteIf, key, notNull(value), s.now().UnixMilli()).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("kv: sql deleteif: %w", err)
	}
	return true, nil
}

// Incr implements Store.
func (s *SQL) Incr(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	if err := validateKey(key); err != nil {
		return 0, 0, err
	}
	if err := validateTTL("window", window); err != nil {
		return 0, 0, err
	}
	now := s.now().UnixMilli()
	var n, expiresAt int64
	err := s.db.QueryRowContext(ctx, sqlIncr, key, []byte{}, now+millis(window), now).Scan(&n, &expiresAt)
	if err != nil {
		return 0, 0, fmt.Errorf("kv: sql incr: %w", err)
	}
	return n, time.Duration(expiresAt-now) * time.Millisecond, nil
}

// Ping implements Store with a trivial query, which proves the database
// answers statements and not merely that a connection opens.
func (s *SQL) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("kv: sql ping: %w", err)
	}
	return nil
}

// Purge deletes the expired rows and returns how many it removed. Expired rows
// are already invisible, so this only reclaims space; a periodic job calls it.
func (s *SQL) Purge(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, sqlPurge, s.now().UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("kv: sql purge: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("kv: sql purge: %w", err)
	}
	return n, nil
}

// notNull turns a nil slice into an empty one: drivers send nil []byte as
// NULL, which the NOT NULL value column refuses, while an empty value is valid.
func notNull(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
