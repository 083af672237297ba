package catalog

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// TestMergePatch checks RFC 7396 semantics on a real zone: a nested object
// merges member by member, null removes a member, a list is replaced whole,
// and a patch that is not an object or nests absurdly deep is a 400.
func TestMergePatch(t *testing.T) {
	t.Parallel()
	truck := filepath.Join(corpus, "models", "CesiumMilkTruck.glb")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Truck", "")
		if _, err := f.upload(t, p.ID, truck); err != nil {
			t.Fatal(err)
		}
		spec := printZone("Door", "truck")
		spec.UVRect = &Rect{U0: 0.1, V0: 0.2, U1: 0.5, V1: 0.6}
		spec.Fonts = []string{"Inter", "Lobster"}
		z, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, spec)
		if err != nil {
			t.Fatal(err)
		}

		up, err := f.svc.UpdateZone(f.ctx, f.owner, p.ID, z.ID, Patch(`{"uv_rect": {"u1": 0.9}, "fonts": ["Inter"]}`))
		if err != nil {
			t.Fatal(err)
		}
		if up.UVRect == nil || *up.UVRect != (Rect{U0: 0.1, V0: 0.2, U1: 0.9, V1: 0.6}) {
			t.Errorf("nested merge: uv_rect %+v, want u1 changed and the rest kept", up.UVRect)
		}
		if len(up.Fonts) != 1 || up.Fonts[0] != "Inter" {
			t.Errorf("list replaced whole: fonts %v", up.Fonts)
		}

		up, err = f.svc.UpdateZone(f.ctx, f.owner, p.ID, z.ID, Patch(`{"uv_rect": null}`))
		if err != nil || up.UVRect != nil {
			t.Errorf("null removes: uv_rect %+v %v", up.UVRect, err)
		}
		// Removing a required member fails the create checks.
		_, err = f.svc.UpdateZone(f.ctx, f.owner, p.ID, z.ID, Patch(`{"name": null}`))
		wantCode(t, err, apperr.Invalid, "name")

		deep := `{"uv_rect":` + strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40) + `}`
		for _, bad := range []string{`[1]`, `"x"`, `null`, deep} {
			_, err = f.svc.UpdateZone(f.ctx, f.owner, p.ID, z.ID, Patch(bad))
			wantCode(t, err, apperr.Invalid)
		}
		if got, err := f.svc.GetZone(f.ctx, f.owner, p.ID, z.ID); err != nil || got.Name != "Door" || len(got.Fonts) != 1 {
			t.Errorf("refused patches changed the zone: %+v %v", got, err)
		}
	})
}
