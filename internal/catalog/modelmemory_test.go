package catalog

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/membudget"
)

// wideGLB is a model whose one texture is wider than the optimizer's
// limit, so making its canonical GLB also reserves image memory: the
// point where the tests below hold an upload, by holding the image pool.
func wideGLB(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, gltf.DefaultMaxTextureSize+4, 16))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return texturedGLB(t, b.Bytes())
}

// Two uploads whose model memory estimates do not fit in the pool together
// run one after the other: the second waits for the model pool while the
// first is held (waiting for image memory the test keeps), and the pool
// never held both estimates at once.
func TestParallelUploadsShareModelMemory(t *testing.T) {
	t.Parallel()
	glb := wideGLB(t)
	est := int64(len(glb)) * UploadMemoryFactor
	f := newFixture(t, dbtest.SQLite(t))
	models := membudget.New(est + est/2)
	images := membudget.New(64 << 20)
	f.svc.cfg.Models, f.svc.cfg.Images = models, images
	if err := images.Acquire(f.ctx, images.Size()); err != nil {
		t.Fatal(err)
	}
	pa, pb := f.product(t, "A", ""), f.product(t, "B", "")
	upload := func(id string, done chan<- error) {
		_, err := f.svc.UploadModel(f.ctx, f.owner, id, Upload{Body: bytes.NewReader(glb), Filename: "wide.glb"})
		done <- err
	}
	doneA, doneB := make(chan error, 1), make(chan error, 1)
	go upload(pa.ID, doneA)
	// A holds its model memory and waits for image memory.
	if !waitFor(doneA, func() bool { return images.Waiting() == 1 }) {
		t.Fatal("the first upload finished while the image pool was held")
	}
	go upload(pb.ID, doneB)
	// B waits either for model memory (bounded) or, unbounded, for images.
	if !waitFor(doneB, func() bool { return models.Waiting()+images.Waiting() == 2 }) {
		t.Fatal("the second upload finished while the image pool was held")
	}
	if models.Waiting() != 1 || images.Waiting() != 1 {
		t.Errorf("%d uploads waiting for model memory and %d for images, want the second waiting for model memory while the first waits for images",
			models.Waiting(), images.Waiting())
	}
	images.Release(images.Size())
	for _, done := range []chan error{doneA, doneB} {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if models.Peak() != est {
		t.Errorf("model pool peak %d bytes, want %d: one upload's estimate (%d× its %d bytes) at a time",
			models.Peak(), est, UploadMemoryFactor, len(glb))
	}
	if err := models.Acquire(canceled(), models.Size()); err != nil {
		t.Errorf("model memory was not given back: %v", err)
	}
}

// An upload waiting for model memory stops when its request ends: a 503
// naming the setting, wrapping the context's error, and nothing stored.
func TestUploadWaitingForModelMemoryIsCancelled(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	models := membudget.New(1 << 20)
	f.svc.cfg.Models = models
	if err := models.Acquire(f.ctx, models.Size()); err != nil {
		t.Fatal(err)
	}
	p := f.product(t, "Waiting", "")
	glb := wideGLB(t)
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan error, 1)
	go func() {
		_, err := f.svc.UploadModel(ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(glb), Filename: "wide.glb"})
		done <- err
	}()
	if !waitFor(done, func() bool { return models.Waiting() == 1 }) {
		cancel()
		t.Fatal("the upload did not wait for model memory held by others")
	}
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) || apperr.CodeOf(err) != apperr.Unavailable || !strings.Contains(err.Error(), "LUNEO_MAX_MODEL_MEMORY") {
		t.Fatalf("err = %v (code %s), want a 503 naming LUNEO_MAX_MODEL_MEMORY that wraps context.Canceled", err, apperr.CodeOf(err))
	}
	if keys := f.blobKeys(t); len(keys) != 0 {
		t.Errorf("blobs left behind: %v", keys)
	}
	if _, err := f.svc.GetModel(f.ctx, f.owner, p.ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("a model row exists after the cancelled upload: %v", err)
	}
	models.Release(models.Size())
	// The temporary files are checked by the fixture's cleanup.
}

// waitFor spins until cond holds, unless the upload behind done finishes
// first (then it reports false, leaving the error in done). The pools'
// waiter counts are the explicit signal: no timing is involved.
func waitFor(done chan error, cond func() bool) bool {
	for !cond() {
		select {
		case err := <-done:
			done <- err
			return false
		default:
			runtime.Gosched()
		}
	}
	return true
}

// canceled is a context that has ended: Acquire with it succeeds only if
// the bytes are free now.
func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// A zip is counted with what its entries expand to, up to the model limit,
// since the reader holds the inflated files: a small zip of a large model
// reserves for the large model.
func TestZipModelMemoryCountsExpandedSize(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("model.glb")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	file, err := os.CreateTemp(t.TempDir(), "zip-*")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if _, err := file.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	f := &spooled{File: file, size: int64(b.Len())}
	if got, want := modelMemory(f, "zip", 2<<20), (f.size+1<<20)*UploadMemoryFactor; got != want {
		t.Errorf("zip of a 1 MiB file (%d bytes): %d bytes of model memory, want %d", f.size, got, want)
	}
	if got, want := modelMemory(f, "zip", 256<<10), (f.size+256<<10)*UploadMemoryFactor; got != want {
		t.Errorf("with a 256 KiB limit: %d bytes, want %d (expansion counted up to the limit)", got, want)
	}
	if got, want := modelMemory(f, "glb", 2<<20), f.size*UploadMemoryFactor; got != want {
		t.Errorf("as a GLB: %d bytes, want %d", got, want)
	}
}
