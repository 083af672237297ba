package ar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/membudget"
	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/usdz"
)

// MaxTextureSize is the longest texture side in our USDZ files (AR Quick
// Look's guidance).
const MaxTextureSize = 2048

// ConvertArgs is the job that makes the USDZ of a canonical GLB. ProductID
// and BrandID say which upload asked for it (logs); the work depends on the
// GLB's hash only.
type ConvertArgs struct {
	ProductID string `json:"product_id"`
	BrandID   string `json:"brand_id"`
	GLBSHA256 string `json:"glb_sha256"`
}

// Kind names the job kind in the queue.
func (ConvertArgs) Kind() string { return "convert_usdz" }

// Queue is the queue conversions run in, apart from light jobs (emails,
// purges): its worker count is bounded by memory (see Workers and
// queue.Options.Queues), so waiting conversions never hold the slots
// other kinds need.
const Queue = "images"

// InsertOpts puts every conversion in Queue.
func (ConvertArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: Queue} }

// Workers is how many conversions a process runs at once: as many as
// whole per-job budgets fit in the process's image pool, at least one.
// Counting by memory rather than by LUNEO_WORKERS is the point: each
// conversion also holds its model and its package (up to the model limit
// each) beside its images, so ten conversions waiting on the pool would
// still hold ten models. With the defaults (one 256 MiB pool, 256 MiB a
// job) conversions run one at a time, each using both cores for its
// images; the byte pool still bounds what conversions and requests decode
// together.
func Workers(pool, perJob int64) int {
	if perJob <= 0 {
		return 1
	}
	return int(max(1, pool/perJob))
}

// The process-wide pool is what conversions reserve their images from.
var _ usdz.Memory = (*membudget.Pool)(nil)

// Memory bounds the image work of conversions.
type Memory struct {
	// Budget is the image memory one conversion may hold at once
	// (LUNEO_MAX_TEXTURE_MEMORY); <= 0 means usdz.DefaultMemoryBudget.
	Budget int64
	// Pool, when set, is the process-wide pool every image reserves from.
	Pool usdz.Memory
	// Models is the process-wide model pool uploads reserve from too
	// (membudget.Pool.Reserve); nil means no reservation.
	Models *membudget.Pool
	// TempDir holds the canonical GLB while it is read; empty means
	// os.TempDir().
	TempDir string
}

// ConvertMemoryFactor is how many times its canonical GLB's size a
// conversion is counted in the model pool, for the document (which points
// into the GLB, read once) and the package it builds. Measured on a 27 MiB
// GLB of 2.4 million distinct vertices, the worst case since USD writes
// geometry as text: the package was 194 MiB (7×) and 8.1× stayed live
// until it was stored; while the package grew, the peak RSS rose by 18.8×
// (collector at GOGC=5), the buffers' old copies being garbage the soft
// memory limit makes the collector return. A textured model converts far
// below it (its images reserve from the image pool). Any canonical GLB
// over a tenth of the pool reserves the whole pool and so converts while
// no upload is being read, which does not bound a conversion of a large
// dense mesh by itself (README "Memory limits").
const ConvertMemoryFactor = 10

// ConvertWorker works ConvertArgs.
type ConvertWorker struct {
	river.WorkerDefaults[ConvertArgs]
	db      *db.DB
	blobs   blob.Store
	catalog *catalog.Service
	memory  Memory
	logger  *slog.Logger
	now     func() time.Time
}

// NewConvertWorker returns the conversion worker.
func NewConvertWorker(d *db.DB, blobs blob.Store, cat *catalog.Service, mem Memory, logger *slog.Logger) *ConvertWorker {
	return &ConvertWorker{db: d, blobs: blobs, catalog: cat, memory: mem, logger: logger, now: time.Now}
}

// Register adds the convert_usdz job kind.
func Register(reg *queue.Registry, w *ConvertWorker) { queue.Register(reg, w) }

// Timeout bounds one conversion attempt. It is the queue's maximum, so that
// a worker killed mid-conversion has its job retried by another worker within
// two minutes (queue.DefaultRescueAfter must exceed every kind's timeout).
// A conversion depends only on the GLB's bytes and is written under a key
// derived from their hash, so a retried or duplicated attempt stores the same
// file again rather than a second one.
func (w *ConvertWorker) Timeout(*river.Job[ConvertArgs]) time.Duration { return queue.MaxJobTimeout }

// Work converts, unless the USDZ already exists (a cache hit: the asset is
// marked ready and conversions is not incremented). A model that cannot be
// converted marks the asset failed without retrying (the same bytes would
// fail again); storage errors are retried, and the last attempt's error
// marks it failed too.
func (w *ConvertWorker) Work(ctx context.Context, job *river.Job[ConvertArgs]) error {
	err := w.work(ctx, job.Args)
	if err != nil && job.Attempt >= job.MaxAttempts {
		w.finish(ctx, job.Args.GLBSHA256, Failed, "conversion failed: storage unavailable", nil, false)
	}
	return err
}

