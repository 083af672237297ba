package shopify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
)

// Mapping is one Shopify product of one of the brand's shops and the Luneo
// product it is.
type Mapping struct {
	Shop             string    `json:"shop"`
	ShopifyProductID string    `json:"shopify_product_id"`
	Title            string    `json:"title"`
	ProductID        string    `json:"product_id"`
	ProductName      string    `json:"product_name"`
	MatchedBy        string    `json:"matched_by"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Mappings lists the product mappings of the caller's brand's shops, by
// shop and Shopify product (products:read).
func (w *Webhooks) Mappings(ctx context.Context, p auth.Principal) ([]Mapping, error) {
	if err := p.Require(brand.ProductsRead); err != nil {
		return nil, err
	}
	rows, err := w.db.QueryContext(ctx, `SELECT m.shop, m.shopify_product_id, m.title, m.product_id, p.name,
		m.matched_by, m.updated_at
		FROM shopify_product_map m JOIN products p ON p.id = m.product_id AND p.brand_id = m.brand_id
		WHERE m.brand_id = $1 ORDER BY m.shop, m.shopify_product_id`, p.BrandID)
	if err != nil {
		return nil, fmt.Errorf("list product mappings: %w", err)
	}
	defer rows.Close()
	out := []Mapping{}
	for rows.Next() {
		var m Mapping
		if err := rows.Scan(&m.Shop, &m.ShopifyProductID, &m.Title, &m.ProductID, &m.ProductName, &m.MatchedBy, &m.UpdatedAt); err != nil {
			return nil, err
		}
		m.UpdatedAt = m.UpdatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// BrandShops lists the caller's brand's shops (products:read), for the mapping
// form.
func (w *Webhooks) BrandShops(ctx context.Context, p auth.Principal) ([]string, error) {
	if err := p.Require(brand.ProductsRead); err != nil {
		return nil, err
	}
	list, err := w.shops.ShopsOf(ctx, p.BrandID)
	if err != nil {
		return nil, err
	}
	slices.Sort(list)
	return list, nil
}

// SetMapping maps a Shopify product of one of the caller's brand's shops to
// one of its Luneo products by hand (products:write). A manual mapping
// replaces an automatic one and is never overwritten by products/update.
// Another brand's shop or product is NotFound, as if it did not exist.
func (w *Webhooks) SetMapping(ctx context.Context, p auth.Principal, shop, shopifyProductID, productID string) (Mapping, error) {
	if err := p.Require(brand.ProductsWrite); err != nil {
		return Mapping{}, err
	}
	if err := w.checkShopOf(ctx, p.BrandID, shop, shopifyProductID); err != nil {
		return Mapping{}, err
	}
	if productID == "" {
		return Mapping{}, &apperr.Error{Code: apperr.Invalid, Message: "product_id is required",
			Fields: map[string]string{"product_id": "is required"}}
	}
	var name string
	err := w.db.QueryRowContext(ctx, `SELECT name FROM products WHERE id = $1 AND brand_id = $2`, productID, p.BrandID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return Mapping{}, &apperr.Error{Code: apperr.Unprocessable, Message: "product_id names no product of this brand",
			Fields: map[string]string{"product_id": "is not a product of this brand"}}
	}
	if err != nil {
		return Mapping{}, fmt.Errorf("read product: %w", err)
	}
	now := w.stamp()
	_, err = w.db.ExecContext(ctx, `INSERT INTO shopify_product_map
		(brand_id, shop, shopify_product_id, product_id, matched_by, title, updated_at)
		VALUES ($1, $2, $3, $4, 'manual', '', $5)
		ON CONFLICT (shop, shopify_product_id) DO UPDATE
		SET brand_id = excluded.brand_id, product_id = excluded.product_id, matched_by = 'manual', updated_at = excluded.updated_at`,
		p.BrandID, shop, shopifyProductID, productID, now)
	if err != nil {
		return Mapping{}, fmt.Errorf("map shopify product: %w", err)
	}
	m := Mapping{Shop: shop, ShopifyProductID: shopifyProductID, ProductID: productID, ProductName: name,
		MatchedBy: MatchedManually, UpdatedAt: now}
	_ = w.db.QueryRowContext(ctx, `SELECT title FROM shopify_product_map WHERE shop = $1 AND shopify_product_id = $2`,
		shop, shopifyProductID).Scan(&m.Title)
	return m, nil
}

// ClearMapping removes the mapping of a Shopify product of one of the
// caller's brand's shops, manual or automatic (products:write); the next
// products/update may map it again by SKU. No mapping is NotFound.
func (w *Webhooks) ClearMapping(ctx context.Context, p auth.Principal, shop, shopifyProductID string) error {
	if err := p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	if err := w.checkShopOf(ctx, p.BrandID, shop, shopifyProductID); err != nil {
		return err
	}
	res, err := w.db.ExecContext(ctx, `DELETE FROM shopify_product_map
		WHERE brand_id = $1 AND shop = $2 AND shopify_product_id = $3`, p.BrandID, shop, shopifyProductID)
	if err != nil {
		return fmt.Errorf("unmap shopify product: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "Shopify product %s of %s is not mapped", shopifyProductID, shop)
	}
	return nil
}

// checkShopOf checks a shop and Shopify product id from a request: the
// shop must be one of brandID's (else NotFound: another brand's shop looks
// like none), the id a Shopify numeric id.
func (w *Webhooks) checkShopOf(ctx context.Context, brandID, shop, shopifyProductID string) error {
	if !ValidShop(shop) {
		return apperr.New(apperr.Invalid, "the shop must be a myshopify.com domain such as example.myshopify.com")
	}
	if !isShopifyID(shopifyProductID) {
		return apperr.New(apperr.Invalid, "the Shopify product id must be its numeric id")
	}
	owner, _, err := w.shops.BrandOf(ctx, shop)
	if err != nil {
		return err
	}
	if owner != brandID {
		return apperr.New(apperr.NotFound, "shop %s is not connected to this brand", shop)
	}
	return nil
}
