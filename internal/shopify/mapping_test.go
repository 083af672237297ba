package shopify

import (
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
)

// products/update maps by SKU (the product's own or a variant's), only
// within the shop's brand, never when ambiguous; a SKU change that no
// longer matches removes the automatic mapping; products/delete removes it.
func TestMappingBySKU(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 1, "NOPE", "MUG-A-RED") // a variant's SKU
		if p, by := f.mapping(f.shopA, 1); p != f.mugA || by != MatchedBySKU {
			t.Fatalf("variant SKU: %q %q", p, by)
		}
		f.mapSKU(f.shopA, 2, "SHIRT-A") // a product's SKU
		if p, _ := f.mapping(f.shopA, 2); p != f.shirtA {
			t.Fatalf("product SKU: %q", p)
		}
		f.mapSKU(f.shopA, 3, "MUG-A", "SHIRT-A") // two Luneo products: ambiguous
		if p, _ := f.mapping(f.shopA, 3); p != "" {
			t.Fatalf("ambiguous SKUs mapped to %q", p)
		}
		f.mapSKU(f.shopA, 4, "MUG-A", "MUG-A-RED") // two SKUs, one product: fine
		if p, _ := f.mapping(f.shopA, 4); p != f.mugA {
			t.Fatalf("two SKUs of one product: %q", p)
		}
		f.mapSKU(f.shopA, 5, "CAP-B") // brand B's SKU in brand A's shop
		if p, _ := f.mapping(f.shopA, 5); p != "" {
			t.Fatalf("another brand's SKU mapped to %q", p)
		}
		// The SKUs change: the mapping follows, then goes.
		f.mapSKU(f.shopA, 1, "SHIRT-A")
		if p, _ := f.mapping(f.shopA, 1); p != f.shirtA {
			t.Fatalf("after a SKU change: %q", p)
		}
		f.mapSKU(f.shopA, 1, "")
		if p, _ := f.mapping(f.shopA, 1); p != "" {
			t.Fatalf("a mapping no SKU supports was kept: %q", p)
		}
		f.send(TopicProductsDelete, f.shopA, shopifytest.ProductDeletePayload(2))
		if p, _ := f.mapping(f.shopA, 2); p != "" {
			t.Fatal("products/delete kept the automatic mapping")
		}
	})
}

// A manual mapping wins: products/update never overwrites or removes it
// (but products/delete removes only automatic ones too).
func TestManualMappingWins(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		admin := principal(f.a, brand.Admin)
		f.mapSKU(f.shopA, 10, "MUG-A")
		if _, err := f.w.SetMapping(f.ctx, admin, f.shopA, "10", f.shirtA); err != nil {
			t.Fatal(err)
		}
		f.mapSKU(f.shopA, 10, "MUG-A")
		if p, by := f.mapping(f.shopA, 10); p != f.shirtA || by != MatchedManually {
			t.Fatalf("after products/update: %q %q, want the manual mapping", p, by)
		}
		f.mapSKU(f.shopA, 10, "")
		f.send(TopicProductsDelete, f.shopA, shopifytest.ProductDeletePayload(10))
		if p, _ := f.mapping(f.shopA, 10); p != f.shirtA {
			t.Fatal("a webhook removed a manual mapping")
		}
		list, err := f.w.Mappings(f.ctx, principal(f.a, brand.Viewer))
		if err != nil || len(list) != 1 || list[0].ProductName != "Shirt" || list[0].MatchedBy != MatchedManually || list[0].Title != "Product" {
			t.Fatalf("list %+v %v", list, err)
		}
		if err := f.w.ClearMapping(f.ctx, admin, f.shopA, "10"); err != nil {
			t.Fatal(err)
		}
		if p, _ := f.mapping(f.shopA, 10); p != "" {
			t.Fatal("clear kept the mapping")
		}
		if err := f.w.ClearMapping(f.ctx, admin, f.shopA, "10"); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("clearing nothing: %v", err)
		}
	})
}

// Tenancy: a brand maps only its own shops to its own products, sees only
// its own mappings; roles and inputs are checked.
func TestMappingTenancy(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		adminA, adminB := principal(f.a, brand.Admin), principal(f.b, brand.Admin)
		if _, err := f.w.SetMapping(f.ctx, adminA, f.shopA, "11", f.mugA); err != nil {
			t.Fatal(err)
		}
		cases := map[string]struct {
			err  error
			want apperr.Code
		}{}
		_, err := f.w.SetMapping(f.ctx, adminB, f.shopA, "11", f.capB)
		cases["B maps A's shop"] = struct {
			err  error
			want apperr.Code
		}{err, apperr.NotFound}
		_, err = f.w.SetMapping(f.ctx, adminA, f.shopA, "12", f.capB)
		cases["A maps to B's product"] = struct {
			err  error
			want apperr.Code
		}{err, apperr.Unprocessable}
		_, err = f.w.SetMapping(f.ctx, principal(f.a, brand.Viewer), f.shopA, "12", f.mugA)
		cases["viewer maps"] = struct {
			err  error
			want apperr.Code
		}{err, apperr.Forbidden}
		_, err = f.w.SetMapping(f.ctx, adminA, "shop.example.com", "12", f.mugA)
		cases["custom domain"] = struct {
			err  error
			want apperr.Code
		}{err, apperr.Invalid}
		_, err = f.w.SetMapping(f.ctx, adminA, f.shopA, "gid://shopify/Product/12", f.mugA)
		cases["not numeric"] = struct {
			err  error
			want apperr.Code
		}{err, apperr.Invalid}
		cases["B clears A's"] = struct {
			err  error
			want apperr.Code
		}{f.w.ClearMapping(f.ctx, adminB, f.shopA, "11"), apperr.NotFound}
		for name, c := range cases {
			if apperr.CodeOf(c.err) != c.want {
				t.Errorf("%s: %v, want %s", name, c.err, c.want)
			}
		}
		if list, err := f.w.Mappings(f.ctx, adminB); err != nil || len(list) != 0 {
			t.Fatalf("B sees %+v %v", list, err)
		}
		if p, _ := f.mapping(f.shopA, 11); p != f.mugA {
			t.Fatal("A's mapping changed")
		}
		shops, err := f.w.BrandShops(f.ctx, adminB)
		if err != nil || len(shops) != 1 || shops[0] != f.shopB {
			t.Fatalf("B's shops %v %v", shops, err)
		}
	})
}
