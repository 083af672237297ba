package db_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// TestDialectConformance checks, on every dialect, the SQL features that
// application code relies on being written once for both.
func TestDialectConformance(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		mustExec(t, d, `CREATE TABLE conf (id TEXT PRIMARY KEY, n INTEGER NOT NULL, flag BOOLEAN NOT NULL, at TIMESTAMP NOT NULL, doc TEXT)`)
		at := time.Date(2026, 11, 25, 10, 30, 15, 123456000, time.UTC)

		t.Run("returning and reused placeholders", func(t *testing.T) {
			var id string
			var n int
			err := d.QueryRowContext(ctx, `INSERT INTO conf (id, n, flag, at, doc) VALUES ($2, $1, $3, $4, $5) RETURNING id, n`,
				7, "a", true, at, `{"k":"v"}`).Scan(&id, &n)
			if err != nil || id != "a" || n != 7 {
				t.Fatalf("insert returning: id=%q n=%d err=%v", id, n, err)
			}
		})
		t.Run("upsert with excluded", func(t *testing.T) {
			var n int
			err := d.QueryRowContext(ctx, `INSERT INTO conf (id, n, flag, at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (id) DO UPDATE SET n = conf.n + excluded.n RETURNING n`, "a", 5, false, at).Scan(&n)
			if err != nil || n != 12 {
				t.Fatalf("upsert: n=%d err=%v", n, err)
			}
			res, err := d.ExecContext(ctx, `INSERT INTO conf (id, n, flag, at) VALUES ($1, 1, $2, $3) ON CONFLICT (id) DO NOTHING`, "a", true, at)
			if err != nil {
				t.Fatal(err)
			}
			if rows, _ := res.RowsAffected(); rows != 0 {
				t.Fatalf("DO NOTHING affected %d rows", rows)
			}
		})
		t.Run("types round trip", func(t *testing.T) {
			var flag bool
			var got time.Time
			var doc sql.NullString
			var k string
			err := d.QueryRowContext(ctx, `SELECT flag, at, doc, CAST(n AS INTEGER) FROM conf WHERE id = $1`, "a").Scan(&flag, &got, &doc, new(int))
			if err != nil {
				t.Fatal(err)
			}
			if !flag || !got.Equal(at) || doc.String != `{"k":"v"}` {
				t.Fatalf("round trip: flag=%v at=%v doc=%q", flag, got, doc.String)
			}
			if d.Dialect == db.Postgres {
				err = d.QueryRowContext(ctx, `SELECT CAST(doc AS JSONB) ->> 'k' FROM conf WHERE id = $1`, "a").Scan(&k)
			} else {
				err = d.QueryRowContext(ctx, `SELECT doc ->> 'k' FROM conf WHERE id = $1`, "a").Scan(&k)
			}
			if err != nil || k != "v" {
				t.Fatalf("json ->>: %q %v", k, err)
			}
		})
		t.Run("like limit offset", func(t *testing.T) {
			mustExec(t, d, `INSERT INTO conf (id, n, flag, at) VALUES ('Bee', 1, false, $1), ('bear', 2, false, $1)`, at)
			rows, err := d.QueryContext(ctx, `SELECT id FROM conf WHERE lower(id) LIKE lower($1) ORDER BY n LIMIT $2 OFFSET $3`, "BE%", 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var ids []string
			for rows.Next() {
				var id string
				_ = rows.Scan(&id)
				ids = append(ids, id)
			}
			if len(ids) != 1 || ids[0] != "bear" {
				t.Fatalf("got %v, want [bear]", ids)
			}
		})
		t.Run("transaction rollback leaves nothing", func(t *testing.T) {
			boom := errors.New("boom")
			err := d.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO conf (id, n, flag, at) VALUES ('tx', 1, true, $1)`, at); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx error = %v", err)
			}
			var n int
			_ = d.QueryRowContext(ctx, `SELECT count(*) FROM conf WHERE id = 'tx'`).Scan(&n)
			if n != 0 {
				t.Fatal("rolled back row is visible")
			}
		})
	})
}

func TestMigrationsFromEmptyAndIdempotent(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		d, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		migs, err := db.Migrations(d.Dialect)
		if err != nil || len(migs) == 0 {
			t.Fatalf("migrations: %v (%d)", err, len(migs))
		}
		n, err := d.Migrate(ctx)
		if err != nil || n != len(migs) {
			t.Fatalf("first migrate applied %d of %d: %v", n, len(migs), err)
		}
		n, err = d.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d: %v", n, err)
		}
		v, err := d.Version(ctx)
		if err != nil || v != migs[len(migs)-1].Version {
			t.Fatalf("version %d, want %d (%v)", v, migs[len(migs)-1].Version, err)
		}
	})
}

func TestBothDialectsHaveTheSameMigrations(t *testing.T) {
	t.Parallel()
	a, err := db.Migrations(db.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.Migrations(db.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Version != b[i].Version || a[i].Name != b[i].Name {
			t.Errorf("migration %d differs: sqlite %04d_%s, postgres %04d_%s", i, a[i].Version, a[i].Name, b[i].Version, b[i].Name)
		}
	}
}

func TestOpenRejectsBadURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "mysql://root@localhost/x", "postgres://", "sqlite:", "no-scheme"} {
		_, err := db.Open(context.Background(), u)
		if err == nil {
			t.Errorf("Open(%q) succeeded", u)
		}
	}
	_, err := db.Open(context.Background(), "mysql://x")
	if !errors.Is(err, db.ErrBadURL) {
		t.Errorf("mysql URL: %v, want ErrBadURL", err)
	}
}

func TestOpenUnreachablePostgres(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_, err := db.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("connected to a closed port")
	}
}

func mustExec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
