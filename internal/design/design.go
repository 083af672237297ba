// Package design is what shoppers and brand staff make on a product: a
// canonical JSON document of layers per print zone and colours of colour
// zones, saved as immutable numbered versions, checked against the
// product's zones (allowed layers, fonts, colours, print quality), plus the
// image assets and brand fonts designs use, permanent preview tokens, and
// the retention that purges what nobody ordered.
//
// The service is principal-agnostic: every method takes an Actor (the
// brand it acts for and who the Creator is), built from a staff member's
// or API key's auth.Principal (StaffActor, checked against brand actions
// like the catalog) or from a shopper session (ShopperActor, whose brand
// the widget handshake fixed). Shoppers reach only the designs they
// created. Every query filters by the actor's brand, so another brand's IDs
// are not found.
package design

import (
	"context"
	"crypto/rand"
	"database/sql"
	"log/slog"
	"time"

	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/membudget"
)

// Defaults of Config.
const (
	DefaultRetention      = 720 * time.Hour
	DefaultMaxImageUpload = 32 << 20
	DefaultMaxFontUpload  = 16 << 20
	// AssetGrace is how long an uploaded asset no version references is
	// kept: the shopper uploads first and saves the design afterwards.
	AssetGrace = 24 * time.Hour
)

// Config tunes a Service.
type Config struct {
	// Fonts lists the bundled font families designs may use (the
	// compositor's); brandID is passed so a later per-brand bundle needs no
	// new hook. Nil means no bundled fonts (only brand uploads).
	Fonts func(ctx context.Context, brandID string) ([]string, error)
	// OnVersionSaved, when set, runs inside the transaction that inserts a
	// new version (not when a save changes nothing), so render jobs are
	// enqueued with tx and exist only if the version commits. On SQLite
	// only tx may be used. An error rolls the save back.
	OnVersionSaved func(ctx context.Context, tx *sql.Tx, v VersionRef) error
	// Retention is how long a shopper design that no order locked is kept
	// after its last change, and a deleted design after its deletion
	// (LUNEO_DESIGN_RETENTION); <= 0 means DefaultRetention.
	Retention time.Duration
	// MaxImageUpload and MaxFontUpload are the largest uploads in bytes
	// (LUNEO_MAX_IMAGE_UPLOAD, LUNEO_MAX_FONT_UPLOAD); <= 0 means the defaults.
	MaxImageUpload int64
	MaxFontUpload  int64
	// Images is the process-wide pool image decodes reserve from; nil
	// means a pool of 256 MiB for this service alone.
	Images *membudget.Pool
	// PreviewKey derives preview tokens (32 bytes from LUNEO_SECRET); nil
	// means a random key, so tokens change with every process (tests).
	PreviewKey []byte
}

// Service is the design module.
type Service struct {
	db      *db.DB
	blobs   blob.Store
	catalog *catalog.Service
	cfg     Config
	logger  *slog.Logger
	now     func() time.Time
}

// New returns the design service over d, keeping files in blobs and
// reading products and zones from cat.
func New(d *db.DB, blobs blob.Store, cat *catalog.Service, cfg Config, logger *slog.Logger) *Service {
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.MaxImageUpload <= 0 {
		cfg.MaxImageUpload = DefaultMaxImageUpload
	}
	if cfg.MaxFontUpload <= 0 {
		cfg.MaxFontUpload = DefaultMaxFontUpload
	}
	if cfg.Images == nil {
		cfg.Images = membudget.New(256 << 20)
	}
	if len(cfg.PreviewKey) == 0 {
		cfg.PreviewKey = make([]byte, 32)
		_, _ = rand.Read(cfg.PreviewKey)
	}
	if cfg.Fonts == nil {
		cfg.Fonts = func(context.Context, string) ([]string, error) { return nil, nil }
	}
	return &Service{db: d, blobs: blobs, catalog: cat, cfg: cfg, logger: logger, now: time.Now}
}

// SetClock replaces the service's clock (tests of retention).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// MaxImageUpload and MaxFontUpload are the upload limits in bytes.
func (s *Service) MaxImageUpload() int64 { return s.cfg.MaxImageUpload }

// MaxFontUpload is the largest font upload accepted, in bytes.
func (s *Service) MaxFontUpload() int64 { return s.cfg.MaxFontUpload }

// stamp is the current time as stored (db.Time).
func (s *Service) stamp() time.Time { return db.Time(s.now()) }

// deleteBlobs removes blobs no row points at any more. It runs after a
// commit, so a failure is logged (the blob leaks) and the caller goes on.
func (s *Service) deleteBlobs(ctx context.Context, keys ...string) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range keys {
		if err := s.blobs.Delete(ctx, k); err != nil {
			s.logger.WarnContext(ctx, "design: could not delete an unreferenced blob", "key", k, "error", err)
		}
	}
}
