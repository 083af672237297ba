package design

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/luneo/luneo/internal/apperr"
)

// Page sizes of List.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Got is a design with one of its versions.
type Got struct {
	Design  Design  `json:"design"`
	Version Version `json:"version"`
}

// Get returns a design with its version n (the latest when n is 0).
func (s *Service) Get(ctx context.Context, a Actor, designID string, n int) (Got, error) {
	if err := a.canRead(true); err != nil {
		return Got{}, err
	}
	d, err := loadDesign(ctx, s.db, a, designID)
	if err != nil {
		return Got{}, err
	}
	if n == 0 {
		n = d.LatestVersion
	}
	v, err := loadVersion(ctx, s.db, a.BrandID, designID, n)
	if err != nil {
		return Got{}, err
	}
	return Got{Design: d, Version: v}, nil
}

// LoadVersion reads version n of a design of brandID, deleted or not, for
// workers (the render pipeline) that act for no one: it checks no actor.
// Callers get brandID from a VersionRef the service handed out.
func (s *Service) LoadVersion(ctx context.Context, brandID, designID string, n int) (Version, error) {
	return loadVersion(ctx, s.db, brandID, designID, n)
}

// Page is one page of designs, newest first.
type Page struct {
	Designs []Design `json:"designs"`
	// NextCursor fetches the following page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// List returns a page of the designs of a product that are not deleted,
// newest first (staff and API keys only). Pages are keyed by ID, which is
// time-ordered.
func (s *Service) List(ctx context.Context, a Actor, productID, cursor string, limit int) (Page, error) {
	if err := a.canRead(false); err != nil {
		return Page{}, err
	}
	switch {
	case productID == "":
		return Page{}, apperr.New(apperr.Invalid, "product_id is required")
	case limit == 0:
		limit = DefaultPageSize
	case limit < 0 || limit > MaxPageSize:
		return Page{}, apperr.New(apperr.Invalid, "limit must be 1 to %d", MaxPageSize)
	}
	if len(cursor) > 100 || len(productID) > 100 {
		return Page{}, apperr.New(apperr.Invalid, "the product ID or cursor is too long")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+designColumns+` FROM designs
		WHERE brand_id = $1 AND product_id = $2 AND deleted_at IS NULL AND ($3 = '' OR id < $3)
		ORDER BY id DESC LIMIT $4`, a.BrandID, productID, cursor, limit+1)
	if err != nil {
		return Page{}, fmt.Errorf("list designs: %w", err)
	}
	defer rows.Close()
	page := Page{Designs: []Design{}}
	for rows.Next() {
		d, err := scanDesign(rows)
		if err != nil {
			return Page{}, fmt.Errorf("list designs: %w", err)
		}
		page.Designs = append(page.Designs, d)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("list designs: %w", err)
	}
	if len(page.Designs) > limit {
		page.Designs = page.Designs[:limit]
		page.NextCursor = page.Designs[limit-1].ID
	}
	return page, nil
}

// Delete hides a design (staff and API keys only): it leaves lists and
// reads at once, its preview, AR and design links stop working, and
// retention purges its versions later, except those an order locked,
// which are kept.
func (s *Service) Delete(ctx context.Context, a Actor, designID string) error {
	if err := a.canWrite(false); err != nil {
		return err
	}
	now := s.stamp()
	res, err := s.db.ExecContext(ctx, `UPDATE designs SET deleted_at = $3, updated_at = $3, preview_hash = NULL, preview_salt = NULL, ar_hash = NULL, ar_salt = NULL,
		edit_hash = NULL, edit_salt = NULL
		WHERE id = $1 AND brand_id = $2 AND deleted_at IS NULL`, designID, a.BrandID, now)
	if err != nil {
		return fmt.Errorf("delete design: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errDesignNotFound
	}
	return nil
}

// Lock marks a version as ordered (orderRef names the order), in the
// order's transaction: a locked version is never purged, even when its
// design is deleted. Locking a locked version again keeps the first
// order's reference and succeeds. A deleted design cannot be locked.
func (s *Service) Lock(ctx context.Context, tx *sql.Tx, brandID, designID string, version int, orderRef string) error {
	if orderRef == "" {
		return apperr.New(apperr.Invalid, "an order reference is required to lock a design")
	}
	var deleted sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT deleted_at FROM designs WHERE id = $1 AND brand_id = $2`, designID, brandID).Scan(&deleted)
	if err == sql.ErrNoRows || deleted.Valid {
		return errDesignNotFound
	}
	if err != nil {
		return fmt.Errorf("lock design: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE design_versions SET locked_at = COALESCE(locked_at, $4), locked_by = COALESCE(locked_by, $5)
		WHERE design_id = $1 AND brand_id = $2 AND version = $3`, designID, brandID, version, s.stamp(), orderRef)
	if err != nil {
		return fmt.Errorf("lock design version: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "this design has no version %d", version)
	}
	return nil
}
