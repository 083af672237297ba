package design

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestVersions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s, err := f.svc.Create(f.ctx, f.owner, Draft{Name: " Gift ", Document: f.doc(f.text("")), Produce: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.Design.Name != "Gift" || s.Version.Number != 1 || s.Design.Creator != (Creator{CreatorStaff, "u-owner"}) ||
			len(s.Version.SHA256) != 64 || s.Unchanged {
			t.Fatalf("created %+v", s)
		}
		if len(f.saved) != 1 || f.saved[0] != (VersionRef{BrandID: f.brandA, DesignID: s.Design.ID, Version: 1,
			SHA256: s.Version.SHA256, ProductID: f.product.ID, Produce: true}) {
			t.Fatalf("hook saw %+v", f.saved)
		}

		// The same document again (reordered, defaults spelled out): no new
		// version, no hook.
		same, err := f.svc.NewVersion(f.ctx, f.key, s.Design.ID, Draft{Document: f.doc(f.text(`"align":"left","rotation":0`))})
		if err != nil || !same.Unchanged || same.Version.Number != 1 || same.Design.LatestVersion != 1 || len(f.saved) != 1 {
			t.Fatalf("unchanged save: %+v %v (hook %d)", same, err, len(f.saved))
		}
		// A change: version 2 by the API key; version 1 stays as it was.
		v2, err := f.svc.NewVersion(f.ctx, f.key, s.Design.ID, Draft{Document: f.doc(f.text(`"text":"Bye"`))})
		if err != nil || v2.Unchanged || v2.Version.Number != 2 || v2.Version.Creator.Kind != CreatorAPIKey || v2.Version.Produce {
			t.Fatalf("v2 %+v %v", v2, err)
		}
		if len(f.saved) != 2 || f.saved[1].Version != 2 || f.saved[1].Produce {
			t.Fatalf("hook saw %+v", f.saved)
		}
		one, err := f.svc.Get(f.ctx, f.owner, s.Design.ID, 1)
		if err != nil || one.Version.SHA256 != s.Version.SHA256 || one.Version.Document.Zones[0].Layers[0].Text.Text != "Hello" ||
			one.Design.LatestVersion != 2 {
			t.Fatalf("version 1 %+v %v", one, err)
		}
		latest, err := f.svc.Get(f.ctx, f.viewer, s.Design.ID, 0)
		if err != nil || latest.Version.Number != 2 || latest.Version.SHA256 != v2.Version.SHA256 {
			t.Fatalf("latest %+v %v", latest, err)
		}
		wantCode(t, second(f.svc.Get(f.ctx, f.owner, s.Design.ID, 3)), apperr.NotFound, "no version 3")
		wantCode(t, second(f.svc.NewVersion(f.ctx, f.owner, s.Design.ID, Draft{ProductID: "other", Document: f.doc(f.text(""))})),
			apperr.Invalid, "stays on its product")

		// The hook's error rolls the save back.
		f.hook = errors.New("queue down")
		before := f.count(t, "design_versions")
		if _, err := f.svc.NewVersion(f.ctx, f.owner, s.Design.ID, Draft{Document: f.doc(f.text(`"text":"Again"`))}); err == nil {
			t.Fatal("save succeeded although its hook failed")
		}
		if _, err := f.svc.Create(f.ctx, f.owner, Draft{Document: f.doc(f.text(""))}); err == nil {
			t.Fatal("create succeeded although its hook failed")
		}
		f.hook = nil
		if f.count(t, "design_versions") != before || f.count(t, "designs") != 1 {
			t.Fatal("a failed hook left rows behind")
		}

		// Permissions and tenancy: another brand's IDs are not found.
		wantCode(t, second(f.svc.Create(f.ctx, f.viewer, Draft{Document: f.doc(f.text(""))})), apperr.Forbidden)
		wantCode(t, second(f.svc.Get(f.ctx, f.other, s.Design.ID, 0)), apperr.NotFound)
		wantCode(t, second(f.svc.NewVersion(f.ctx, f.other, s.Design.ID, Draft{Document: f.doc(f.text(""))})), apperr.NotFound)
		wantCode(t, f.svc.Delete(f.ctx, f.other, s.Design.ID), apperr.NotFound)
		wantCode(t, second(f.svc.PreviewToken(f.ctx, f.other, s.Design.ID)), apperr.NotFound)
		wantCode(t, f.svc.RevokePreview(f.ctx, f.other, s.Design.ID), apperr.NotFound)
		wantCode(t, second(f.svc.Create(f.ctx, f.other, Draft{Document: f.doc(f.text(""))})), apperr.NotFound, "no such product")
		if p, err := f.svc.List(f.ctx, f.other, f.product.ID, "", 0); err != nil || len(p.Designs) != 0 {
			t.Fatalf("other brand lists %+v %v", p, err)
		}
		if err := f.svc.db.InTx(f.ctx, func(tx *sql.Tx) error { return f.svc.Lock(f.ctx, tx, f.brandB, s.Design.ID, 1, "order-x") }); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("lock across brands: %v", err)
		}

		// Shoppers: their own designs only, no listing or deleting.
		mine, err := f.svc.Create(f.ctx, f.shopper, Draft{Document: f.doc(f.text(""))})
		if err != nil || mine.Design.Creator != (Creator{CreatorShopper, "shopper-1"}) {
			t.Fatalf("shopper create %+v %v", mine, err)
		}
		if _, err := f.svc.NewVersion(f.ctx, f.shopper, mine.Design.ID, Draft{Document: f.doc(f.text(`"text":"Mine"`))}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, second(f.svc.Get(f.ctx, f.shopper, s.Design.ID, 0)), apperr.NotFound)
		wantCode(t, second(f.svc.Get(f.ctx, ShopperActor(f.brandA, "shopper-2"), mine.Design.ID, 0)), apperr.NotFound)
		wantCode(t, second(f.svc.List(f.ctx, f.shopper, f.product.ID, "", 0)), apperr.Forbidden)
		wantCode(t, f.svc.Delete(f.ctx, f.shopper, mine.Design.ID), apperr.Forbidden)
		if _, err := f.svc.Get(f.ctx, f.owner, mine.Design.ID, 0); err != nil {
			t.Fatalf("staff read a shopper's design: %v", err)
		}

		// List: newest first, paged, without deleted designs.
		p1, err := f.svc.List(f.ctx, f.owner, f.product.ID, "", 1)
		if err != nil || len(p1.Designs) != 1 || p1.Designs[0].ID != mine.Design.ID || p1.NextCursor == "" {
			t.Fatalf("page 1 %+v %v", p1, err)
		}
		p2, err := f.svc.List(f.ctx, f.owner, f.product.ID, p1.NextCursor, 1)
		if err != nil || len(p2.Designs) != 1 || p2.Designs[0].ID != s.Design.ID || p2.NextCursor != "" {
			t.Fatalf("page 2 %+v %v", p2, err)
		}

		// Lock then delete: the design is hidden, its locked version kept.
		if err := f.svc.db.InTx(f.ctx, func(tx *sql.Tx) error { return f.svc.Lock(f.ctx, tx, f.brandA, s.Design.ID, 1, "order-1") }); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.db.InTx(f.ctx, func(tx *sql.Tx) error { return f.svc.Lock(f.ctx, tx, f.brandA, s.Design.ID, 1, "order-2") }); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.svc.LoadVersion(f.ctx, f.brandA, s.Design.ID, 1); v.LockedAt == nil || v.LockedBy != "order-1" {
			t.Fatalf("locked version %+v", v)
		}
		if err := f.svc.Delete(f.ctx, f.owner, s.Design.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, second(f.svc.Get(f.ctx, f.owner, s.Design.ID, 0)), apperr.NotFound)
		wantCode(t, f.svc.Delete(f.ctx, f.owner, s.Design.ID), apperr.NotFound)
		if p, _ := f.svc.List(f.ctx, f.owner, f.product.ID, "", 0); len(p.Designs) != 1 {
			t.Fatalf("deleted design listed: %+v", p)
		}
		if _, err := f.svc.LoadVersion(f.ctx, f.brandA, s.Design.ID, 1); err != nil {
			t.Fatalf("the locked version of a deleted design: %v", err)
		}
	})
}

