package shopify

import (
	"testing"

	"github.com/luneo/luneo/internal/apperr"
)

// The storefront resolves a Shopify product only for an installed shop, a
// mapped product and an active Luneo product; everything else is the same
// 404.
func TestResolve(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A")
		r, err := f.w.Resolve(f.ctx, f.shopA, "7001")
		if err != nil || r != (Resolved{Brand: f.a, Product: f.mugA}) {
			t.Fatalf("resolve %+v %v", r, err)
		}
		draft := f.product(f.a, "Draft", "DRAFT-A", "draft")
		f.mapSKU(f.shopA, 7003, "DRAFT-A")
		for name, c := range map[string]struct {
			shop, product string
			want          apperr.Code
		}{
			"unmapped":      {f.shopA, "7002", apperr.NotFound},
			"draft product": {f.shopA, "7003", apperr.NotFound},
			"unknown shop":  {"nobody.myshopify.com", "7001", apperr.NotFound},
			"other shop":    {f.shopB, "7001", apperr.NotFound},
			"bad shop":      {"shop.example.com", "7001", apperr.Invalid},
			"bad product":   {f.shopA, "x", apperr.Invalid},
		} {
			if _, err := f.w.Resolve(f.ctx, c.shop, c.product); apperr.CodeOf(err) != c.want {
				t.Errorf("%s: %v, want %s", name, err, c.want)
			}
		}
		_ = draft
		f.shops.shops[f.shopA].installed = false
		if _, err := f.w.Resolve(f.ctx, f.shopA, "7001"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("uninstalled shop: %v", err)
		}
		if b := f.w.StorefrontBrand(f.ctx, f.shopA); b != "" {
			t.Fatalf("uninstalled shop's brand %q", b)
		}
		if b := f.w.StorefrontBrand(f.ctx, f.shopB); b != f.b {
			t.Fatalf("shop B's brand %q", b)
		}
	})
}
