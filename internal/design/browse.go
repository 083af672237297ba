package design

import (
	"context"
	"fmt"

	"github.com/luneo/luneo/internal/apperr"
)

// Browsing a brand's designs as the dashboard does: every product's designs
// in one list, and a design's version history. Both are for staff and API
// keys (products:read); shoppers reach their designs one at a time.

// MaxVersionsListed is how many versions Versions returns at most: the
// newest ones, which is what a person reads; older ones stay readable one
// at a time with Get.
const MaxVersionsListed = 50

// ListAll returns a page of the brand's designs that are not deleted, of
// every product, newest first, keyed by ID like List.
func (s *Service) ListAll(ctx context.Context, a Actor, cursor string, limit int) (Page, error) {
	if err := a.canRead(false); err != nil {
		return Page{}, err
	}
	switch {
	case limit == 0:
		limit = DefaultPageSize
	case limit < 0 || limit > MaxPageSize:
		return Page{}, apperr.New(apperr.Invalid, "limit must be 1 to %d", MaxPageSize)
	}
	if len(cursor) > 100 {
		return Page{}, apperr.New(apperr.Invalid, "the cursor is too long")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+designColumns+` FROM designs
		WHERE brand_id = $1 AND deleted_at IS NULL AND ($2 = '' OR id < $2)
		ORDER BY id DESC LIMIT $3`, a.BrandID, cursor, limit+1)
	if err != nil {
		return Page{}, fmt.Errorf("list all designs: %w", err)
	}
	defer rows.Close()
	page := Page{Designs: []Design{}}
	for rows.Next() {
		d, err := scanDesign(rows)
		if err != nil {
			return Page{}, fmt.Errorf("list all designs: %w", err)
		}
		page.Designs = append(page.Designs, d)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("list all designs: %w", err)
	}
	if len(page.Designs) > limit {
		page.Designs = page.Designs[:limit]
		page.NextCursor = page.Designs[limit-1].ID
	}
	return page, nil
}

// Versions returns the newest versions of a design (at most
// MaxVersionsListed), newest first. Another brand's design is not found.
func (s *Service) Versions(ctx context.Context, a Actor, designID string) ([]Version, error) {
	if err := a.canRead(false); err != nil {
		return nil, err
	}
	if _, err := loadDesign(ctx, s.db, a, designID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+versionColumns+` FROM design_versions
		WHERE design_id = $1 AND brand_id = $2 ORDER BY version DESC LIMIT $3`, designID, a.BrandID, MaxVersionsListed)
	if err != nil {
		return nil, fmt.Errorf("list design versions: %w", err)
	}
	defer rows.Close()
	var vs []Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("list design versions: %w", err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list design versions: %w", err)
	}
	return vs, nil
}
