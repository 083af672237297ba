package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// What stores need so that their SQL and Go code is written once for both
// dialects: one handle type for "inside or outside a transaction", one test
// for duplicate keys, and one form for timestamps.

// Querier is what both *sql.DB and *sql.Tx (and so *DB) offer. Store code
// that runs both inside a caller's transaction and on its own takes one; on
// SQLite, whose pool has a single connection, code inside a transaction must
// use the transaction, so passing the *sql.Tx down is not optional.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

var (
	_ Querier = (*sql.DB)(nil)
	_ Querier = (*sql.Tx)(nil)
	_ Querier = (*DB)(nil)
)

// IsUniqueViolation reports whether err (or an error it wraps) is a unique
// or primary key constraint failure, on either dialect: PostgreSQL's SQLSTATE
// 23505 or SQLite's "UNIQUE constraint failed". Stores use it to turn the
// race that a pre-check cannot close (two writers taking the same name) into
// a conflict the user can act on, instead of an internal error.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var state interface{ SQLState() string }
	if errors.As(err, &state) && state.SQLState() == "23505" {
		return true
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// Time returns t as Luneo stores timestamps: in UTC, truncated to the
// microsecond. UTC because SQLite keeps timestamps as text and compares and
// sorts them as text, which is only chronological when every value has the
// same offset; microseconds because that is all PostgreSQL keeps, so a value
// a store hands back after writing it (a CreatedAt) equals what a later read
// returns, on both dialects. Pass the service's clock: db.Time(s.now()).
func Time(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}

// NewID returns a time-ordered row ID (UUIDv7): IDs sort by creation, which
// also orders list pages and cursors.
func NewID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return id.String(), nil
}
