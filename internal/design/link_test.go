package design

import (
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// TestDesignLink: a shopper's design link is stable until revoked, lets its
// holder save versions as the design's shopper, is none of the other share
// tokens, and dies with the design.
func TestDesignLink(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s, err := f.svc.Create(f.ctx, f.shopper, Draft{Name: "Mine", Document: f.doc(f.text(""))})
		if err != nil {
			t.Fatal(err)
		}
		id := s.Design.ID
		tok, err := f.svc.EditToken(f.ctx, f.shopper, id)
		if err != nil || !strings.HasPrefix(tok, "de_") || len(tok) != 46 {
			t.Fatalf("EditToken = %q, %v", tok, err)
		}
		if again, _ := f.svc.EditToken(f.ctx, f.shopper, id); again != tok {
			t.Fatal("a second EditToken made another token")
		}
		// Another shopper cannot mint it, nor another brand.
		wantCode(t, second(f.svc.EditToken(f.ctx, ShopperActor(f.brandA, "shopper-2"), id)), apperr.NotFound)
		wantCode(t, second(f.svc.EditToken(f.ctx, f.other, id)), apperr.NotFound)

		l, err := f.svc.ResolveEdit(f.ctx, tok)
		if err != nil || l.BrandID != f.brandA || l.DesignID != id || l.Creator != (Creator{CreatorShopper, "shopper-1"}) {
			t.Fatalf("ResolveEdit = %+v, %v", l, err)
		}
		// Through the link, a version is saved as the design's shopper.
		v2, err := f.svc.NewVersion(f.ctx, l.Actor(), id, Draft{Document: f.doc(f.text(`"text":"Via link"`))})
		if err != nil || v2.Version.Number != 2 || v2.Version.Creator != (Creator{CreatorShopper, "shopper-1"}) {
			t.Fatalf("save through the link: %+v %v", v2, err)
		}
		// Without it, another shopper of the brand cannot.
		wantCode(t, second(f.svc.NewVersion(f.ctx, ShopperActor(f.brandA, "shopper-2"), id, Draft{Document: f.doc(f.text(`"text":"x"`))})),
			apperr.NotFound)

		// The other share tokens of the design do not open it as a link,
		// nor does a tampered or foreign string.
		preview, _ := f.svc.PreviewToken(f.ctx, f.shopper, id)
		ar, _ := f.svc.ARToken(f.ctx, f.shopper, id)
		// The tampered token changes its last character (to one it is not:
		// a fixed "A" would be the token itself one time in 64).
		last := "A"
		if strings.HasSuffix(tok, "A") {
			last = "B"
		}
		for _, bad := range []string{preview, ar, "de_" + preview[3:], "de_" + ar[3:], tok[:len(tok)-1] + last, "de_", "", tok + strings.Repeat("x", 80)} {
			wantCode(t, second(f.svc.ResolveEdit(f.ctx, bad)), apperr.NotFound)
		}
		if _, err := f.svc.ResolvePreview(f.ctx, "dp_"+tok[3:]); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a link as a preview token: %v", err)
		}

		// Revoked: gone; the next one differs; preview and AR live on.
		if err := f.svc.RevokeEdit(f.ctx, f.shopper, id); err != nil {
			t.Fatal(err)
		}
		wantCode(t, second(f.svc.ResolveEdit(f.ctx, tok)), apperr.NotFound)
		if _, err := f.svc.ResolvePreview(f.ctx, preview); err != nil {
			t.Fatalf("preview after revoking the link: %v", err)
		}
		tok2, _ := f.svc.EditToken(f.ctx, f.shopper, id)
		if tok2 == tok {
			t.Fatal("a revoked link came back")
		}
		// Deleted: the link dies with the design.
		if err := f.svc.Delete(f.ctx, f.owner, id); err != nil {
			t.Fatal(err)
		}
		wantCode(t, second(f.svc.ResolveEdit(f.ctx, tok2)), apperr.NotFound)

		// A staff design's link opens nothing for a shopper.
		st, err := f.svc.Create(f.ctx, f.owner, Draft{Document: f.doc(f.text(""))})
		if err != nil {
			t.Fatal(err)
		}
		stTok, _ := f.svc.EditToken(f.ctx, f.owner, st.Design.ID)
		sl, err := f.svc.ResolveEdit(f.ctx, stTok)
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, second(f.svc.Get(f.ctx, sl.Actor(), st.Design.ID, 0)), apperr.NotFound)
	})
}

// TestMineAndCheck: a shopper lists only their own designs of a product,
// newest change first; Check validates like a save and stores nothing.
func TestMineAndCheck(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		other := ShopperActor(f.brandA, "shopper-2")
		var ids []string
		for i, a := range []Actor{f.shopper, other, f.shopper, f.owner} {
			f.clock.advance(1e9)
			s, err := f.svc.Create(f.ctx, a, Draft{Name: string(rune('A' + i)), Document: f.doc(f.text(""))})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, s.Design.ID)
		}
		f.clock.advance(1e9)
		if _, err := f.svc.NewVersion(f.ctx, f.shopper, ids[0], Draft{Document: f.doc(f.text(`"text":"later"`))}); err != nil {
			t.Fatal(err)
		}
		mine, err := f.svc.Mine(f.ctx, f.shopper, f.product.ID, 20)
		if err != nil || len(mine) != 2 || mine[0].ID != ids[0] || mine[1].ID != ids[2] {
			t.Fatalf("Mine = %+v, %v; want designs %s then %s", mine, err, ids[0], ids[2])
		}
		if one, _ := f.svc.Mine(f.ctx, f.shopper, f.product.ID, 1); len(one) != 1 {
			t.Fatalf("limit 1 gave %d", len(one))
		}
		if none, _ := f.svc.Mine(f.ctx, ShopperActor(f.brandB, "shopper-1"), f.product.ID, 20); len(none) != 0 {
			t.Fatalf("the same shopper ID in another brand sees %+v", none)
		}
		wantCode(t, second(f.svc.Mine(f.ctx, f.shopper, f.product.ID, 0)), apperr.Invalid)

		rows := f.count(t, "designs") + f.count(t, "design_versions")
		doc, warnings, err := f.svc.Check(f.ctx, f.shopper, Draft{Document: f.doc(f.text(`"font":"noto sans"`))})
		if err != nil || doc.ProductID != f.product.ID || doc.Zones[0].Layers[0].Text.Font != "Noto Sans" || len(warnings) != 0 {
			t.Fatalf("Check = %+v %v %v", doc, warnings, err)
		}
		_, _, err = f.svc.Check(f.ctx, f.shopper, Draft{Document: f.doc(f.text(`"font":"Comic Sans"`))})
		wantCode(t, err, apperr.Unprocessable, "font")
		if n := f.count(t, "designs") + f.count(t, "design_versions"); n != rows {
			t.Fatalf("Check stored rows: %d → %d", rows, n)
		}
	})
}
