package design

import (
	"fmt"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// TestBrowse: ListAll pages through every product's designs of the brand
// only, newest first; Versions lists a design's versions newest first;
// another brand and shoppers reach neither.
func TestBrowse(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		owner := *f.owner.principal
		cap, err := f.cat.CreateProduct(f.ctx, owner, catalog.ProductSpec{Name: "Cap", Price: 500, Currency: "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		capZone := f.zone(t, f.brandA, cap.ID, "Peak", "print", `{}`)
		var ids []string
		for i := range 5 {
			in := Draft{Name: fmt.Sprintf("Mug %d", i), Document: f.doc(f.text(""))}
			if i%2 == 1 {
				in = Draft{Name: fmt.Sprintf("Cap %d", i), Document: []byte(`{"product_id":"` + cap.ID + `","zones":[{"zone_id":"` + capZone +
					`","layers":[{"type":"text","text":"Hi","font":"Noto Sans","size_pt":24,"x_mm":10,"y_mm":20}]}]}`)}
			}
			s, err := f.svc.Create(f.ctx, f.owner, in)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, s.Design.ID)
		}
		if err := f.svc.Delete(f.ctx, f.owner, ids[0]); err != nil {
			t.Fatal(err)
		}
		var got []string
		cursor := ""
		for {
			p, err := f.svc.ListAll(f.ctx, f.viewer, cursor, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range p.Designs {
				got = append(got, d.ID)
			}
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		if want := []string{ids[4], ids[3], ids[2], ids[1]}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ListAll = %v, want %v (newest first, both products, not the deleted one)", got, want)
		}
		if p, err := f.svc.ListAll(f.ctx, f.other, "", 0); err != nil || len(p.Designs) != 0 {
			t.Errorf("another brand lists %v, %v", p.Designs, err)
		}
		wantCode(t, second(f.svc.ListAll(f.ctx, f.shopper, "", 0)), apperr.Forbidden)
		wantCode(t, second(f.svc.ListAll(f.ctx, f.owner, "", MaxPageSize+1)), apperr.Invalid)

		id := ids[2]
		if _, err := f.svc.NewVersion(f.ctx, f.owner, id, Draft{Document: f.doc(f.text(`"text":"Two"`))}); err != nil {
			t.Fatal(err)
		}
		vs, err := f.svc.Versions(f.ctx, f.viewer, id)
		if err != nil || len(vs) != 2 || vs[0].Number != 2 || vs[1].Number != 1 || vs[0].Document.Zones[0].Layers[0].Text.Text != "Two" {
			t.Fatalf("Versions = %+v, %v", vs, err)
		}
		wantCode(t, second(f.svc.Versions(f.ctx, f.other, id)), apperr.NotFound)
		wantCode(t, second(f.svc.Versions(f.ctx, f.owner, ids[0])), apperr.NotFound)
		wantCode(t, second(f.svc.Versions(f.ctx, f.shopper, id)), apperr.Forbidden)
	})
}
