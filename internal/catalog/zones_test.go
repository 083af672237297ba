package catalog

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// printZone is a valid print zone of 100×50 mm at 300 DPI on material.
func printZone(name, material string) ZoneSpec {
	return ZoneSpec{Name: name, Material: material, WidthMM: ptr(100.0), HeightMM: ptr(50.0), DPI: ptr(300)}
}

func TestPixels(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		mm   float64
		dpi  int
		want int
	}{{25.4, 72, 72}, {100, 300, 1181}, {50, 300, 591}, {210, 150, 1240}, {0.1, 72, 0}} {
		if got := pixels(c.mm, c.dpi); got != c.want {
			t.Errorf("pixels(%g mm, %d dpi) = %d, want %d", c.mm, c.dpi, got, c.want)
		}
	}
}

func TestZones(t *testing.T) {
	t.Parallel()
	truck := filepath.Join(corpus, "models", "CesiumMilkTruck.glb")
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Truck", "")
		// No model yet: zones have nothing to be checked against.
		wantCode(t, second(f.svc.CreateZone(f.ctx, f.owner, p.ID, printZone("Side", "truck"))), apperr.Conflict, "model first")
		if _, err := f.upload(t, p.ID, truck); err != nil {
			t.Fatal(err)
		}

		sp := printZone("Side", "truck")
		sp.UVRect = &Rect{U0: 0.1, V0: 0.2, U1: 0.6, V1: 0.9}
		sp.Fonts, sp.Colours = []string{" Inter ", "Lobster"}, []string{"#F00", "#00ff00"}
		z, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, sp)
		if err != nil {
			t.Fatal(err)
		}
		if z.Type != PrintZone || *z.WidthPX != 1181 || *z.HeightPX != 591 || z.MaxLayers != 10 || z.MaxChars != 200 ||
			len(z.LayerTypes) != 3 || z.Fonts[0] != "Inter" || z.Colours[0] != "#ff0000" || z.UVRect.V1 != 0.9 || z.Mask != nil {
			t.Fatalf("created %+v", z)
		}

		for name, c := range map[string]struct {
			mod   func(*ZoneSpec)
			field string
		}{
			"unknown material": {func(z *ZoneSpec) { z.Material = "Chrome" }, `"Chrome" is not a material`},
			"no UVs":           {func(z *ZoneSpec) { z.Material = "glass" }, "no UV coordinates"},
			"rect outside":     {func(z *ZoneSpec) { z.UVRect = &Rect{0, 0, 1.2, 1} }, "uv_rect"},
			"rect reversed":    {func(z *ZoneSpec) { z.UVRect = &Rect{0.5, 0, 0.4, 1} }, "uv_rect"},
			"no size":          {func(z *ZoneSpec) { z.WidthMM = nil }, "width_mm"},
			"zero size":        {func(z *ZoneSpec) { z.HeightMM = ptr(0.0) }, "height_mm"},
			"low dpi":          {func(z *ZoneSpec) { z.DPI = ptr(50) }, "dpi"},
			"huge texture":     {func(z *ZoneSpec) { z.WidthMM, z.DPI = ptr(2000.0), ptr(1200) }, "pixels"},
			"bad layer":        {func(z *ZoneSpec) { z.LayerTypes = []string{"video"} }, "layer_types[0]"},
			"bad colour":       {func(z *ZoneSpec) { z.Colours = []string{"red"} }, "colours[0]"},
			"bad type":         {func(z *ZoneSpec) { z.Type = "emboss" }, "type"},
			"colour no opts":   {func(z *ZoneSpec) { z.Type = ColourZone }, "colour_options"},
			"bleed too large":  {func(z *ZoneSpec) { z.BleedMM = 21 }, "bleed_mm"},
			"negative bleed":   {func(z *ZoneSpec) { z.BleedMM = -1 }, "bleed_mm"},
			"negative safe":    {func(z *ZoneSpec) { z.SafeMM = -1 }, "safe_mm"},
			"safe fills zone":  {func(z *ZoneSpec) { z.SafeMM = 25 }, "safe_mm"},
			"floor too low":    {func(z *ZoneSpec) { z.MinImageDPI = 35 }, "min_image_dpi"},
			"floor above dpi":  {func(z *ZoneSpec) { z.MinImageDPI = 301 }, "min_image_dpi"},
			"text pt negative": {func(z *ZoneSpec) { z.MinTextPt = -2 }, "min_text_pt"},
		} {
			sp := printZone("Other", "truck")
			c.mod(&sp)
			_, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, sp)
			if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), c.field) {
				t.Errorf("%s: %v, want invalid naming %s", name, err, c.field)
			}
		}
		wantCode(t, second(f.svc.CreateZone(f.ctx, f.owner, p.ID, printZone("Side", "wheels"))), apperr.Conflict, `"Side"`)

		// Print settings: defaults, explicit values, and a lower DPI
		// carrying the default floor down with it.
		if z.BleedMM != 0 || z.SafeMM != 0 || z.MinImageDPI != DefaultMinImageDPI || z.MinTextPt != DefaultMinTextPt {
			t.Fatalf("print defaults %+v", z.ZoneSpec)
		}
		q := printZone("Quality", "truck")
		q.BleedMM, q.SafeMM, q.MinImageDPI, q.MinTextPt = 3, 5, 150, 8
		qz, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, q)
		if err != nil || qz.BleedMM != 3 || qz.SafeMM != 5 || qz.MinImageDPI != 150 || qz.MinTextPt != 8 {
			t.Fatalf("print settings %+v %v", qz, err)
		}
		if low, err := f.svc.UpdateZone(f.ctx, f.owner, p.ID, qz.ID, Patch(`{"dpi": 72, "min_image_dpi": null}`)); err != nil || low.MinImageDPI != 72 {
			t.Fatalf("floor at a low DPI: %+v %v", low, err)
		}
		wantCode(t, second(f.svc.UpdateZone(f.ctx, f.owner, p.ID, qz.ID, Patch(`{"min_image_dpi": 90}`))), apperr.Invalid, "min_image_dpi")
		if err := f.svc.DeleteZone(f.ctx, f.owner, p.ID, qz.ID); err != nil {
			t.Fatal(err)
		}
		if _, zs, err := f.svc.ProductZones(f.ctx, f.brandID, p.ID); err != nil || len(zs) != 1 || zs[0].ID != z.ID {
			t.Fatalf("ProductZones: %+v %v", zs, err)
		}
		wantCode(t, third(f.svc.ProductZones(f.ctx, "another-brand", p.ID)), apperr.NotFound)

		// A colour zone: print settings are cleared.
		colour := ZoneSpec{Name: "Body colour", Type: ColourZone, Material: "glass", DPI: ptr(300),
			ColourOptions: []ColourOption{{Name: "Red", Hex: "#FF0000"}, {Name: "Black", Hex: "#000"}}}
		cz, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, colour)
		if err != nil || cz.DPI != nil || cz.WidthPX != nil || cz.ColourOptions[1].Hex != "#000000" || len(cz.LayerTypes) != 0 || cz.MinImageDPI != 0 {
			t.Fatalf("colour zone %+v %v", cz, err)
		}

		// Patch: merge, validation, tenancy.
		up, err := f.svc.UpdateZone(f.ctx, f.owner, p.ID, z.ID, Patch(`{"dpi": 150, "uv_rect": null, "position": 2}`))
		if err != nil || *up.WidthPX != 591 || up.UVRect != nil || up.Position != 2 || up.Fonts[1] != "Lobster" {
			t.Fatalf("patched %+v %v", up, err)
		}
		wantCode(t, second(f.svc.UpdateZone(f.ctx, f.owner, p.ID, z.ID, Patch(`{"width_px": 10}`))), apperr.Invalid, "width_px")
		wantCode(t, second(f.svc.UpdateZone(f.ctx, f.owner, p.ID, z.ID, Patch(`{"material": "Nope"}`))), apperr.Invalid, `"Nope"`)
		wantCode(t, second(f.svc.UpdateZone(f.ctx, f.other, p.ID, z.ID, Patch(`{}`))), apperr.NotFound)
		wantCode(t, second(f.svc.UpdateZone(f.ctx, f.viewer, p.ID, z.ID, Patch(`{}`))), apperr.Forbidden)
		wantCode(t, second(f.svc.GetZone(f.ctx, f.other, p.ID, z.ID)), apperr.NotFound)
		wantCode(t, second(f.svc.ListZones(f.ctx, f.other, p.ID)), apperr.NotFound)
		other := f.product(t, "Other", "")
		wantCode(t, second(f.svc.GetZone(f.ctx, f.owner, other.ID, z.ID)), apperr.NotFound)

		zones, err := f.svc.ListZones(f.ctx, f.reader, p.ID)
		if err != nil || len(zones) != 2 || zones[0].ID != cz.ID {
			t.Fatalf("list: %+v %v", zones, err)
		}

		// Masks.
		mask := pngOf(t, 64, 32)
		mz, err := f.svc.UploadMask(f.ctx, f.owner, p.ID, z.ID, bytes.NewReader(mask))
		if err != nil || mz.Mask == nil || mz.Mask.Width != 64 || mz.Mask.Height != 32 || !strings.Contains(mz.Mask.URL, "/blobs/") {
			t.Fatalf("mask: %+v %v", mz.Mask, err)
		}
		before := len(f.blobKeys(t))
		if _, err := f.svc.UploadMask(f.ctx, f.owner, p.ID, z.ID, bytes.NewReader(pngOf(t, 16, 16))); err != nil {
			t.Fatal(err)
		}
		if after := len(f.blobKeys(t)); after != before {
			t.Errorf("replacing a mask left %d blobs, had %d", after, before)
		}
		for name, body := range map[string][]byte{
			"not png":   []byte("GIF89a...."),
			"too large": withPNGSize(t, pngOf(t, 1, 1), 9000, 10),
			"damaged":   withPNGSize(t, pngOf(t, 1, 1), 2, 2),
		} {
			if _, err := f.svc.UploadMask(f.ctx, f.owner, p.ID, z.ID, bytes.NewReader(body)); apperr.CodeOf(err) != apperr.Unprocessable {
				t.Errorf("mask %s: %v, want unprocessable", name, err)
			}
		}
		wantCode(t, second(f.svc.UploadMask(f.ctx, f.owner, p.ID, cz.ID, bytes.NewReader(mask))), apperr.Conflict, "colour zone")
		wantCode(t, second(f.svc.UploadMask(f.ctx, f.other, p.ID, z.ID, bytes.NewReader(mask))), apperr.NotFound)
		// Becoming a colour zone drops the mask.
		cz2, err := f.svc.UpdateZone(f.ctx, f.owner, p.ID, z.ID, Patch(`{"type": "colour", "colour_options": [{"name": "Blue", "hex": "#00f"}]}`))
		if err != nil || cz2.Mask != nil || cz2.WidthPX != nil || len(f.blobKeys(t)) != before-1 {
			t.Fatalf("to colour: %+v %v, blobs %v", cz2, err, f.blobKeys(t))
		}
		if err := f.svc.DeleteZone(f.ctx, f.owner, p.ID, z.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.svc.DeleteZone(f.ctx, f.owner, p.ID, z.ID), apperr.NotFound)
	})
}

func third[A, B any](_ A, _ B, err error) error { return err }

// pngOf encodes a w×h greyscale PNG.
func pngOf(t *testing.T, w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	img.Set(0, 0, color.Gray{})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withPNGSize rewrites the size in a PNG's header (with a valid CRC), the
// way a decompression bomb or a damaged file would claim another size.
func withPNGSize(t *testing.T, b []byte, w, h uint32) []byte {
	out := bytes.Clone(b)
	// Signature (8), IHDR length (4), "IHDR" (4), then width and height.
	binary.BigEndian.PutUint32(out[16:], w)
	binary.BigEndian.PutUint32(out[20:], h)
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}
