package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/luneo/luneo/internal/apperr"
)

// Access for modules that derive files from a product's model (AR) or show
// it publicly. These functions check no permission: their callers decide
// what may be seen (a job working on its own arguments, a public page that
// shows active products only).

// ModelRef locates the canonical GLB of a product's current model.
type ModelRef struct {
	BrandID   string
	ProductID string
	Name      string
	Status    Status
	// GLBKey is the blob key of the canonical GLB; GLBSHA256 its hash.
	GLBKey    string
	GLBSHA256 string
}

// ProductModelRef returns the product's model reference whatever its brand;
// apperr.NotFound when the product does not exist or has no model.
func (s *Service) ProductModelRef(ctx context.Context, productID string) (ModelRef, error) {
	r := ModelRef{ProductID: productID}
	err := s.db.QueryRowContext(ctx, `SELECT p.brand_id, p.name, p.status, m.canonical_key, m.canonical_sha256
		FROM products p JOIN product_models m ON m.product_id = p.id AND m.brand_id = p.brand_id WHERE p.id = $1`,
		productID).Scan(&r.BrandID, &r.Name, &r.Status, &r.GLBKey, &r.GLBSHA256)
	if errors.Is(err, sql.ErrNoRows) {
		return ModelRef{}, apperr.New(apperr.NotFound, "no such product with a 3D model")
	}
	if err != nil {
		return ModelRef{}, fmt.Errorf("load model ref: %w", err)
	}
	return r, nil
}

// CanonicalKeyBySHA returns the blob key of a stored canonical GLB whose
// SHA-256 is sha (any product's: the bytes are the same), or "" when no
// model has those bytes any more.
func (s *Service) CanonicalKeyBySHA(ctx context.Context, sha string) (string, error) {
	var key string
	err := s.db.QueryRowContext(ctx, `SELECT canonical_key FROM product_models WHERE canonical_sha256 = $1 ORDER BY created_at DESC LIMIT 1`,
		sha).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find canonical GLB: %w", err)
	}
	return key, nil
}
