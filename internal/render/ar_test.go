package render

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/queue"
)

// arFixture is a render service over a real database, blob store, kv
// store and queue (inserting only: no worker runs, so each branch of the
// AR flow is set up by hand and stays put while it is asked).
type arFixture struct {
	ctx   context.Context
	d     *db.DB
	s     *Service
	blobs blob.Store
	cache kv.Store
	t     Target
	now   time.Time
}

func newARFixture(t *testing.T, d *db.DB) *arFixture {
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	if _, err := queue.Migrate(ctx, d, logger); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewFS(t.TempDir(), "http://localhost", []byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	cache := kv.NewSQL(d.DB, time.Now)
	cat := catalog.New(d, blobs, catalog.Config{}, logger)
	s, err := New(d, blobs, cat, nil, Config{Cache: cache, Now: func() time.Time { return now }}, logger)
	if err != nil {
		t.Fatal(err)
	}
	reg := queue.NewRegistry()
	Register(reg, s)
	q, err := queue.New(d, reg, queue.Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	s.SetQueue(q)
	b, err := brand.NewStore(d).Create(ctx, "ar-co", "AR Co")
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO products (id, brand_id, name, status, price, currency, created_at, updated_at)
		VALUES ('p1', $1, 'Mug', 'active', 1000, 'EUR', $2, $2)`, b.ID, db.Time(now))
	exec(`INSERT INTO product_models (id, brand_id, product_id, format, filename, original_key, original_content_type,
		original_size, original_sha256, canonical_key, canonical_size, canonical_sha256, triangles, materials, stats, report, created_at)
		VALUES ('m1', $1, 'p1', 'glb', 'mug.glb', 'k', 'model/gltf-binary', 1, 'o', 'k', 1, 'glbsha', 1, '[]', '{}', '{}', $2)`, b.ID, db.Time(now))
	exec(`INSERT INTO designs (id, brand_id, product_id, creator_kind, creator_id, latest_version, created_at, updated_at)
		VALUES ('d1', $1, 'p1', 'staff', 'u1', 1, $2, $2)`, b.ID, db.Time(now))
	return &arFixture{ctx: ctx, d: d, s: s, blobs: blobs, cache: cache, now: now,
		t: Target{BrandID: b.ID, DesignID: "d1", ProductID: "p1", Version: 1, SHA256: "dsha"}}
}

// render records a render of version 1 with files whose blobs exist.
func (f *arFixture) render(t *testing.T, id string, kind Kind, status Status, files ...File) {
	t.Helper()
	for i := range files {
		if _, err := f.blobs.Put(f.ctx, files[i].Key, strings.NewReader("x"), blob.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := encodeFiles(files)
	if _, err := f.d.ExecContext(f.ctx, `INSERT INTO renders (id, brand_id, design_id, version, kind, status, files, created_at, updated_at)
		VALUES ($1, $2, 'd1', 1, $3, $4, $5, $6, $6)`, id, f.t.BrandID, kind, status, string(b), db.Time(f.now)); err != nil {
		t.Fatal(err)
	}
}

func (f *arFixture) count(t *testing.T, kind Kind) int {
	t.Helper()
	var n int
	if err := f.d.QueryRowContext(f.ctx, `SELECT count(*) FROM renders WHERE kind = $1`, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func modelFiles(prefix string) []File {
	return []File{{Role: RoleGLB, Key: prefix + ".glb", SHA256: "g"}, {Role: RoleUSDZ, Key: prefix + ".usdz", SHA256: "u"},
		{Role: RoleView, View: modelViews[0].name, Key: prefix + "-34.png", SHA256: "v"}, {Role: RoleView, View: "front", Key: prefix + "-f.png"}}
}

var texture = File{Role: RoleTexture, Material: "Body", Key: "brands/b/renders/tex.png", SHA256: "texsha"}

func TestARFlow(t *testing.T) {
	// each runs one branch on a fresh database of each dialect.
	each := func(t *testing.T, fn func(t *testing.T, f *arFixture)) {
		dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newARFixture(t, d)) })
	}
	{
		t.Run("model render completed: its files", func(t *testing.T) {
			each(t, func(t *testing.T, f *arFixture) {
				f.render(t, "c1", Compose, Completed, texture)
				f.render(t, "m1", Model, Completed, modelFiles("made")...)
				got, err := f.s.AR(f.ctx, f.t)
				if err != nil || got.Status != ar.Ready {
					t.Fatalf("AR = %+v, %v", got, err)
				}
				for name, u := range map[string]string{"glb": got.GLBURL, "usdz": got.USDZURL, "preview": got.PreviewURL} {
					if !strings.Contains(u, "made") {
						t.Errorf("%s URL %q is not the model render's", name, u)
					}
				}
				if !strings.Contains(got.USDZURL, ".usdz") || !strings.Contains(got.PreviewURL, "-34.png") || got.ExpiresAt == nil {
					t.Errorf("AR = %+v: the USDZ URL must end in .usdz, the preview be the three-quarter view, and the URLs expire", got)
				}
			})
		})
		t.Run("same textures already converted: the cached files", func(t *testing.T) {
			each(t, func(t *testing.T, f *arFixture) {
				f.render(t, "c1", Compose, Completed, texture)
				cached := modelFiles("cached")
				for _, c := range cached {
					if _, err := f.blobs.Put(f.ctx, c.Key, strings.NewReader("x"), blob.PutOptions{}); err != nil {
						t.Fatal(err)
					}
				}
				if err := f.s.cacheModel(f.ctx, f.t.BrandID, modelInputOf("glbsha", []File{texture}), cached); err != nil {
					t.Fatal(err)
				}
				got, err := f.s.AR(f.ctx, f.t)
				if err != nil || got.Status != ar.Ready || !strings.Contains(got.USDZURL, "cached") {
					t.Fatalf("AR = %+v, %v; want the cached files", got, err)
				}
				if n := f.count(t, Model); n != 0 {
					t.Errorf("a cache hit enqueued %d model renders", n)
				}
				// Once a cached blob is collected, the entry no longer answers.
				if err := f.blobs.Delete(f.ctx, cached[1].Key); err != nil {
					t.Fatal(err)
				}
				if got, _ := f.s.AR(f.ctx, f.t); got.Status != ar.Pending {
					t.Errorf("AR with a collected cached file = %+v, want pending (made again)", got)
				}
			})
		})
		t.Run("textures being made: pending with that render", func(t *testing.T) {
			each(t, func(t *testing.T, f *arFixture) {
				f.render(t, "c1", Compose, Processing)
				got, err := f.s.AR(f.ctx, f.t)
				if err != nil || got.Status != ar.Pending || got.Render == nil || got.Render.ID != "c1" {
					t.Fatalf("AR = %+v, %v; want pending on c1", got, err)
				}
				if n := f.count(t, Model); n != 0 {
					t.Errorf("%d model renders enqueued before the textures exist", n)
				}
			})
		})
		t.Run("nothing yet: one model render enqueued, asked twice", func(t *testing.T) {
			each(t, func(t *testing.T, f *arFixture) {
				f.render(t, "c1", Compose, Completed, texture)
				for range 2 {
					got, err := f.s.AR(f.ctx, f.t)
					if err != nil || got.Status != ar.Pending || got.Render == nil || got.Render.Kind != Model || got.Render.JobID == 0 {
						t.Fatalf("AR = %+v, %v; want pending on a new model render with its job", got, err)
					}
				}
				if n := f.count(t, Model); n != 1 {
					t.Errorf("%d model renders, want 1", n)
				}
			})
		})
		t.Run("textures failed: failed with the message", func(t *testing.T) {
			each(t, func(t *testing.T, f *arFixture) {
				if _, err := f.d.ExecContext(f.ctx, `INSERT INTO renders (id, brand_id, design_id, version, kind, status, error, created_at, updated_at)
				VALUES ('c1', $1, 'd1', 1, 'compose', 'failed', 'the font is gone', $2, $2)`, f.t.BrandID, db.Time(f.now)); err != nil {
					t.Fatal(err)
				}
				got, err := f.s.AR(f.ctx, f.t)
				if err != nil || got.Status != ar.Failed || got.Error != "the font is gone" {
					t.Fatalf("AR = %+v, %v", got, err)
				}
			})
		})
		t.Run("no render at all: the textures are made first", func(t *testing.T) {
			each(t, func(t *testing.T, f *arFixture) {
				got, err := f.s.AR(f.ctx, f.t)
				if err != nil || got.Status != ar.Pending || got.Render == nil || got.Render.Kind != Compose {
					t.Fatalf("AR = %+v, %v; want a compose render enqueued", got, err)
				}
			})
		})
	}
}

// Without Blender, a high-quality render is refused with the reason, and
// nothing is enqueued.
func TestHQWithoutBlender(t *testing.T) {
	f := newARFixture(t, dbtest.SQLite(t))
	f.s.cfg.Blender = "luneo-test-no-such-blender"
	if f.s.HQAvailable() {
		t.Fatal("HQAvailable with no Blender")
	}
	if _, err := f.s.RenderHQ(f.ctx, f.t); !errors.Is(err, ErrNoBlender) || !strings.Contains(err.Error(), "Blender") {
		t.Fatalf("RenderHQ = %v, want ErrNoBlender", err)
	}
	if n := f.count(t, HQ); n != 0 {
		t.Errorf("%d hq renders enqueued", n)
	}
}

// A high-quality render waits for the design's model render and fails
// with it when it failed, rather than waiting for ever.
func TestHQWaitsForTheModelRender(t *testing.T) {
	f := newARFixture(t, dbtest.SQLite(t))
	j := &job{JobArgs: JobArgs{BrandID: f.t.BrandID, DesignID: "d1", Version: 1}, created: f.now}
	var snooze *rivertype.JobSnoozeError
	if _, err := f.s.modelFile(f.ctx, j, RoleGLB); !errors.As(err, &snooze) {
		t.Fatalf("no model render yet: %v, want a snooze", err)
	}
	if _, err := f.d.ExecContext(f.ctx, `INSERT INTO renders (id, brand_id, design_id, version, kind, status, error, created_at, updated_at)
		VALUES ('m1', $1, 'd1', 1, 'model', 'failed', 'no USDZ', $2, $2)`, f.t.BrandID, db.Time(f.now)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.modelFile(f.ctx, j, RoleGLB); err == nil || !strings.Contains(err.Error(), "no USDZ") {
		t.Fatalf("failed model render: %v, want its failure", err)
	}
	j.created = f.now.Add(-time.Hour)
	f2 := newARFixture(t, dbtest.SQLite(t))
	if _, err := f2.s.modelFile(f2.ctx, j, RoleGLB); err == nil || errors.As(err, &snooze) {
		t.Fatalf("an hour without a model render: %v, want a failure", err)
	}
}
