package embed

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/luneo/luneo/internal/platform/db"
)

// AddOriginsTx adds origins to brandID's list (what an app install does
// with the store's domains) inside the caller's transaction, keeping the
// list normalised: each entry checked and canonicalised as SetOrigins does,
// what is already listed left alone, and the MaxOrigins bound kept (an
// invalid entry or a list that would grow past it is a 422 and nothing is
// written). It returns the whole list.
func (s *Service) AddOriginsTx(ctx context.Context, tx *sql.Tx, brandID string, origins []string) ([]string, error) {
	add, err := NormalizeOrigins(origins, s.dev)
	if err != nil {
		return nil, err
	}
	cur, err := originsIn(ctx, tx, storeOriginsQuery, brandID)
	if err != nil {
		return nil, err
	}
	merged := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(cur), add...))))
	if _, err := NormalizeOrigins(merged, s.dev); err != nil {
		return nil, err
	}
	for _, o := range add {
		if _, err := tx.ExecContext(ctx, `INSERT INTO embed_origins (brand_id, origin) VALUES ($1, $2)
			ON CONFLICT (brand_id, origin) DO NOTHING`, brandID, o); err != nil {
			return nil, fmt.Errorf("add embed origin: %w", err)
		}
	}
	return merged, nil
}

// AddFrameOriginsTx lets origins frame brandID's widget, recorded under
// source ("shopify:x.myshopify.com"), inside the caller's transaction.
// Frame origins may frame the iframe page but never run the handshake: the
// Shopify admin (https://admin.shopify.com) frames the store in the theme
// editor, and the store inside it runs the handshake with its own origin.
func (s *Service) AddFrameOriginsTx(ctx context.Context, tx *sql.Tx, brandID, source string, origins []string) error {
	norm, err := NormalizeOrigins(origins, s.dev)
	if err != nil {
		return err
	}
	for _, o := range norm {
		if _, err := tx.ExecContext(ctx, `INSERT INTO embed_frame_origins (brand_id, origin, source) VALUES ($1, $2, $3)
			ON CONFLICT (brand_id, origin, source) DO NOTHING`, brandID, o, source); err != nil {
			return fmt.Errorf("add frame origin: %w", err)
		}
	}
	return nil
}

// RemoveFrameOriginsTx takes back what source added (an uninstall).
func (s *Service) RemoveFrameOriginsTx(ctx context.Context, tx *sql.Tx, brandID, source string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM embed_frame_origins WHERE brand_id = $1 AND source = $2`, brandID, source); err != nil {
		return fmt.Errorf("remove frame origins: %w", err)
	}
	return nil
}

// FrameAncestors is who may frame brandID's widget page: its store origins
// and its frame-only origins, sorted and deduplicated (none for an unknown
// brand).
func (s *Service) FrameAncestors(ctx context.Context, brandID string) ([]string, error) {
	list, err := originsIn(ctx, s.db, `SELECT origin FROM embed_origins WHERE brand_id = $1
		UNION SELECT origin FROM embed_frame_origins WHERE brand_id = $1 ORDER BY 1`, brandID)
	if err != nil {
		return nil, err
	}
	return slices.Compact(list), nil
}

// storeOriginsQuery lists a brand's store origins, sorted.
const storeOriginsQuery = `SELECT origin FROM embed_origins WHERE brand_id = $1 ORDER BY origin`

// originsIn runs query (a list of origins of brandID) on q: the service's
// database, or a caller's transaction.
func originsIn(ctx context.Context, q db.Querier, query, brandID string) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, brandID)
	if err != nil {
		return nil, fmt.Errorf("embed origins: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, fmt.Errorf("embed origins: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("embed origins: %w", err)
	}
	return out, nil
}
