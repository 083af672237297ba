package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// maxVariants bounds the variants of one product.
const maxVariants = 100

// Variant is one purchasable version of a product (a size, a material…).
// Variants are part of their product: they are set as a whole list with it.
type Variant struct {
	// ID identifies the variant; leave it out to add a variant, send it back
	// to keep an existing one (and the orders that refer to it) through a
	// change of the list.
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	SKU  string `json:"sku"`
	// PriceDelta is added to the product's price, in the same minor units;
	// it may be negative as long as the sum is not.
	PriceDelta int64 `json:"price_delta"`
}

// checkVariants checks the variant list of sp: names and SKUs unique within
// the product, SKUs different from the product's, prices never negative.
func checkVariants(p problems, sp *ProductSpec) []Variant {
	if len(sp.Variants) > maxVariants {
		p.add("variants", "may hold at most %d variants", maxVariants)
		return []Variant{}
	}
	names, skus, ids := map[string]bool{}, map[string]bool{sp.SKU: sp.SKU != ""}, map[string]bool{}
	out := make([]Variant, 0, len(sp.Variants))
	for i, v := range sp.Variants {
		f := func(name string) string { return fmt.Sprintf("variants[%d].%s", i, name) }
		checkText(p, f("name"), &v.Name, 1, 100)
		checkSKU(p, f("sku"), &v.SKU)
		if names[v.Name] {
			p.add(f("name"), "repeats %q: variant names must differ", v.Name)
		}
		if skus[v.SKU] {
			p.add(f("sku"), "repeats %q: every SKU of a product must differ", v.SKU)
		}
		if v.ID != "" && ids[v.ID] {
			p.add(f("id"), "repeats %q", v.ID)
		}
		if v.PriceDelta < -maxPrice || v.PriceDelta > maxPrice || sp.Price+v.PriceDelta < 0 {
			p.add(f("price_delta"), "must keep the variant's price (price + price_delta) from 0 to %d", int64(maxPrice))
		}
		names[v.Name], skus[v.SKU], ids[v.ID] = true, v.SKU != "", v.ID != ""
		out = append(out, v)
	}
	return out
}

// replaceVariants makes vs the product's variant list. Variants keep the ID
// they are sent with (which must be one of this product's); the rest get a
// new one. Deleting before inserting lets two variants swap SKUs.
func replaceVariants(ctx context.Context, tx *sql.Tx, brandID, productID string, vs []Variant) error {
	existing, err := loadVariants(ctx, tx, brandID, []string{productID})
	if err != nil {
		return err
	}
	own := map[string]bool{}
	for _, v := range existing[productID] {
		own[v.ID] = true
	}
	p := problems{}
	for i, v := range vs {
		if v.ID != "" && !own[v.ID] {
			p.add(fmt.Sprintf("variants[%d].id", i), "is not a variant of this product; leave it out to add a new variant")
		}
	}
	if err := p.err("invalid product"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM product_variants WHERE product_id = $1 AND brand_id = $2`, productID, brandID); err != nil {
		return fmt.Errorf("replace variants: %w", err)
	}
	for i, v := range vs {
		if v.ID == "" {
			if v.ID, err = db.NewID(); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO product_variants (id, brand_id, product_id, position, name, sku, price_delta)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, v.ID, brandID, productID, i, v.Name, v.SKU, v.PriceDelta); err != nil {
			return fmt.Errorf("insert variant: %w", err)
		}
	}
	return nil
}

// loadVariants returns the variants of the given products, in list order.
func loadVariants(ctx context.Context, q db.Querier, brandID string, productIDs []string) (map[string][]Variant, error) {
	out := map[string][]Variant{}
	if len(productIDs) == 0 {
		return out, nil
	}
	args := []any{brandID}
	for _, id := range productIDs {
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, `SELECT product_id, id, name, sku, price_delta FROM product_variants
		WHERE brand_id = $1 AND product_id IN (`+placeholders(2, len(productIDs))+`)
		ORDER BY product_id, position`, args...)
	if err != nil {
		return nil, fmt.Errorf("load variants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid string
		var v Variant
		if err := rows.Scan(&pid, &v.ID, &v.Name, &v.SKU, &v.PriceDelta); err != nil {
			return nil, fmt.Errorf("load variants: %w", err)
		}
		out[pid] = append(out[pid], v)
	}
	return out, rows.Err()
}

// checkSKUsFree refuses SKUs of sp that another product of the brand, or a
// variant of another product, already uses. (The unique indexes catch the
// same-table races this check cannot see.)
func checkSKUsFree(ctx context.Context, q db.Querier, brandID, productID string, sp ProductSpec) error {
	args := []any{brandID, productID}
	if sp.SKU != "" {
		args = append(args, sp.SKU)
	}
	for _, v := range sp.Variants {
		if v.SKU != "" {
			args = append(args, v.SKU)
		}
	}
	if len(args) == 2 {
		return nil
	}
	in := placeholders(3, len(args)-2)
	var taken string
	err := q.QueryRowContext(ctx, `SELECT sku FROM products WHERE brand_id = $1 AND id <> $2 AND sku IN (`+in+`)
		UNION ALL SELECT sku FROM product_variants WHERE brand_id = $1 AND product_id <> $2 AND sku IN (`+in+`)
		LIMIT 1`, args...).Scan(&taken)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("check SKUs: %w", err)
	}
	return apperr.New(apperr.Conflict, "the SKU %q is already used by another product or variant of your brand", taken)
}
