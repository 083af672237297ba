package design

import (
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// Check answers what a save would (the document, its warnings, the same
// refusals) and stores nothing: no design, no version, no hook.
func TestCheckStoresNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.asset(t, f.brandA, strings.Repeat("a", 64), 472, 236) // 120 DPI at 100 mm: a warning
		draft := Draft{Document: f.doc(`{"zone_id":"` + f.front + `","layers":[
			{"type":"image","asset":"` + strings.Repeat("a", 64) + `","x_mm":0,"y_mm":0,"width_mm":100,"height_mm":50},
			{"type":"text","text":"Hi","font":"noto sans","size_pt":12,"x_mm":5,"y_mm":10}]}`)}
		doc, warnings, err := f.svc.Check(f.ctx, f.shopper, draft)
		if err != nil {
			t.Fatal(err)
		}
		if doc.ProductID != f.product.ID || len(doc.Zones) != 1 || doc.Zones[0].Layers[1].Text.Font != "Noto Sans" {
			t.Errorf("checked document %+v: want the product's, fonts in their known spelling", doc)
		}
		if len(warnings) != 1 || warnings[0].Layer != 0 || !strings.Contains(warnings[0].Message, "DPI") {
			t.Errorf("warnings %+v, want the image's low DPI", warnings)
		}
		saved, err := f.svc.Create(f.ctx, f.shopper, draft)
		if err != nil || len(saved.Version.Warnings) != len(warnings) {
			t.Fatalf("a save of the checked draft: %+v, %v; want the same warnings", saved, err)
		}
		designs, versions, hooks := f.count(t, "designs"), f.count(t, "design_versions"), len(f.saved)
		_, _, err = f.svc.Check(f.ctx, f.shopper, Draft{Document: f.doc(f.text(`"size_pt":1`))})
		wantCode(t, err, apperr.Unprocessable, "size_pt")
		if _, _, err := f.svc.Check(f.ctx, f.shopper, draft); err != nil {
			t.Fatal(err)
		}
		if f.count(t, "designs") != designs || f.count(t, "design_versions") != versions || len(f.saved) != hooks {
			t.Error("Check stored something or ran the save hook")
		}
	})
}
