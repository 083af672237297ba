package render

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/luneo/luneo/compose/fonts"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/membudget"
	"github.com/luneo/luneo/internal/platform/queue"
)

// Config tunes the pipeline.
type Config struct {
	// MaxTexture caps the longest side of a design texture (default 2048).
	MaxTexture int
	// PreviewSize is the longest side of a zone preview (default 1024).
	PreviewSize int
	// TempDir holds files while they are drawn ("" = the system's).
	TempDir string
	// Images is the process-wide image memory pool a render reserves its
	// pixels from before drawing; nil reserves nothing.
	Images *membudget.Pool
	// FontDir is a folder of extra fonts (LUNEO_FONT_DIR), "" for none.
	FontDir string
	// Blender is the blender command for high-quality renders ("" looks
	// for "blender" on the PATH; none found: they are refused).
	Blender string
	// Cache remembers the 3D files made from a set of design textures
	// (the seed's AR cache by texture hash); nil caches nothing.
	Cache kv.Store
	// SketchCache bounds, in bytes, what live previews (Sketch) keep
	// decoded between calls (default DefaultSketchCache).
	SketchCache int64
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// ProductAR is what model renders need of the AR module (ar.Service).
type ProductAR interface {
	EnsureUSDZ(ctx context.Context, brandID, productID, glbSHA string) (ar.State, error)
}

// Service enqueues renders, works them (workers.go) and reports them.
type Service struct {
	db      *db.DB
	blobs   blob.Store
	catalog *catalog.Service
	designs *design.Service
	bundled *fonts.Set
	queue   *queue.Queue
	store   *store
	hub     *hub
	bases   *baseCache
	// products are the product models loaded for model renders.
	products *productCache
	// sketches keeps what live previews decode, by content.
	sketches *sketchCache
	// productAR is set with SetProductAR.
	productAR ProductAR
	cfg       Config
	logger    *slog.Logger
}

// New returns the render service. The queue may be set later with SetQueue
// when the workers must be registered before the queue exists.
func New(d *db.DB, blobs blob.Store, cat *catalog.Service, designs *design.Service, cfg Config, logger *slog.Logger) (*Service, error) {
	if cfg.MaxTexture <= 0 {
		cfg.MaxTexture = 2048
	}
	if cfg.PreviewSize <= 0 {
		cfg.PreviewSize = 1024
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SketchCache <= 0 {
		cfg.SketchCache = DefaultSketchCache
	}
	bundled := fonts.Bundled()
	if cfg.FontDir != "" {
		if err := bundled.AddDir(cfg.FontDir); err != nil {
			return nil, fmt.Errorf("LUNEO_FONT_DIR: %w", err)
		}
	}
	h := newHub(d, logger)
	return &Service{db: d, blobs: blobs, catalog: cat, designs: designs, bundled: bundled, cfg: cfg, logger: logger,
		store: &store{db: d, now: cfg.Now, hub: h}, hub: h, bases: newBaseCache(), products: &productCache{},
		sketches: newSketchCache(cfg.SketchCache)}, nil
}

// Families lists the font families designs may use besides the brand's own:
// the bundled ones and those of FontDir.
func (s *Service) Families(context.Context, string) ([]string, error) {
	return s.bundled.Families(), nil
}

// SetProductAR gives the service the AR module, which converts products'
// USDZ files (per-design USDZ files are made from them): a model render
// waiting for one asks it to. Without it, model renders only wait. The AR
// module is built after the queue, and so after this service.
func (s *Service) SetProductAR(p ProductAR) { s.productAR = p }

// SetQueue gives the service the queue it enqueues on. The queue is built
// after every worker is registered, and the workers are this service's.
func (s *Service) SetQueue(q *queue.Queue) { s.queue = q }

// Enqueue records the renders of a saved design version and enqueues their
// jobs inside tx, so they exist only if the version commits: always a
// compose render, and a produce render when produce is set.
func (s *Service) Enqueue(ctx context.Context, tx *sql.Tx, t Target, produce bool) error {
	kinds := []Kind{Compose}
	if produce {
		kinds = append(kinds, Produce)
	}
	for _, k := range kinds {
		if _, err := s.enqueue(ctx, tx, t, k); err != nil {
			return err
		}
	}
	return nil
}

// enqueue records a render of kind k and inserts its job inside tx, and
// returns the queued render as it will read once tx commits.
func (s *Service) enqueue(ctx context.Context, tx *sql.Tx, t Target, k Kind) (Render, error) {
	id, err := insertRender(ctx, tx, t, k, s.cfg.Now())
	if err != nil {
		return Render{}, err
	}
	args := JobArgs{RenderID: id, BrandID: t.BrandID, DesignID: t.DesignID, ProductID: t.ProductID, Version: t.Version, SHA256: t.SHA256}
	var job int64
	switch k {
	case Produce:
		job, err = s.queue.InsertTx(ctx, tx, ProduceArgs{args}, nil)
	case Model:
		job, err = s.queue.InsertTx(ctx, tx, ModelArgs{args}, nil)
	case HQ:
		job, err = s.queue.InsertTx(ctx, tx, HQArgs{args}, nil)
	default:
		job, err = s.queue.InsertTx(ctx, tx, ComposeArgs{args}, nil)
	}
	if err != nil {
		return Render{}, fmt.Errorf("enqueue %s render: %w", k, err)
	}
	if err := setJob(ctx, tx, id, job); err != nil {
		return Render{}, err
	}
	queued := Render{ID: id, DesignID: t.DesignID, Version: t.Version, Kind: k, Status: Queued, JobID: job}
	return queued, s.store.notify(ctx, tx, t.DesignID)
}

// List returns the renders of a design of the brand, newest first, with
// signed URLs for their files. The caller has checked the design is the
// brand's (an unknown design simply has no renders).
func (s *Service) List(ctx context.Context, brandID, designID string) ([]Render, error) {
	rs, err := s.store.list(ctx, brandID, designID)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if err := s.sign(ctx, &rs[i]); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

// URLTTL is how long the file URLs of a listed render work.
const URLTTL = time.Hour

// sign fills the URLs of a render's files.
func (s *Service) sign(ctx context.Context, r *Render) error {
	if len(r.Files) == 0 {
		return nil
	}
	exp := s.cfg.Now().Add(URLTTL).UTC().Truncate(time.Second)
	for i := range r.Files {
		u, err := s.blobs.SignedURL(ctx, r.Files[i].Key, URLTTL, blob.URLOptions{ContentType: r.Files[i].MimeType})
		if err != nil {
			return fmt.Errorf("sign render file: %w", err)
		}
		r.Files[i].URL = u
	}
	r.URLsExpireAt = &exp
	return nil
}

// Rerun enqueues new renders of a design version (the caller has checked
// it is the brand's): a compose render, and a produce render when produce
// is set. Unchanged zones are not drawn again: their files are found by
// their inputs.
func (s *Service) Rerun(ctx context.Context, t Target, produce bool) ([]Render, error) {
	if err := s.db.InTx(ctx, func(tx *sql.Tx) error { return s.Enqueue(ctx, tx, t, produce) }); err != nil {
		return nil, err
	}
	return s.List(ctx, t.BrandID, t.DesignID)
}

// Preview opens the preview image of a design, for its permanent preview
// URL: the three-quarter 3D view of the newest version up to version whose
// model render completed, else the first zone preview of the newest
// completed compose render (while a new version renders, the previous
// one's image stands in). apperr.NotFound until one exists.
func (s *Service) Preview(ctx context.Context, brandID, designID string, version int) (io.ReadCloser, File, error) {
	return s.PreviewWhenReady(ctx, brandID, designID, version, 0)
}

// PreviewWhenReady is Preview for a design saved a moment ago (a cart's
// image, asked for as soon as the shopper clicks): while none exists and a
// render of the design is still queued or running, it waits for it, up to
// wait, reading the renders every quarter second.
func (s *Service) PreviewWhenReady(ctx context.Context, brandID, designID string, version int, wait time.Duration) (io.ReadCloser, File, error) {
	deadline := time.Now().Add(wait)
	for {
		rs, err := s.store.list(ctx, brandID, designID)
		if err != nil {
			return nil, File{}, err
		}
		f := previewFile(rs, version)
		pending := slices.ContainsFunc(rs, func(r Render) bool { return !r.Status.Done() && r.Kind != HQ && r.Kind != Produce })
		if f != nil || !pending || time.Now().After(deadline) {
			return s.open(ctx, f, "this design has no preview yet")
		}
		select {
		case <-ctx.Done():
			return nil, File{}, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// previewFile is the file Preview shows of renders rs, nil when none.
func previewFile(rs []Render, version int) *File {
	view := newestFile(rs, version, Model, func(f File) bool { return f.Role == RoleView && f.View == modelViews[0].name })
	flat := newestFile(rs, version, Compose, func(f File) bool { return f.Role == RolePreview })
	if view.f == nil || (flat.f != nil && flat.version > view.version) {
		return flat.f
	}
	return view.f
}

// View opens the three-quarter 3D view of a design's newest version up to
// version whose model render completed (the social card of its AR page).
func (s *Service) View(ctx context.Context, brandID, designID string, version int) (io.ReadCloser, File, error) {
	rs, err := s.store.list(ctx, brandID, designID)
	if err != nil {
		return nil, File{}, err
	}
	v := newestFile(rs, version, Model, func(f File) bool { return f.Role == RoleView && f.View == modelViews[0].name })
	return s.open(ctx, v.f, "this design has no 3D view yet")
}

type versionFile struct {
	f       *File
	version int
}

// newestFile finds, among completed renders of kind up to version, the
// newest version's first file that match accepts.
func newestFile(rs []Render, version int, kind Kind, match func(File) bool) versionFile {
	var best versionFile
	for _, r := range rs {
		if r.Kind != kind || r.Status != Completed || r.Version > version || r.Version <= best.version {
			continue
		}
		for i := range r.Files {
			if match(r.Files[i]) {
				best = versionFile{&r.Files[i], r.Version}
				break
			}
		}
	}
	return best
}

// open reads a render file; notFound is the message when f is nil.
func (s *Service) open(ctx context.Context, f *File, notFound string) (io.ReadCloser, File, error) {
	if f == nil {
		return nil, File{}, apperr.New(apperr.NotFound, "%s", notFound)
	}
	rc, _, err := s.blobs.Get(ctx, f.Key, nil)
	if err != nil {
		return nil, File{}, fmt.Errorf("open render file: %w", err)
	}
	return rc, *f, nil
}
