package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// DemoProduct names the demo mug SeedDemo made, for the dev demo store.
type DemoProduct struct {
	BrandID, ProductID string
}

// DemoStore finds the demo product of a dev data folder and makes sure the
// demo store's origins may embed its brand's widget (the store may listen
// on another port than when the demo was seeded). ok is false when there
// is no demo product (the data folder predates it, or it was deleted).
func (a *App) DemoStore(ctx context.Context, origins []string) (p DemoProduct, ok bool, err error) {
	err = a.DB.QueryRowContext(ctx, `SELECT brand_id, id FROM products WHERE sku = $1 AND status = 'active'
		ORDER BY created_at LIMIT 1`, demoSKU).Scan(&p.BrandID, &p.ProductID)
	if errors.Is(err, sql.ErrNoRows) {
		return DemoProduct{}, false, nil
	}
	if err != nil {
		return DemoProduct{}, false, fmt.Errorf("demo product: %w", err)
	}
	list, err := a.Embed.Origins(ctx, p.BrandID)
	if err != nil {
		return DemoProduct{}, false, err
	}
	missing := false
	for _, o := range origins {
		if !slices.Contains(list, o) {
			list, missing = append(list, o), true
		}
	}
	if missing {
		if _, err := a.Embed.SetOrigins(ctx, p.BrandID, list); err != nil {
			return DemoProduct{}, false, fmt.Errorf("demo store origins: %w", err)
		}
	}
	return p, true, nil
}