func (w *ConvertWorker) work(ctx context.Context, a ConvertArgs) error {
	key := USDZKey(a.GLBSHA256)
	if _, err := w.blobs.Stat(ctx, key); err == nil {
		return w.finish(ctx, a.GLBSHA256, Ready, "", nil, false)
	} else if !errors.Is(err, blob.ErrNotFound) {
		return fmt.Errorf("stat %s: %w", key, err)
	}
	glbKey, err := w.catalog.CanonicalKeyBySHA(ctx, a.GLBSHA256)
	if err != nil {
		return err
	}
	if glbKey == "" {
		// Every model with these bytes was replaced or deleted: forget the
		// asset, so a later upload of the same bytes enqueues it again.
		_, err := w.db.ExecContext(ctx, `DELETE FROM ar_assets WHERE glb_sha256 = $1 AND converter_version = $2 AND status = 'pending'`,
			a.GLBSHA256, usdz.Version)
		return err
	}
	glb, err := w.spoolGLB(ctx, glbKey)
	if err != nil {
		return err
	}
	defer glb.remove()
	if w.memory.Models != nil {
		release, err := w.memory.Models.Reserve(ctx, glb.size*ConvertMemoryFactor)
		if err != nil {
			return fmt.Errorf("convert %s: %w", glbKey, err) // timed out waiting: retried later
		}
		defer release()
	}
	start := w.now()
	// The reader copies the file into one buffer the document points
	// into: the GLB is held once, not read into memory and copied again.
	doc, err := gltf.Read(glb, glb.size, gltf.ReadOptions{})
	if err != nil {
		return w.finish(ctx, a.GLBSHA256, Failed, "the model could not be read for AR: "+err.Error(), nil, false)
	}
	glb.remove()
	pkg, err := usdz.Convert(ctx, doc, usdz.Options{MaxTextureSize: MaxTextureSize, MemoryBudget: w.memory.Budget, Memory: w.memory.Pool})
	if ctx.Err() != nil {
		return err // stopped (timeout, shutdown): retried later
	}
	if err != nil {
		return w.finish(ctx, a.GLBSHA256, Failed, "the model could not be converted to USDZ: "+err.Error(), nil, false)
	}
	if _, err := w.blobs.Put(ctx, key, bytes.NewReader(pkg.Bytes), blob.PutOptions{ContentType: USDZType}); err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	w.logger.InfoContext(ctx, "converted model to USDZ", "product", a.ProductID, "glb_sha256", a.GLBSHA256,
		"bytes", len(pkg.Bytes), "warnings", len(pkg.Warnings), "duration", w.now().Sub(start))
	return w.finish(ctx, a.GLBSHA256, Ready, "", pkg.Warnings, true)
}

// spooledGLB is a canonical GLB copied from blob storage into a temporary
// file, which gltf.Read reads at random positions without the GLB being
// held in memory twice.
type spooledGLB struct {
	*os.File
	size int64
}

// spoolGLB copies the blob at key into a temporary file.
func (w *ConvertWorker) spoolGLB(ctx context.Context, key string) (*spooledGLB, error) {
	rc, _, err := w.blobs.Get(ctx, key, nil)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	defer rc.Close()
	f, err := os.CreateTemp(w.memory.TempDir, "luneo-convert-*")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	g := &spooledGLB{File: f}
	if g.size, err = io.Copy(f, rc); err != nil {
		g.remove()
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	return g, nil
}

// remove closes and deletes the temporary file; it may be called twice.
func (g *spooledGLB) remove() {
	if g.File == nil {
		return
	}
	g.Close()
	os.Remove(g.Name())
	g.File = nil
}

// finish records the outcome; converted counts a conversion actually run,
// and only then are the warnings replaced (a cache hit keeps them).
func (w *ConvertWorker) finish(ctx context.Context, sha string, st State, msg string, warnings []string, converted bool) error {
	if warnings == nil {
		warnings = []string{}
	}
	wj, err := json.Marshal(warnings)
	if err != nil {
		return err
	}
	inc := 0
	if converted {
		inc = 1
	}
	now := db.Time(w.now())
	_, err = w.db.ExecContext(context.WithoutCancel(ctx), `UPDATE ar_assets SET status = $3, error = $4,
		warnings = CASE WHEN $5 = 1 THEN $6 ELSE warnings END, conversions = conversions + $5, updated_at = $7
		WHERE glb_sha256 = $1 AND converter_version = $2`, sha, usdz.Version, string(st), msg, inc, string(wj), now)
	if err != nil {
		return fmt.Errorf("record ar asset: %w", err)
	}
	return nil
}
