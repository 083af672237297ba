// Package ar makes products viewable in augmented reality: every model
// upload enqueues a job that converts the product's canonical GLB to USDZ
// (for iOS AR Quick Look), cached by the GLB's SHA-256 and the converter's
// version so the same model is never converted twice; the API hands out
// signed URLs of both files, and a public page per active product shows
// the model with <model-viewer> and counts its views.
package ar

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/usdz"
)

// URLTTL is how long the signed GLB and USDZ URLs work.
const URLTTL = time.Hour

// USDZType is the media type USDZ files are stored and served with.
const USDZType = "model/vnd.usdz+zip"

// State is where the USDZ of a model stands.
type State string

// The states of an AR asset.
const (
	Pending State = "pending"
	Ready   State = "ready"
	Failed  State = "failed"
)

// USDZKey is the content-addressed blob key of the USDZ made from the GLB
// whose SHA-256 is sha by this converter version. It ends in .usdz, which
// AR Quick Look requires of the URL.
func USDZKey(sha string) string { return "ar/usdz/" + sha + "-" + usdz.Version + ".usdz" }

// Service answers AR requests and enqueues conversions.
type Service struct {
	db      *db.DB
	blobs   blob.Store
	catalog *catalog.Service
	queue   *queue.Queue
	logger  *slog.Logger
	now     func() time.Time
}

// New returns the AR service.
func New(d *db.DB, blobs blob.Store, cat *catalog.Service, q *queue.Queue, logger *slog.Logger) *Service {
	return &Service{db: d, blobs: blobs, catalog: cat, queue: q, logger: logger, now: time.Now}
}

// Job is the conversion job of a pending asset, as the API shows it.
type Job struct {
	ID      int64  `json:"id"`
	State   string `json:"state,omitempty"`
	Attempt int    `json:"attempt"`
}

