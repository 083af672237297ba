package catalog

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/membudget"
)

// A mask whose header claims more pixels than its zone prints is refused
// from the header, before anything is decoded (the pool every decode
// reserves from was never touched); one that fits is decoded under the pool.
func TestMaskBombRefusedBeforeDecoding(t *testing.T) {
	t.Parallel()
	truck := filepath.Join(corpus, "models", "CesiumMilkTruck.glb")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pool := membudget.New(256 << 20)
		f.svc.cfg.Images = pool
		p := f.product(t, "Truck", "")
		if _, err := f.upload(t, p.ID, truck); err != nil {
			t.Fatal(err)
		}
		z, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, printZone("Side", "truck")) // 1181×591 pixels
		if err != nil {
			t.Fatal(err)
		}
		// 8192×8192: under the old 8192-pixel and 256 MiB limits.
		bomb := withPNGSize(t, pngOf(t, 1, 1), 8192, 8192)
		_, err = f.svc.UploadMask(f.ctx, f.owner, p.ID, z.ID, bytes.NewReader(bomb))
		wantCode(t, err, apperr.Unprocessable, "8192×8192", "at most 1181×591")
		if pool.Peak() != 0 {
			t.Errorf("%d bytes were reserved to decode a refused mask", pool.Peak())
		}
		wantCode(t, second(f.svc.UploadMask(f.ctx, f.owner, p.ID, z.ID, bytes.NewReader(pngOf(t, 1182, 100)))), apperr.Unprocessable, "at most 1181×591")
		if _, err := f.svc.UploadMask(f.ctx, f.owner, p.ID, z.ID, bytes.NewReader(pngOf(t, 1181, 591))); err != nil {
			t.Fatal(err)
		}
		if got := pool.Peak(); got != 1181*591 {
			t.Errorf("the mask's decode reserved %d bytes, want %d (one byte a grey pixel)", got, 1181*591)
		}
	})
}

// Mask decodes share the process-wide pool: while other image work holds
// it, an upload waits for memory instead of adding its own.
func TestMaskDecodeWaitsForThePool(t *testing.T) {
	t.Parallel()
	truck := filepath.Join(corpus, "models", "CesiumMilkTruck.glb")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		pool := membudget.New(16 << 20)
		f.svc.cfg.Images = pool
		p := f.product(t, "Truck", "")
		if _, err := f.upload(t, p.ID, truck); err != nil {
			t.Fatal(err)
		}
		z, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, printZone("Side", "truck"))
		if err != nil {
			t.Fatal(err)
		}
		if err := pool.Acquire(context.Background(), pool.Size()); err != nil {
			t.Fatal(err)
		}
		mask := pngOf(t, 600, 300)
		done := make(chan error)
		go func() {
			_, err := f.svc.UploadMask(f.ctx, f.owner, p.ID, z.ID, bytes.NewReader(mask))
			done <- err
		}()
		for pool.Waiting() == 0 {
			select {
			case err := <-done:
				t.Fatalf("the upload did not wait for memory: %v", err)
			default:
			}
		}
		pool.Release(pool.Size())
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if pool.Peak() != pool.Size() {
			t.Errorf("peak %d: the upload decoded beside the holder", pool.Peak())
		}
	})
}
