package catalog

import (
	"fmt"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestProducts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p, err := f.svc.CreateProduct(f.ctx, f.owner, ProductSpec{Name: "  Mug ", SKU: "MUG-1", Description: "A mug", Price: 1250, Currency: "eur",
			Variants: []Variant{{Name: "Small", SKU: "MUG-1-S", PriceDelta: -250}, {Name: "Large", SKU: "MUG-1-L", PriceDelta: 300}}})
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "Mug" || p.Currency != "EUR" || p.Status != Draft || p.CurrencyDigits != 2 || len(p.Variants) != 2 || p.Variants[0].ID == "" || p.Model != nil {
			t.Fatalf("created %+v", p)
		}
		got, err := f.svc.GetProduct(f.ctx, f.reader, p.ID)
		if err != nil || got.Variants[1].Name != "Large" || !got.CreatedAt.Equal(p.CreatedAt) {
			t.Fatalf("get: %+v %v", got, err)
		}

		// Bad input names every field.
		_, err = f.svc.CreateProduct(f.ctx, f.owner, ProductSpec{Name: "", Price: -1, Currency: "XYZ", Status: "gone",
			Variants: []Variant{{Name: "A", PriceDelta: 0}, {Name: "A", PriceDelta: 0}}})
		e, _ := apperr.As(err)
		for _, field := range []string{"name", "price", "currency", "status", "variants[1].name"} {
			if e == nil || e.Fields[field] == "" {
				t.Errorf("no problem reported for %s: %v", field, err)
			}
		}
		// A variant's price may not go below zero.
		_, err = f.svc.CreateProduct(f.ctx, f.owner, ProductSpec{Name: "Cheap", Price: 100, Currency: "USD", Variants: []Variant{{Name: "x", PriceDelta: -101}}})
		wantCode(t, err, apperr.Invalid, "price_delta")
		// SKUs are unique across the brand's products and variants, not across brands.
		_, err = f.svc.CreateProduct(f.ctx, f.owner, ProductSpec{Name: "Other", SKU: "MUG-1-L", Currency: "EUR"})
		wantCode(t, err, apperr.Conflict, "MUG-1-L")
		if _, err := f.svc.CreateProduct(f.ctx, f.other, ProductSpec{Name: "Other", SKU: "MUG-1", Currency: "EUR"}); err != nil {
			t.Fatalf("same SKU in another brand: %v", err)
		}
		// Active needs a model.
		_, err = f.svc.CreateProduct(f.ctx, f.owner, ProductSpec{Name: "Live", Currency: "EUR", Status: Active})
		wantCode(t, err, apperr.Conflict, "model")

		// Patch: merge at the top level, variants replaced whole, ids kept.
		keep := p.Variants[1]
		up, err := f.svc.UpdateProduct(f.ctx, f.owner, p.ID, Patch(fmt.Sprintf(
			`{"price": 1500, "description": null, "variants": [{"id": %q, "name": "Large", "sku": "MUG-1-S", "price_delta": 500}, {"name": "XL"}]}`, keep.ID)))
		if err != nil {
			t.Fatal(err)
		}
		if up.Price != 1500 || up.Description != "" || up.Name != "Mug" || len(up.Variants) != 2 || up.Variants[0].ID != keep.ID ||
			up.Variants[0].SKU != "MUG-1-S" || up.Variants[1].ID == "" || !up.UpdatedAt.After(p.UpdatedAt) {
			t.Fatalf("patched %+v", up)
		}
		_, err = f.svc.UpdateProduct(f.ctx, f.owner, p.ID, Patch(`{"width": 3}`))
		wantCode(t, err, apperr.Invalid, "width")
		_, err = f.svc.UpdateProduct(f.ctx, f.owner, p.ID, Patch(`{"price": "cheap"}`))
		wantCode(t, err, apperr.Invalid, "price")
		_, err = f.svc.UpdateProduct(f.ctx, f.owner, p.ID, Patch(`{"variants": [{"id": "not-mine", "name": "x"}]}`))
		wantCode(t, err, apperr.Invalid, "variants[0].id")
		_, err = f.svc.UpdateProduct(f.ctx, f.owner, p.ID, Patch(`{"status": "active"}`))
		wantCode(t, err, apperr.Conflict, "model")

		// Tenancy and permissions.
		for name, err := range map[string]error{
			"other get":    second(f.svc.GetProduct(f.ctx, f.other, p.ID)),
			"other patch":  second(f.svc.UpdateProduct(f.ctx, f.other, p.ID, Patch(`{"name": "x"}`))),
			"other delete": f.svc.DeleteProduct(f.ctx, f.other, p.ID),
		} {
			if apperr.CodeOf(err) != apperr.NotFound {
				t.Errorf("%s: %v, want not found", name, err)
			}
		}
		for name, err := range map[string]error{
			"viewer create": second(f.svc.CreateProduct(f.ctx, f.viewer, ProductSpec{Name: "x", Currency: "EUR"})),
			"viewer patch":  second(f.svc.UpdateProduct(f.ctx, f.viewer, p.ID, Patch(`{"name": "x"}`))),
			"key delete":    f.svc.DeleteProduct(f.ctx, f.reader, p.ID),
		} {
			if apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s: %v, want forbidden", name, err)
			}
		}

		if err := f.svc.DeleteProduct(f.ctx, f.owner, p.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, second(f.svc.GetProduct(f.ctx, f.owner, p.ID)), apperr.NotFound)
		if n := f.count(t, "product_variants WHERE product_id = '"+p.ID+"'"); n != 0 {
			t.Errorf("%d variants left", n)
		}
	})
}

