package render

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/platform/queue"
)

// Register adds the render job kinds to the queue's registry.
func Register(reg *queue.Registry, s *Service) {
	queue.Register(reg, &composeWorker{s: s})
	queue.Register(reg, &produceWorker{s: s})
	queue.Register(reg, &modelWorker{s: s})
	queue.Register(reg, &hqWorker{s: s})
	registerCollect(reg, s, time.Hour)
}

// jobTimeout bounds one attempt of a render (well inside the queue's
// rescue delay, see queue.MaxJobTimeout).
const jobTimeout = 50 * time.Second

type composeWorker struct {
	river.WorkerDefaults[ComposeArgs]
	s *Service
}

func (w *composeWorker) Work(ctx context.Context, job *river.Job[ComposeArgs]) error {
	return w.s.work(ctx, job.Args.JobArgs, Compose, job.Attempt, job.MaxAttempts, job.CreatedAt)
}

func (*composeWorker) Timeout(*river.Job[ComposeArgs]) time.Duration { return jobTimeout }

type produceWorker struct {
	river.WorkerDefaults[ProduceArgs]
	s *Service
}

func (w *produceWorker) Work(ctx context.Context, job *river.Job[ProduceArgs]) error {
	return w.s.work(ctx, job.Args.JobArgs, Produce, job.Attempt, job.MaxAttempts, job.CreatedAt)
}

func (*produceWorker) Timeout(*river.Job[ProduceArgs]) time.Duration { return jobTimeout }

type modelWorker struct {
	river.WorkerDefaults[ModelArgs]
	s *Service
}

func (w *modelWorker) Work(ctx context.Context, job *river.Job[ModelArgs]) error {
	return w.s.work(ctx, job.Args.JobArgs, Model, job.Attempt, job.MaxAttempts, job.CreatedAt)
}

func (*modelWorker) Timeout(*river.Job[ModelArgs]) time.Duration { return jobTimeout }

// work runs one attempt of a render and records its outcome on the row. A
// failure the brand must fix (a design the product no longer fits) fails
// the render at once; anything else is retried until the last attempt.
func (s *Service) work(ctx context.Context, a JobArgs, kind Kind, attempt, maxAttempts int, created time.Time) error {
	if err := s.store.start(ctx, a.RenderID); errors.Is(err, errGone) {
		return nil
	} else if err != nil {
		return err
	}
	files, err := s.run(ctx, a, kind, created)
	if err == nil {
		var then func(*sql.Tx) error
		if kind == Compose {
			// The design's 3D files start from its textures: chained in
			// the completing transaction, so they are enqueued exactly
			// when the textures exist.
			then = func(tx *sql.Tx) error { _, err := s.enqueue(ctx, tx, a.target(), Model); return err }
		}
		if err := s.store.complete(ctx, a.RenderID, files, then); err != nil && !errors.Is(err, errGone) {
			return err
		}
		return nil
	}
	if snooze := (*rivertype.JobSnoozeError)(nil); errors.As(err, &snooze) {
		// Waiting for something another job makes: not a failure.
		if uerr := s.store.update(ctx, a.RenderID, `status = 'queued', error = $3`, "waiting for the product's AR file"); uerr != nil && !errors.Is(uerr, errGone) {
			return errors.Join(err, uerr)
		}
		return err
	}
	final := attempt >= maxAttempts || apperr.CodeOf(err) != apperr.Internal
	msg := "the render failed; it is retried automatically"
	if final {
		msg = "the render failed"
	}
	if ae := (*apperr.Error)(nil); errors.As(err, &ae) && ae.Code != apperr.Internal {
		msg = ae.Message
	}
	s.logger.WarnContext(ctx, "render failed", "render", a.RenderID, "kind", kind, "attempt", attempt, "final", final, "error", err)
	if ferr := s.store.fail(context.WithoutCancel(ctx), a.RenderID, msg, final); ferr != nil && !errors.Is(ferr, errGone) {
		return errors.Join(err, ferr)
	}
	if final {
		return river.JobCancel(err)
	}
	return err
}

// job is one render's inputs, loaded once.
type job struct {
	JobArgs
	kind    Kind
	created time.Time // when the job was enqueued
	doc     design.Document
	src     catalog.RenderSource
	sources *sources
	fonts   *fontSet
	// zoneImages are the zones drawn for textures, by zone ID, which the
	// previews are scaled from.
	zoneImages map[string]*image.RGBA
}

// run loads what the render needs and makes its files.
func (s *Service) run(ctx context.Context, a JobArgs, kind Kind, created time.Time) ([]File, error) {
	if kind == HQ { // from the design's GLB alone
		return s.hq(ctx, &job{JobArgs: a, kind: kind, created: created})
	}
	v, err := s.designs.LoadVersion(ctx, a.BrandID, a.DesignID, a.Version)
	if err != nil {
		return nil, fmt.Errorf("load design version: %w", err)
	}
	src, err := s.catalog.RenderSourceOf(ctx, a.BrandID, v.Document.ProductID)
	if err != nil {
		return nil, fmt.Errorf("load product: %w", err)
	}
	j := &job{JobArgs: a, kind: kind, created: created, doc: v.Document, src: src, zoneImages: map[string]*image.RGBA{}}
	j.sources = newSources(s, a.BrandID)
	if kind == Model {
		return s.model(ctx, j) // from the textures: no fonts needed
	}
	if j.fonts, err = s.fontsFor(ctx, a.BrandID, v.Document); err != nil {
		return nil, err
	}
	if kind == Produce {
		return s.produce(ctx, j)
	}
	return s.compose(ctx, j)
}

// layersOf returns the design's layers for a zone (none when the design
// leaves it empty).
func layersOf(doc design.Document, zoneID string) []design.Layer {
	for _, z := range doc.Zones {
		if z.ZoneID == zoneID {
			return z.Layers
		}
	}
	return nil
}

// printZones are the product's print zones, in display order.
func printZones(src catalog.RenderSource) []catalog.Zone {
	var out []catalog.Zone
	for _, z := range src.Zones {
		if z.Type == catalog.PrintZone && z.WidthMM != nil && z.HeightMM != nil {
			out = append(out, z)
		}
	}
	return out
}