func TestPreviewTokens(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s, err := f.svc.Create(f.ctx, f.owner, Draft{Document: f.doc(f.text(""))})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := f.svc.PreviewToken(f.ctx, f.owner, s.Design.ID)
		if err != nil || len(tok) < 40 {
			t.Fatalf("token %q %v", tok, err)
		}
		if again, _ := f.svc.PreviewToken(f.ctx, f.key, s.Design.ID); again != tok {
			t.Fatal("a second call made another token: preview links must be permanent")
		}
		var stored string
		if err := f.db.QueryRow(`SELECT preview_hash FROM designs WHERE id = $1`, s.Design.ID).Scan(&stored); err != nil || stored == tok {
			t.Fatalf("token stored in clear (%v)", err)
		}
		ref, err := f.svc.ResolvePreview(f.ctx, tok)
		if err != nil || ref.DesignID != s.Design.ID || ref.Version != 1 || ref.BrandID != f.brandA {
			t.Fatalf("resolve %+v %v", ref, err)
		}
		// The preview follows the latest version.
		if _, err := f.svc.NewVersion(f.ctx, f.owner, s.Design.ID, Draft{Document: f.doc(f.text(`"text":"v2"`))}); err != nil {
			t.Fatal(err)
		}
		if ref, _ := f.svc.ResolvePreview(f.ctx, tok); ref.Version != 2 {
			t.Fatalf("preview shows version %d", ref.Version)
		}
		for _, bad := range []string{"", "dp_", tok + "x", tok[:len(tok)-1], "lk_" + tok[3:]} {
			wantCode(t, second(f.svc.ResolvePreview(f.ctx, bad)), apperr.NotFound)
		}
		if err := f.svc.RevokePreview(f.ctx, f.owner, s.Design.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, second(f.svc.ResolvePreview(f.ctx, tok)), apperr.NotFound)
		tok2, err := f.svc.PreviewToken(f.ctx, f.owner, s.Design.ID)
		if err != nil || tok2 == tok {
			t.Fatalf("after revoking: %q %v", tok2, err)
		}
		// Deleting the design ends its preview.
		if err := f.svc.Delete(f.ctx, f.owner, s.Design.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, second(f.svc.ResolvePreview(f.ctx, tok2)), apperr.NotFound)
	})
}