func TestListProducts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var ids []string
		for i := range 7 {
			p, err := f.svc.CreateProduct(f.ctx, f.owner, ProductSpec{Name: fmt.Sprintf("Shirt %d", i), SKU: fmt.Sprintf("SH-%d", i), Currency: "EUR",
				Status: []Status{Draft, Archived}[i%2], Variants: []Variant{{Name: "M", SKU: fmt.Sprintf("VAR_%d%%", i)}}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		f.product(t, "Mug", "")
		if _, err := f.svc.CreateProduct(f.ctx, f.other, ProductSpec{Name: "Shirt of B", Currency: "EUR"}); err != nil {
			t.Fatal(err)
		}
		// Pages of 3, newest first, no repeats, the other brand never shows.
		var seen []string
		cursor := ""
		for range 5 {
			page, err := f.svc.ListProducts(f.ctx, f.reader, ListOptions{Query: "shirt", Limit: 3, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Products {
				seen = append(seen, p.ID)
				if len(p.Variants) != 1 {
					t.Errorf("%s: variants %v", p.Name, p.Variants)
				}
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != 7 || seen[0] != ids[6] || seen[6] != ids[0] {
			t.Fatalf("paged %v, want %v reversed", seen, ids)
		}
		for _, c := range []struct {
			o    ListOptions
			want int
		}{
			{ListOptions{}, 8},
			{ListOptions{Status: Archived}, 3},
			{ListOptions{Status: Draft, Query: "SH-"}, 4},
			{ListOptions{Query: "sh-4"}, 1},
			{ListOptions{Query: "var_3%"}, 1}, // variant SKU; % and _ match literally
			{ListOptions{Query: "%"}, 7},
			{ListOptions{Query: "nothing"}, 0},
		} {
			page, err := f.svc.ListProducts(f.ctx, f.owner, c.o)
			if err != nil || len(page.Products) != c.want {
				t.Errorf("%+v: %d products (want %d), %v", c.o, len(page.Products), c.want, err)
			}
		}
		wantCode(t, second(f.svc.ListProducts(f.ctx, f.owner, ListOptions{Status: "sold"})), apperr.Invalid)
		wantCode(t, second(f.svc.ListProducts(f.ctx, f.owner, ListOptions{Limit: 1000})), apperr.Invalid)
	})
}

// second returns the error of a two-value call.
func second[T any](_ T, err error) error { return err }
