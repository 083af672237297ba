package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// TestIsUniqueViolation provokes, on every dialect, the failures a store may
// meet and checks that only duplicate keys count, wrapped or not.
func TestIsUniqueViolation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mustExec(t, d, `CREATE TABLE uniq (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER NOT NULL)`)
		mustExec(t, d, `INSERT INTO uniq (id, name, n) VALUES ('a', 'one', 1)`)
		insert := func(q db.Querier, id, name string) error {
			_, err := q.ExecContext(ctx, `INSERT INTO uniq (id, name, n) VALUES ($1, $2, 1)`, id, name)
			return err
		}

		dupName := insert(d, "b", "one")
		dupKey := insert(d, "a", "two")
		var inTx error
		_ = d.InTx(ctx, func(tx *sql.Tx) error {
			inTx = insert(tx, "c", "one")
			return inTx
		})
		for name, err := range map[string]error{
			"unique column": dupName, "primary key": dupKey, "inside a transaction": inTx,
			"wrapped": fmt.Errorf("create thing: %w", dupName),
		} {
			if !db.IsUniqueViolation(err) {
				t.Errorf("%s: IsUniqueViolation(%v) = false", name, err)
			}
		}

		_, notNull := d.ExecContext(ctx, `INSERT INTO uniq (id, name, n) VALUES ('d', 'four', NULL)`)
		_, syntax := d.ExecContext(ctx, `INSERT INTO nowhere (id) VALUES ('e')`)
		noRows := d.QueryRowContext(ctx, `SELECT id FROM uniq WHERE id = 'zz'`).Scan(new(string))
		for name, err := range map[string]error{
			"nil": nil, "not null": notNull, "missing table": syntax, "no rows": noRows,
			"other": errors.New("duplicate"),
		} {
			if db.IsUniqueViolation(err) {
				t.Errorf("%s: IsUniqueViolation(%v) = true", name, err)
			}
		}
		if notNull == nil || syntax == nil || !errors.Is(noRows, sql.ErrNoRows) {
			t.Fatalf("the negative cases did not fail as planned: %v, %v, %v", notNull, syntax, noRows)
		}
		if err := insert(d, "f", "six"); err != nil || db.IsUniqueViolation(err) {
			t.Fatalf("a fresh row: %v", err)
		}
	})
}

func TestTime(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	in := time.Date(2026, 3, 1, 13, 30, 15, 123456789, paris)
	got := db.Time(in)
	want := time.Date(2026, 3, 1, 12, 30, 15, 123456000, time.UTC)
	if !got.Equal(want) || got.Location() != time.UTC || got.Nanosecond() != 123456000 {
		t.Fatalf("Time(%v) = %v, want %v", in, got, want)
	}
	if again := db.Time(got); again != got {
		t.Fatalf("Time is not idempotent: %v then %v", got, again)
	}
	if before := in.Add(-time.Nanosecond); db.Time(before).After(db.Time(in)) {
		t.Fatal("Time does not keep order")
	}
}

// TestTimeRoundTrip checks the point of the rule: a time written in the form
// Time gives reads back equal on every dialect, and the database orders and
// compares such values chronologically even when they were taken in other
// zones (SQLite compares them as text).
func TestTimeRoundTrip(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mustExec(t, d, `CREATE TABLE stamps (id TEXT PRIMARY KEY, at TIMESTAMP NOT NULL)`)
		base := time.Date(2026, 3, 1, 12, 0, 0, 999999999, time.UTC)
		// Later instants in zones whose local clock reads earlier: without
		// UTC, SQLite's text order would put them first.
		stamps := map[string]time.Time{
			"1": base,
			"2": base.Add(time.Microsecond).In(time.FixedZone("W", -5*3600)),
			"3": base.Add(time.Hour).In(time.FixedZone("E", 9*3600)),
		}
		for id, at := range stamps {
			mustExec(t, d, `INSERT INTO stamps (id, at) VALUES ($1, $2)`, id, db.Time(at))
		}
		for id, at := range stamps {
			var got time.Time
			if err := d.QueryRowContext(ctx, `SELECT at FROM stamps WHERE id = $1`, id).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if !got.Equal(db.Time(at)) {
				t.Errorf("stamp %s read back as %v, wrote %v", id, got, db.Time(at))
			}
		}
		rows, err := d.QueryContext(ctx, `SELECT id FROM stamps WHERE at > $1 ORDER BY at`, db.Time(base))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ids string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids += id
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if ids != "23" {
			t.Fatalf("stamps after the first, in order: %q, want \"23\"", ids)
		}
	})
}