// Result is a product's AR files: the signed URLs when ready, the job while
// pending, the error when the conversion failed.
type Result struct {
	Status    State      `json:"status"`
	Job       *Job       `json:"job,omitempty"`
	GLBURL    string     `json:"glb_url,omitempty"`
	USDZURL   string     `json:"usdz_url,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Warnings  []string   `json:"warnings,omitempty"`
	Error     string     `json:"error,omitempty"`
}

// asset is a row of ar_assets.
type asset struct {
	sha, key, errMsg string
	status           State
	warnings         []string
	jobID            sql.NullInt64
}

// Get returns the AR files of the caller's product (brand-scoped, needs
// products:read). A model stored before AR existed gets its job now.
func (s *Service) Get(ctx context.Context, p auth.Principal, productID string) (Result, error) {
	m, err := s.catalog.GetModel(ctx, p, productID)
	if err != nil {
		return Result{}, err
	}
	a, err := s.ensure(ctx, p.BrandID, productID, m.Canonical.SHA256)
	if err != nil {
		return Result{}, err
	}
	res := Result{Status: a.status}
	switch a.status {
	case Ready:
		if res.USDZURL, err = s.blobs.SignedURL(ctx, a.key, URLTTL, blob.URLOptions{}); err != nil {
			return Result{}, fmt.Errorf("sign usdz: %w", err)
		}
		res.GLBURL, res.ExpiresAt = m.Canonical.URL, m.URLsExpireAt
		res.Warnings = a.warnings
		if res.Warnings == nil {
			res.Warnings = []string{}
		}
	case Failed:
		res.Error = a.errMsg
	default:
		res.Job = &Job{ID: a.jobID.Int64}
		if a.jobID.Valid {
			if row, err := s.queue.Job(ctx, a.jobID.Int64); err == nil {
				res.Job.State, res.Job.Attempt = string(row.State), row.Attempt
			}
		}
	}
	return res, nil
}

// Page is what the public AR page shows.
type Page struct {
	BrandID, ProductID, Name string
	// GLBURL and USDZURL are signed for URLTTL; USDZURL is empty until the
	// conversion is done (iOS then gets no AR button).
	GLBURL, USDZURL string
}

// PublicPage returns the AR page of an active product; any other product
// (draft, archived, without model, unknown) is not found.
func (s *Service) PublicPage(ctx context.Context, productID string) (Page, error) {
	ref, err := s.catalog.ProductModelRef(ctx, productID)
	if err != nil {
		return Page{}, err
	}
	if ref.Status != catalog.Active {
		return Page{}, apperr.New(apperr.NotFound, "no such product with a 3D model")
	}
	pg := Page{BrandID: ref.BrandID, ProductID: productID, Name: ref.Name}
	if pg.GLBURL, err = s.blobs.SignedURL(ctx, ref.GLBKey, URLTTL, blob.URLOptions{}); err != nil {
		return Page{}, fmt.Errorf("sign glb: %w", err)
	}
	a, err := s.ensure(ctx, ref.BrandID, productID, ref.GLBSHA256)
	if err != nil {
		return Page{}, err
	}
	if a.status == Ready {
		if pg.USDZURL, err = s.blobs.SignedURL(ctx, a.key, URLTTL, blob.URLOptions{}); err != nil {
			return Page{}, fmt.Errorf("sign usdz: %w", err)
		}
	}
	return pg, nil
}

// ProductName returns a product's name, for pages that show one of its
// designs.
func (s *Service) ProductName(ctx context.Context, productID string) (string, error) {
	ref, err := s.catalog.ProductModelRef(ctx, productID)
	return ref.Name, err
}

// EnsureUSDZ reports where the USDZ of the GLB sha stands, enqueueing its
// conversion when none was ever asked for (a model stored before this
// converter version): what a design's model render waits on.
func (s *Service) EnsureUSDZ(ctx context.Context, brandID, productID, sha string) (State, error) {
	a, err := s.ensure(ctx, brandID, productID, sha)
	return a.status, err
}

// ensure returns the asset of sha, enqueueing its conversion when there is
// no row yet (a model stored before AR existed).
func (s *Service) ensure(ctx context.Context, brandID, productID, sha string) (asset, error) {
	a, err := loadAsset(ctx, s.db, sha)
	if !errors.Is(err, sql.ErrNoRows) {
		return a, err
	}
	if err := s.db.InTx(ctx, func(tx *sql.Tx) error { return s.Enqueue(ctx, tx, brandID, productID, sha) }); err != nil {
		return asset{}, err
	}
	return loadAsset(ctx, s.db, sha)
}

// Enqueue records that the GLB sha needs a USDZ and, unless one is ready or
// already being made, enqueues its conversion, all inside tx (it is the
// catalog's OnModelStored hook: the job commits with the model row). A
// failed asset is retried.
func (s *Service) Enqueue(ctx context.Context, tx *sql.Tx, brandID, productID, sha string) error {
	now := db.Time(s.now())
	res, err := tx.ExecContext(ctx, `INSERT INTO ar_assets (glb_sha256, converter_version, usdz_key, status, created_at, updated_at)
		VALUES ($1, $2, $3, 'pending', $4, $4)
		ON CONFLICT (glb_sha256, converter_version) DO UPDATE SET status = 'pending', error = '', updated_at = $4
		WHERE ar_assets.status = 'failed'`, sha, usdz.Version, USDZKey(sha), now)
	if err != nil {
		return fmt.Errorf("record ar asset: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // ready, or pending with its job already enqueued
	}
	id, err := s.queue.InsertTx(ctx, tx, ConvertArgs{ProductID: productID, BrandID: brandID, GLBSHA256: sha}, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ar_assets SET job_id = $3 WHERE glb_sha256 = $1 AND converter_version = $2`,
		sha, usdz.Version, id); err != nil {
		return fmt.Errorf("record ar job: %w", err)
	}
	return nil
}

// loadAsset reads the row of sha for this converter version.
func loadAsset(ctx context.Context, d *db.DB, sha string) (asset, error) {
	a := asset{sha: sha}
	var warnings string
	err := d.QueryRowContext(ctx, `SELECT usdz_key, status, error, warnings, job_id FROM ar_assets
		WHERE glb_sha256 = $1 AND converter_version = $2`, sha, usdz.Version).Scan(&a.key, &a.status, &a.errMsg, &warnings, &a.jobID)
	if errors.Is(err, sql.ErrNoRows) {
		return asset{}, err
	}
	if err != nil {
		return asset{}, fmt.Errorf("load ar asset: %w", err)
	}
	if err := json.Unmarshal([]byte(warnings), &a.warnings); err != nil {
		return asset{}, fmt.Errorf("ar asset warnings: %w", err)
	}
	return a, nil
}
