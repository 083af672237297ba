package shopify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
)

// How a mapping was made.
const (
	MatchedBySKU    = "sku"    // by products/update, from the SKUs
	MatchedManually = "manual" // by the brand; never overwritten by a webhook
)

// maxSKUs bounds the SKUs of one Shopify product looked up (Shopify allows
// 2048 variants; a lookup of that many is still one query).
const maxSKUs = 2048

// shopifyProduct is the part of the products/* payload (REST Product
// resource) the mapping reads.
type shopifyProduct struct {
	ID       idText `json:"id"`
	Title    string `json:"title"`
	Variants []struct {
		SKU *string `json:"sku"`
	} `json:"variants"`
}

// mappedProduct returns the Luneo product of brandID a Shopify product of
// shop maps to, or "".
func (w *Webhooks) mappedProduct(ctx context.Context, brandID, shop, shopifyProductID string) (string, error) {
	var product string
	err := w.db.QueryRowContext(ctx, `SELECT product_id FROM shopify_product_map
		WHERE shop = $1 AND shopify_product_id = $2 AND brand_id = $3`, shop, shopifyProductID, brandID).Scan(&product)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read product mapping: %w", err)
	}
	return product, nil
}

// productUpdated works products/update (and products/create): unless the
// brand mapped the product by hand, it maps it to the one Luneo product of
// the shop's brand whose SKU (or a variant's SKU) equals one of the
// Shopify variants' SKUs. No match, or several Luneo products matching,
// leaves it unmapped (an automatic mapping is never a guess), and an
// automatic mapping the SKUs no longer support is removed.
func (w *Webhooks) productUpdated(ctx context.Context, ev event) error {
	var p shopifyProduct
	if err := decode(ev, &p); err != nil {
		return err
	}
	if p.ID == "" {
		return apperr.New(apperr.Invalid, "the %s payload has no product id", ev.Topic)
	}
	brandID, installed, err := w.shops.BrandOf(ctx, ev.Shop)
	if err != nil {
		return fmt.Errorf("shop of product: %w", err)
	}
	if brandID == "" || !installed {
		return nil
	}
	var skus []string
	seen := map[string]bool{}
	for _, v := range p.Variants {
		if v.SKU == nil {
			continue
		}
		if s := strings.TrimSpace(*v.SKU); s != "" && !seen[s] && len(skus) < maxSKUs {
			seen[s] = true
			skus = append(skus, s)
		}
	}
	matches, err := w.productsBySKU(ctx, brandID, skus)
	if err != nil {
		return err
	}
	return w.db.InTx(ctx, func(tx *sql.Tx) error {
		if len(matches) != 1 {
			if len(matches) > 1 {
				w.logger.InfoContext(ctx, "shopify product matches several Luneo products by SKU; not mapped",
					"shop", ev.Shop, "shopify_product", string(p.ID), "products", matches)
			}
			_, err := tx.ExecContext(ctx, `DELETE FROM shopify_product_map
				WHERE shop = $1 AND shopify_product_id = $2 AND matched_by = 'sku'`, ev.Shop, string(p.ID))
			return err
		}
		// Insert, or refresh an automatic mapping; a manual one is left
		// as it is (the WHERE of the update).
		_, err := tx.ExecContext(ctx, `INSERT INTO shopify_product_map
			(brand_id, shop, shopify_product_id, product_id, matched_by, title, updated_at)
			VALUES ($1, $2, $3, $4, 'sku', $5, $6)
			ON CONFLICT (shop, shopify_product_id) DO UPDATE
			SET brand_id = excluded.brand_id, product_id = excluded.product_id, title = excluded.title,
				updated_at = excluded.updated_at
			WHERE shopify_product_map.matched_by = 'sku'`,
			brandID, ev.Shop, string(p.ID), matches[0], clip(p.Title, 255), w.stamp())
		if err != nil {
			return fmt.Errorf("map shopify product: %w", err)
		}
		// A manual mapping still gets the product's current title.
		_, err = tx.ExecContext(ctx, `UPDATE shopify_product_map SET title = $3
			WHERE shop = $1 AND shopify_product_id = $2`, ev.Shop, string(p.ID), clip(p.Title, 255))
		return err
	})
}

// productsBySKU returns the distinct Luneo products of brandID that carry
// one of skus, as their own SKU or a variant's.
func (w *Webhooks) productsBySKU(ctx context.Context, brandID string, skus []string) ([]string, error) {
	if len(skus) == 0 {
		return nil, nil
	}
	args := []any{brandID}
	marks := make([]string, len(skus))
	for i, s := range skus {
		args = append(args, s)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	in := strings.Join(marks, ", ")
	rows, err := w.db.QueryContext(ctx, `SELECT id FROM products WHERE brand_id = $1 AND sku IN (`+in+`)
		UNION SELECT product_id FROM product_variants WHERE brand_id = $1 AND sku IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("match products by SKU: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// productDeleted works products/delete: the automatic mapping of the
// product goes; a manual one is the brand's to clear.
func (w *Webhooks) productDeleted(ctx context.Context, ev event) error {
	var p shopifyProduct
	if err := decode(ev, &p); err != nil {
		return err
	}
	if p.ID == "" {
		return apperr.New(apperr.Invalid, "the %s payload has no product id", ev.Topic)
	}
	if _, err := w.db.ExecContext(ctx, `DELETE FROM shopify_product_map
		WHERE shop = $1 AND shopify_product_id = $2 AND matched_by = 'sku'`, ev.Shop, string(p.ID)); err != nil {
		return fmt.Errorf("unmap shopify product: %w", err)
	}
	return nil
}
