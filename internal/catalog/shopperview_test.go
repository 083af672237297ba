package catalog

import (
	"bytes"
	"io"
	"math"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/demo"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// TestShopperView: only an active product of the brand is shown; its
// material's texture is the model's own image, copied once into a file of
// its own that a new model sweeps away.
func TestShopperView(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Duck", "")
		_, err := f.svc.ShopperView(f.ctx, f.brandID, p.ID)
		wantCode(t, err, apperr.NotFound, "no such product") // a draft

		path := filepath.Join(corpus, "models", "Duck.glb")
		m, err := f.upload(t, p.ID, path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateProduct(f.ctx, f.owner, p.ID, Patch(`{"status":"active"}`)); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.ShopperView(f.ctx, f.other.BrandID, p.ID)
		wantCode(t, err, apperr.NotFound, "no such product")

		v, err := f.svc.ShopperView(f.ctx, f.brandID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Product.ID != p.ID || v.Model == nil || v.Model.ID != m.ID || !strings.Contains(v.Model.GLBURL, "canonical.glb") ||
			len(v.Materials) != 1 || len(v.Zones) != 0 {
			t.Fatalf("view %+v", v)
		}
		mat := v.Materials[0]
		if mat.Name != "blinn3-fx" || mat.Width != 512 || mat.Height != 512 || mat.TextureURL == nil || len(mat.BaseColor) != 7 {
			t.Fatalf("material %+v", mat)
		}
		doc, err := gltf.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := doc.ImageData(0)
		if got := f.texture(t, *mat.TextureURL); !bytes.Equal(got, want) {
			t.Fatalf("texture file: %d bytes, want the model's %d", len(got), len(want))
		}
		before := len(f.blobKeys(t))
		if _, err := f.svc.ShopperView(f.ctx, f.brandID, p.ID); err != nil || len(f.blobKeys(t)) != before {
			t.Fatalf("a second view stored files again (%v)", err)
		}
		// A new model: the old model's files, textures included, are gone.
		if _, err := f.upload(t, p.ID, path); err != nil {
			t.Fatal(err)
		}
		for _, k := range f.blobKeys(t) {
			if strings.Contains(k, m.ID) {
				t.Errorf("%s of the replaced model is left", k)
			}
		}
	})
}

// texture reads the blob a signed local URL names.
func (f *fixture) texture(t *testing.T, signed string) []byte {
	t.Helper()
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	rc, _, err := f.blobs.Get(f.ctx, strings.TrimPrefix(u.Path, "/blobs/"), nil)
	if err != nil {
		t.Fatalf("texture %s: %v", signed, err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return b
}

func TestSRGBHex(t *testing.T) {
	for c, want := range map[[4]float64]string{{1, 1, 1, 1}: "#ffffff", {0, 0, 0, 1}: "#000000", {0.1, 2, -1, 1}: "#59ff00"} {
		if got := srgbHex(c); got != want {
			t.Errorf("srgbHex(%v) = %s, want %s", c, got, want)
		}
	}
}

// TestShopperZoneViews: a print zone's view faces its centre on the model
// (the demo mug's print area is centred a quarter turn from the front), and
// is found once: later views read it from the model's folder.
func TestShopperZoneViews(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	f.svc.cfg.MaxModelSize = 32 << 20
	p := f.product(t, "Mug", "")
	glb, err := demo.Mug(demo.MugOptions{TextureSize: 256})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(glb), Filename: "mug.glb"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UpdateProduct(f.ctx, f.owner, p.ID, Patch(`{"status":"active"}`)); err != nil {
		t.Fatal(err)
	}
	mz := demo.MugZone()
	spec := printZone("Wrap", mz.Material)
	spec.UVRect = &Rect{U0: mz.Rect.U0, V0: mz.Rect.V0, U1: mz.Rect.U1, V1: mz.Rect.V1}
	if _, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, spec); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.ShopperView(f.ctx, f.brandID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := v.Zones[0].View
	if got == nil || math.Abs(math.Abs(got.Theta)-90) > 3 || math.Abs(got.Phi-90) > 5 {
		t.Fatalf("view of the wrap %+v, want a quarter turn (θ ±90°, φ 90°)", got)
	}
	var stored bool
	for _, k := range f.blobKeys(t) {
		stored = stored || strings.HasSuffix(k, "/"+viewsName)
	}
	again, err := f.svc.ShopperView(f.ctx, f.brandID, p.ID)
	if err != nil || !stored || again.Zones[0].View == nil || *again.Zones[0].View != *got {
		t.Fatalf("second view %+v (stored %v, %v)", again.Zones[0].View, stored, err)
	}
}