// The AR share token is a second, independent share: revoking it leaves
// the preview token working, and neither token opens the other's route.
func TestARShareToken(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s, err := f.svc.Create(f.ctx, f.owner, Draft{Document: f.doc(f.text(""))})
		if err != nil {
			t.Fatal(err)
		}
		preview, err := f.svc.PreviewToken(f.ctx, f.owner, s.Design.ID)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := f.svc.ARToken(f.ctx, f.owner, s.Design.ID)
		if err != nil || tok[:3] != "da_" || len(tok) < 40 {
			t.Fatalf("token %q %v", tok, err)
		}
		if again, _ := f.svc.ARToken(f.ctx, f.key, s.Design.ID); again != tok {
			t.Fatal("a second call made another AR token")
		}
		if ref, err := f.svc.ResolveAR(f.ctx, tok); err != nil || ref.DesignID != s.Design.ID || ref.BrandID != f.brandA {
			t.Fatalf("resolve %+v %v", ref, err)
		}
		wantCode(t, second(f.svc.ResolveAR(f.ctx, preview)), apperr.NotFound)
		wantCode(t, second(f.svc.ResolvePreview(f.ctx, tok)), apperr.NotFound)
		wantCode(t, second(f.svc.ResolveAR(f.ctx, "da_"+preview[3:])), apperr.NotFound)
		if err := f.svc.RevokeAR(f.ctx, f.owner, s.Design.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, second(f.svc.ResolveAR(f.ctx, tok)), apperr.NotFound)
		if _, err := f.svc.ResolvePreview(f.ctx, preview); err != nil {
			t.Fatalf("revoking the AR page broke the preview: %v", err)
		}
	})
}
