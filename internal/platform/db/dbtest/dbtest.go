// Package dbtest gives tests a migrated database of every dialect available:
// always an SQLite file in a temp folder, and PostgreSQL when LUNEO_TEST_POSTGRES
// is set (each test then gets its own schema, dropped at the end, so tests and
// parallel runs never see each other's rows).
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/internal/platform/db"
)

// PostgresEnv is the variable holding a PostgreSQL URL for tests.
const PostgresEnv = "LUNEO_TEST_POSTGRES"

// Each runs fn as a subtest once per available dialect, with a migrated database.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// EachURL is like Each but hands out the database URL instead of a handle, for
// tests that open the database themselves (for example end-to-end tests).
func EachURL(t *testing.T, fn func(t *testing.T, dbURL string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteURL(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresURL(t)) })
}

// SQLiteURL returns the URL of a new, empty SQLite file.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// SQLite returns a migrated SQLite database in a temp folder.
func SQLite(t testing.TB) *db.DB {
	return open(t, SQLiteURL(t))
}

// PostgresURL returns the URL of a new, empty schema of the test PostgreSQL
// server, dropped when the test ends; it skips the test when none is configured.
func PostgresURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s=postgres://… to run them", PostgresEnv)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := db.Open(context.Background(), base)
	if err != nil {
		t.Fatalf("connect to %s: %v", PostgresEnv, err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres returns a migrated database in a fresh PostgreSQL schema.
func Postgres(t *testing.T) *db.DB {
	return open(t, PostgresURL(t))
}

func open(t testing.TB, rawURL string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), rawURL)
	if err != nil {
		t.Fatalf("open %s: %v", rawURL, err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return d
}
