package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// hookedBlobs marks the store Options.BlobHook returned.
type hookedBlobs struct{ blob.Store }

// TestOpenMigrateCheck builds the app as serve does, on each dialect
// available: the schema check refuses an unmigrated database and passes
// once Migrate ran, every readiness probe answers, and Close can be
// called twice.
func TestOpenMigrateCheck(t *testing.T) {
	t.Parallel()
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		env := map[string]string{
			"LUNEO_DATA":   t.TempDir(),
			"LUNEO_SECRET": strings.Repeat("app test ", 4),
			"DATABASE_URL": dbURL,
		}
		cfg, err := config.Load(config.Serve, func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		a, err := Open(ctx, cfg, slog.New(slog.DiscardHandler), "http://localhost", Options{
			BlobHook: func(s blob.Store) blob.Store { return hookedBlobs{s} },
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(a.Close)
		if _, ok := a.Blobs.(hookedBlobs); !ok {
			t.Errorf("Blobs is %T, not the store BlobHook returned", a.Blobs)
		}

		if err := a.CheckSchema(ctx); err == nil || !strings.Contains(err.Error(), "run luneo migrate first") {
			t.Fatalf("CheckSchema before Migrate: %v, want a run luneo migrate first error", err)
		}
		if err := a.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := a.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema after Migrate: %v", err)
		}

		var names []string
		for _, c := range a.Checks() {
			names = append(names, c.Name)
			if err := c.Ping(ctx); err != nil {
				t.Errorf("check %s: %v", c.Name, err)
			}
		}
		if got := strings.Join(names, " "); got != "database kv blob queue" {
			t.Errorf("checks %q, want database kv blob queue", got)
		}

		a.Close()
		if err := a.DB.Ping(ctx); err == nil {
			t.Error("the database still answers after Close")
		}
		a.Close() // the cleanup closes it again: nothing left to close
	})
}

// TestOpenRefusesBadBackend: a database that cannot be opened fails Open
// with an error naming its variable, before anything else is touched.
func TestOpenRefusesBadBackend(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"LUNEO_DATA":   t.TempDir(),
		"LUNEO_SECRET": strings.Repeat("app test ", 4),
		"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1",
	}
	cfg, err := config.Load(config.Serve, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(context.Background(), cfg, slog.New(slog.DiscardHandler), "http://localhost", Options{})
	if err == nil {
		a.Close()
		t.Fatal("Open succeeded on an unreachable database")
	}
	if !strings.Contains(err.Error(), "DATABASE_URL") {
		t.Errorf("error %q does not name DATABASE_URL", err)
	}
}
