package design

import (
	"context"
	"fmt"

	"github.com/luneo/luneo/internal/apperr"
)

// Mine returns the designs of a product the actor itself created and did
// not delete, the most recently changed first, at most limit (1 to
// MaxPageSize): the widget's "your designs" list, where a shopper sees only
// their own. Staff get the designs they made themselves.
func (s *Service) Mine(ctx context.Context, a Actor, productID string, limit int) ([]Design, error) {
	if err := a.canRead(true); err != nil {
		return nil, err
	}
	if limit < 1 || limit > MaxPageSize {
		return nil, apperr.New(apperr.Invalid, "limit must be 1 to %d", MaxPageSize)
	}
	if productID == "" || len(productID) > 100 {
		return nil, apperr.New(apperr.Invalid, "a product ID is required")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+designColumns+` FROM designs
		WHERE brand_id = $1 AND creator_kind = $2 AND creator_id = $3 AND product_id = $4 AND deleted_at IS NULL
		ORDER BY updated_at DESC, id DESC LIMIT $5`, a.BrandID, a.Creator.Kind, a.Creator.ID, productID, limit)
	if err != nil {
		return nil, fmt.Errorf("list own designs: %w", err)
	}
	defer rows.Close()
	out := []Design{}
	for rows.Next() {
		d, err := scanDesign(rows)
		if err != nil {
			return nil, fmt.Errorf("list own designs: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list own designs: %w", err)
	}
	return out, nil
}
