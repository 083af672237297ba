// Package catalog is a brand's product catalog: products with their price and
// variants, the 3D model of each product (validated before anything is
// stored, kept as the uploaded original plus a canonical GLB) and the print
// zones shoppers customize.
//
// Every operation takes the caller's auth.Principal, checks its permission
// (brand.ProductsRead to read, brand.ProductsWrite to change anything) and
// reads or writes only rows of the principal's brand, so another brand's IDs
// are simply not found. Blobs are written before the transaction that points
// at them and deleted only after the transaction that stops pointing at them
// has committed: a failure can leave an unreferenced blob (logged), never a
// row pointing at a missing one.
package catalog

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/membudget"
)

// DefaultMaxModelSize is the model upload limit when Config leaves it unset
// (LUNEO_MAX_MODEL_SIZE's default): 100 MiB.
const DefaultMaxModelSize = 100 << 20

// URLTTL is how long the signed URLs handed out for models and masks work.
const URLTTL = time.Hour

// Config tunes a Service.
type Config struct {
	// MaxModelSize is the largest model upload in bytes; <= 0 means
	// DefaultMaxModelSize.
	MaxModelSize int64
	// TempDir holds uploads while they are validated; empty means os.TempDir().
	TempDir string
	// MaxTextureMemory is what a model's images may take once decoded
	// (LUNEO_MAX_TEXTURE_MEMORY); <= 0 means gltf.DefaultTextureMemory.
	MaxTextureMemory int64
	// Images is the process-wide pool image decodes reserve from; nil
	// means a pool of MaxTextureMemory for this service alone.
	Images *membudget.Pool
	// Models is the process-wide pool that reading, validating and
	// optimizing a model reserve from (uploads here, conversions in
	// internal/ar), so parallel uploads wait instead of adding up; nil
	// means a pool of DefaultModelMemory for this service alone.
	Models *membudget.Pool
	// OnModelStored, when set, runs inside the transaction that records a
	// new model, so work derived from the model (AR conversion jobs) is
	// enqueued with tx and exists only if the model row commits. On SQLite
	// only tx may be used. An error rolls the upload back.
	OnModelStored func(ctx context.Context, tx *sql.Tx, brandID, productID, glbSHA256 string) error
}

// Service is the catalog: products, variants, models and zones.
type Service struct {
	db     *db.DB
	blobs  blob.Store
	cfg    Config
	logger *slog.Logger
	now    func() time.Time
}

// New returns a catalog over d, keeping files in blobs.
func New(d *db.DB, blobs blob.Store, cfg Config, logger *slog.Logger) *Service {
	if cfg.MaxModelSize <= 0 {
		cfg.MaxModelSize = DefaultMaxModelSize
	}
	if cfg.MaxTextureMemory <= 0 {
		cfg.MaxTextureMemory = gltf.DefaultTextureMemory
	}
	if cfg.Images == nil {
		cfg.Images = membudget.New(cfg.MaxTextureMemory)
	}
	if cfg.Models == nil {
		cfg.Models = membudget.New(DefaultModelMemory)
	}
	return &Service{db: d, blobs: blobs, cfg: cfg, logger: logger, now: time.Now}
}

// MaxModelSize is the largest model upload accepted, in bytes.
func (s *Service) MaxModelSize() int64 { return s.cfg.MaxModelSize }

// stamp is the current time as stored (db.Time), so a value reads back
// exactly as it was written.
func (s *Service) stamp() time.Time { return db.Time(s.now()) }

// canRead and canWrite check the principal's permission for the catalog.
func canRead(p auth.Principal) error  { return p.Require(brand.ProductsRead) }
func canWrite(p auth.Principal) error { return p.Require(brand.ProductsWrite) }

// deleteBlobs removes blobs that no row points at any more. It runs after a
// commit, so a failure cannot be undone: it is logged and the caller goes on.
func (s *Service) deleteBlobs(ctx context.Context, keys ...string) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		if k == "" {
			continue
		}
		if err := s.blobs.Delete(ctx, k); err != nil {
			s.logger.WarnContext(ctx, "catalog: could not delete an unreferenced blob", "key", k, "error", err)
		}
	}
}
