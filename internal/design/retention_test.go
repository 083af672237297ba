package design

import (
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestRetention(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		withImage := func(sha string) Draft {
			return Draft{Document: f.doc(`{"zone_id":"` + f.front + `","layers":[{"type":"image","asset":"` + sha + `","width_mm":2,"height_mm":1}]}`)}
		}
		kept, err := f.svc.UploadImage(f.ctx, f.owner, pngImage(t, 64, 32), "kept.png")
		if err != nil {
			t.Fatal(err)
		}
		gone, err := f.svc.UploadImage(f.ctx, f.shopper, pngImage(t, 32, 16), "gone.png")
		if err != nil {
			t.Fatal(err)
		}
		orphan, err := f.svc.UploadImage(f.ctx, f.shopper, pngImage(t, 16, 8), "never used.png")
		if err != nil {
			t.Fatal(err)
		}
		staff, _ := f.svc.Create(f.ctx, f.owner, withImage(kept.SHA256))
		shopper, err := f.svc.Create(f.ctx, f.shopper, withImage(gone.SHA256))
		if err != nil {
			t.Fatal(err)
		}
		ordered, _ := f.svc.Create(f.ctx, f.shopper, Draft{Document: f.doc(f.text(""))})
		deleted, _ := f.svc.Create(f.ctx, f.owner, Draft{Document: f.doc(f.text(""))})
		if _, err := f.svc.NewVersion(f.ctx, f.owner, deleted.Design.ID, Draft{Document: f.doc(f.text(`"text":"v2"`))}); err != nil {
			t.Fatal(err)
		}
		lock := func(id string, v int) {
			t.Helper()
			if err := d.InTx(f.ctx, func(tx *sql.Tx) error { return f.svc.Lock(f.ctx, tx, f.brandA, id, v, "order") }); err != nil {
				t.Fatal(err)
			}
		}
		lock(ordered.Design.ID, 1)
		lock(deleted.Design.ID, 2)
		if err := f.svc.Delete(f.ctx, f.owner, deleted.Design.ID); err != nil {
			t.Fatal(err)
		}

		// Before the retention period nothing goes (the orphan waits its
		// grace too, being only an hour old).
		f.clock.advance(time.Hour)
		if p, err := f.svc.Purge(f.ctx); err != nil || p != (Purged{}) {
			t.Fatalf("early purge %+v %v", p, err)
		}
		f.clock.advance(DefaultRetention)
		p, err := f.svc.Purge(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p != (Purged{Designs: 1, Versions: 1, Assets: 2}) {
			t.Errorf("purged %+v", p)
		}
		if _, err := f.svc.Get(f.ctx, f.owner, shopper.Design.ID, 0); err == nil {
			t.Error("an unordered shopper design outlived its retention")
		}
		for _, id := range []string{staff.Design.ID, ordered.Design.ID} {
			if _, err := f.svc.Get(f.ctx, f.owner, id, 0); err != nil {
				t.Errorf("design %s was purged: %v", id, err)
			}
		}
		if _, err := f.svc.LoadVersion(f.ctx, f.brandA, deleted.Design.ID, 2); err != nil {
			t.Errorf("the locked version of a deleted design was purged: %v", err)
		}
		if _, err := f.svc.LoadVersion(f.ctx, f.brandA, deleted.Design.ID, 1); err == nil {
			t.Error("an unlocked version of a deleted design was kept")
		}
		keys := f.blobList(t)
		if !slices.Contains(keys, kept.key) || slices.Contains(keys, gone.key) || slices.Contains(keys, orphan.key) || len(keys) != 1 {
			t.Errorf("blobs left %v", keys)
		}
		if f.count(t, "design_assets") != 1 {
			t.Errorf("%d asset rows left", f.count(t, "design_assets"))
		}
		// A second run finds nothing more.
		if p, err := f.svc.Purge(f.ctx); err != nil || p != (Purged{}) {
			t.Fatalf("second purge %+v %v", p, err)
		}
	})
}
