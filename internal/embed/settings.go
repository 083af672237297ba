package embed

import (
	"context"
	"database/sql"
	"fmt"
)

// Origins returns brandID's allowed store origins, sorted; a brand that
// listed none (or does not exist) has none.
func (s *Service) Origins(ctx context.Context, brandID string) ([]string, error) {
	return originsIn(ctx, s.db, storeOriginsQuery, brandID)
}

// SetOrigins replaces brandID's list with list once it is normalised
// (NormalizeOrigins: an invalid entry is a 422 naming it and nothing is
// written) and returns what is stored.
func (s *Service) SetOrigins(ctx context.Context, brandID string, list []string) ([]string, error) {
	norm, err := NormalizeOrigins(list, s.dev)
	if err != nil {
		return nil, err
	}
	// One transaction: a failed write leaves the old list whole.
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM embed_origins WHERE brand_id = $1`, brandID); err != nil {
			return err
		}
		for _, o := range norm {
			if _, err := tx.ExecContext(ctx, `INSERT INTO embed_origins (brand_id, origin) VALUES ($1, $2)`, brandID, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("set embed origins: %w", err)
	}
	return norm, nil
}

// Allowed reports whether origin is exactly on brandID's list. The origin
// a browser sends is already canonical, so it is compared as it is: a
// non-canonical spelling is simply not on the list.
func (s *Service) Allowed(ctx context.Context, brandID, origin string) (bool, error) {
	if origin == "" || brandID == "" {
		return false, nil
	}
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM embed_origins WHERE brand_id = $1 AND origin = $2`, brandID, origin).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("embed origin check: %w", err)
	}
	return true, nil
}

// AllowedAnywhere reports whether origin is on some brand's list (the
// validate route lets such origins read its answer; the nonce decides the
// rest).
func (s *Service) AllowedAnywhere(ctx context.Context, origin string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM embed_origins WHERE origin = $1 LIMIT 1`, origin).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("embed origin check: %w", err)
	}
	return true, nil
}
