package ar

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/membudget"
)

// convertFixture is a catalog holding one uploaded model, and a conversion
// worker over it whose model pool and temporary folder the tests observe.
type convertFixture struct {
	worker *ConvertWorker
	blobs  blob.Store
	models *membudget.Pool
	tmp    string
	args   ConvertArgs
	canon  int64 // canonical GLB size
}

func newConvertFixture(t *testing.T, poolSize int64) *convertFixture {
	t.Helper()
	duck, err := os.ReadFile(filepath.Join("../../../shared/corpus", "models", "Duck.glb"))
	if err != nil {
		t.Skipf("the shared corpus is not checked out here: %v", err)
	}
	ctx := context.Background()
	d := dbtest.SQLite(t)
	blobs, err := blob.NewFS(t.TempDir(), "http://localhost:8080", []byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cat := catalog.New(d, blobs, catalog.Config{TempDir: t.TempDir()}, logger)
	b, err := brand.NewStore(d).Create(ctx, "duck-co", "Duck Co")
	if err != nil {
		t.Fatal(err)
	}
	owner := auth.Principal{UserID: "u", BrandID: b.ID, Role: brand.Owner}
	p, err := cat.CreateProduct(ctx, owner, catalog.ProductSpec{Name: "Duck", Currency: "eur", Price: 100})
	if err != nil {
		t.Fatal(err)
	}
	m, err := cat.UploadModel(ctx, owner, p.ID, catalog.Upload{Body: bytes.NewReader(duck), Filename: "Duck.glb"})
	if err != nil {
		t.Fatal(err)
	}
	f := &convertFixture{blobs: blobs, models: membudget.New(poolSize), tmp: t.TempDir(), canon: m.Canonical.Size,
		args: ConvertArgs{ProductID: p.ID, BrandID: b.ID, GLBSHA256: m.Canonical.SHA256}}
	f.worker = NewConvertWorker(d, blobs, cat, Memory{Models: f.models, TempDir: f.tmp}, logger)
	t.Cleanup(func() {
		if left, _ := os.ReadDir(f.tmp); len(left) > 0 {
			t.Errorf("temporary files left behind: %v", left)
		}
	})
	return f
}

func (f *convertFixture) work(ctx context.Context) error {
	return f.worker.Work(ctx, &river.Job[ConvertArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 5}, Args: f.args})
}

// A conversion reserves ConvertMemoryFactor times its canonical GLB from
// the model pool while it works, and gives it back.
func TestConversionReservesModelMemory(t *testing.T) {
	t.Parallel()
	f := newConvertFixture(t, 64<<20)
	if err := f.work(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.blobs.Stat(context.Background(), USDZKey(f.args.GLBSHA256)); err != nil {
		t.Fatalf("no USDZ stored: %v", err)
	}
	if want := f.canon * ConvertMemoryFactor; f.models.Peak() != want {
		t.Errorf("model pool peak %d bytes, want %d (%d× the %d-byte canonical GLB)", f.models.Peak(), want, ConvertMemoryFactor, f.canon)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.models.Acquire(ctx, f.models.Size()); err != nil {
		t.Errorf("model memory was not given back: %v", err)
	}
}

// A conversion whose model memory is held by others waits; when its job's
// context ends it returns the context's error (River retries it), stores
// nothing and leaves no temporary file. A reservation larger than the pool
// is capped at the pool instead of failing.
func TestConversionWaitsForModelMemory(t *testing.T) {
	t.Parallel()
	f := newConvertFixture(t, 4096) // less than the Duck's estimate: capped
	if err := f.models.Acquire(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.work(ctx) }()
	for f.models.Waiting() == 0 {
		select {
		case err := <-done:
			t.Fatalf("the conversion did not wait for model memory held by others: %v", err)
		default:
			runtime.Gosched()
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, err := f.blobs.Stat(context.Background(), USDZKey(f.args.GLBSHA256)); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("a USDZ was stored by the stopped conversion: %v", err)
	}
	f.models.Release(1)
	if err := f.work(context.Background()); err != nil {
		t.Fatalf("with the pool free, the capped conversion failed: %v", err)
	}
	if f.models.Peak() != f.models.Size() {
		t.Errorf("peak %d, want the whole %d-byte pool (capped)", f.models.Peak(), f.models.Size())
	}
}
