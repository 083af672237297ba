package housekeeping

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
)

func TestPurgeRemovesOnlyExpiredData(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// The store's clock is the test's: "short" expires when the clock
		// moves past its minute, not after some real wait.
		var now atomic.Int64
		now.Store(time.Now().UnixMilli())
		store := kv.NewSQL(d.DB, func() time.Time { return time.UnixMilli(now.Load()) })
		if err := store.Set(ctx, "short", []byte("x"), time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := store.Set(ctx, "long", []byte("y"), time.Hour); err != nil {
			t.Fatal(err)
		}
		blobs, err := blob.NewFS(t.TempDir(), "http://localhost", []byte(strings.Repeat("k", 32)))
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"tmp/upload-1", "tmp/a/upload-2", "brands/1/model.glb"} {
			if _, err := blobs.Put(ctx, key, strings.NewReader("data"), blob.PutOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		now.Add((2 * time.Minute).Milliseconds())

		w := NewPurgeWorker(store, blobs, 24*time.Hour, slog.New(slog.DiscardHandler))
		if err := w.Work(ctx, &river.Job[PurgeArgs]{}); err != nil {
			t.Fatal(err)
		}
		if _, err := blobs.Stat(ctx, "tmp/upload-1"); err != nil {
			t.Fatalf("fresh tmp blob purged: %v", err)
		}
		var rows int
		_ = d.QueryRow(`SELECT count(*) FROM kv`).Scan(&rows)
		if rows != 1 {
			t.Fatalf("%d kv rows left, want only the live one", rows)
		}

		w.now = func() time.Time { return time.Now().Add(25 * time.Hour) }
		if err := w.Work(ctx, &river.Job[PurgeArgs]{}); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"tmp/upload-1", "tmp/a/upload-2"} {
			if _, err := blobs.Stat(ctx, key); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("stale %s still there: %v", key, err)
			}
		}
		if _, err := blobs.Stat(ctx, "brands/1/model.glb"); err != nil {
			t.Fatalf("non-tmp blob purged: %v", err)
		}
		if v, err := store.Get(ctx, "long"); err != nil || string(v) != "y" {
			t.Fatalf("live kv value lost: %q %v", v, err)
		}
	})
}
