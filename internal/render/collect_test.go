package render

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// Collect deletes the files no render lists once they are older than the
// grace period, blob and row, and keeps listed and young ones.
func TestCollect(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		blobs, err := blob.NewFS(t.TempDir(), "http://localhost", []byte(strings.Repeat("k", 32)))
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
		s, err := New(d, blobs, nil, nil, Config{Now: func() time.Time { return now }}, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		b, err := brand.NewStore(d).Create(ctx, "collect-co", "Collect Co")
		if err != nil {
			t.Fatal(err)
		}
		old, young := now.Add(-collectGrace-time.Hour), now.Add(-time.Hour)
		file := func(input string, at time.Time) string {
			key := fileKey(b.ID, input, "png")
			if _, err := blobs.Put(ctx, key, strings.NewReader("png"), blob.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.ExecContext(ctx, `INSERT INTO render_files (brand_id, input_sha256, blob_key, sha256, mime_type, width, height, size, created_at)
				VALUES ($1, $2, $3, 'x', 'image/png', 1, 1, 3, $4)`, b.ID, input, key, db.Time(at)); err != nil {
				t.Fatal(err)
			}
			return key
		}
		unused, listed, fresh := file("unused", old), file("listed", old), file("fresh", young)
		if _, err := d.ExecContext(ctx, `INSERT INTO designs (id, brand_id, product_id, creator_kind, creator_id, latest_version, created_at, updated_at)
			VALUES ('d1', $1, 'p1', 'staff', 'u1', 1, $2, $2)`, b.ID, db.Time(now)); err != nil {
			t.Fatal(err)
		}
		files, _ := encodeFiles([]File{{Role: RoleTexture, Key: listed}})
		if _, err := d.ExecContext(ctx, `INSERT INTO renders (id, brand_id, design_id, version, kind, status, files, created_at, updated_at)
			VALUES ('r1', $1, 'd1', 1, 'compose', 'completed', $2, $3, $3)`, b.ID, string(files), db.Time(now)); err != nil {
			t.Fatal(err)
		}
		n, err := s.Collect(ctx)
		if err != nil || n != 1 {
			t.Fatalf("Collect = %d, %v; want 1 file", n, err)
		}
		for key, want := range map[string]bool{unused: false, listed: true, fresh: true} {
			_, err := blobs.Stat(ctx, key)
			if got := err == nil; got != want {
				t.Errorf("blob %s kept = %v, want %v (%v)", key, got, want, err)
			}
			var k string
			err = d.QueryRowContext(ctx, `SELECT blob_key FROM render_files WHERE blob_key = $1`, key).Scan(&k)
			if got := !errors.Is(err, sql.ErrNoRows); got != want {
				t.Errorf("row of %s kept = %v, want %v", key, got, want)
			}
		}
	})
}

// Watch sends the list at once, even an empty one, so a client knows the
// stream is live.
func TestWatchSendsFirstListAtOnce(t *testing.T) {
	d := dbtest.SQLite(t)
	blobs, err := blob.NewFS(t.TempDir(), "http://localhost", []byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(d, blobs, nil, nil, Config{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sent := 0
	err = s.Watch(ctx, "no-brand", "no-design", func(rs []Render) error {
		sent++
		cancel()
		return nil
	})
	if err != nil || sent != 1 {
		t.Fatalf("Watch sent %d lists (%v), want 1 at once", sent, err)
	}
}
