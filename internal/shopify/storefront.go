package shopify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/luneo/luneo/internal/apperr"
)

// Resolved is the Luneo product a storefront's Shopify product is: what the
// theme's Personalize block mounts the widget with.
type Resolved struct {
	Brand   string `json:"brand"`
	Product string `json:"product"`
}

// errNotResolved is the one answer for every reason a storefront product
// does not resolve (unknown or uninstalled shop, unmapped product, product
// not active): a storefront learns nothing more from it.
var errNotResolved = apperr.New(apperr.NotFound, "this Shopify product is not customizable with Luneo")

// Resolve returns the brand and Luneo product a Shopify product of shop
// maps to, when the shop is installed and the product is active.
func (w *Webhooks) Resolve(ctx context.Context, shop, shopifyProductID string) (Resolved, error) {
	if !ValidShop(shop) {
		return Resolved{}, apperr.New(apperr.Invalid, "shop must be a myshopify.com domain such as example.myshopify.com")
	}
	if !isShopifyID(shopifyProductID) {
		return Resolved{}, apperr.New(apperr.Invalid, "product must be a Shopify product's numeric id")
	}
	brandID, installed, err := w.shops.BrandOf(ctx, shop)
	if err != nil {
		return Resolved{}, err
	}
	if brandID == "" || !installed {
		return Resolved{}, errNotResolved
	}
	var product string
	err = w.db.QueryRowContext(ctx, `SELECT m.product_id FROM shopify_product_map m
		JOIN products p ON p.id = m.product_id AND p.brand_id = m.brand_id
		WHERE m.shop = $1 AND m.shopify_product_id = $2 AND m.brand_id = $3 AND p.status = 'active'`,
		shop, shopifyProductID, brandID).Scan(&product)
	if errors.Is(err, sql.ErrNoRows) {
		return Resolved{}, errNotResolved
	}
	if err != nil {
		return Resolved{}, fmt.Errorf("resolve storefront product: %w", err)
	}
	return Resolved{Brand: brandID, Product: product}, nil
}

// StorefrontBrand returns the brand of an installed shop, or "": the
// storefront route lets the brand's embed origins read its answers.
func (w *Webhooks) StorefrontBrand(ctx context.Context, shop string) string {
	if !ValidShop(shop) {
		return ""
	}
	brandID, installed, err := w.shops.BrandOf(ctx, shop)
	if err != nil || !installed {
		return ""
	}
	return brandID
}
