package render

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/luneo/luneo/internal/catalog"
)

func solid(w, h int, c color.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Bounds(), &image.Uniform{C: c}, image.Point{}, draw.Src)
	return m
}

func TestTextureSize(t *testing.T) {
	px := func(n int) *int { return &n }
	zone := func(w, h int, r *catalog.Rect) catalog.Zone {
		z := catalog.Zone{WidthPX: px(w), HeightPX: px(h)}
		z.UVRect = r
		return z
	}
	half := &catalog.Rect{U0: 0, V0: 0, U1: 0.5, V1: 1}
	for _, c := range []struct {
		name  string
		base  image.Point
		zones []catalog.Zone
		max   int
		want  image.Point
	}{
		{"base kept", image.Pt(1024, 512), nil, 2048, image.Pt(1024, 512)},
		{"base capped with aspect", image.Pt(4096, 2048), nil, 2048, image.Pt(2048, 1024)},
		{"no base: zone print size over its rect", image.Point{}, []catalog.Zone{zone(600, 400, half)}, 2048, image.Pt(1200, 400)},
		{"no base: capped", image.Point{}, []catalog.Zone{zone(3000, 1500, nil)}, 1000, image.Pt(1000, 500)},
	} {
		if got := textureSize(c.base, c.zones, c.max); got != c.want {
			t.Errorf("%s: textureSize = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestDesignTextureFromFactor(t *testing.T) {
	// Linear 0.21586 is sRGB 128: a material with no texture is filled with
	// its factor encoded as sRGB, and the zone lands in its UV rect.
	factor := [4]float64{0.21586, 1, 0, 1}
	zone := solid(50, 100, color.NRGBA{R: 255, A: 255})
	out := designTexture(nil, factor, image.Pt(100, 100), []placement{{rect: catalog.Rect{U0: 0.5, V0: 0, U1: 1, V1: 1}, img: zone}})
	if got := out.NRGBAAt(10, 10); got != (color.NRGBA{R: 128, G: 255, B: 0, A: 255}) {
		t.Errorf("outside the zone: %v, want the factor as sRGB", got)
	}
	if got := out.NRGBAAt(75, 50); got != (color.NRGBA{R: 255, A: 255}) {
		t.Errorf("inside the zone: %v, want the zone's pixel", got)
	}
}

func TestDesignTextureBlendsOverBase(t *testing.T) {
	base := solid(40, 40, color.NRGBA{B: 255, A: 255})
	zone := solid(20, 20, color.NRGBA{R: 255, A: 128})
	out := designTexture(base, [4]float64{1, 1, 1, 1}, image.Pt(40, 40), []placement{{rect: catalog.Rect{U0: 0, V0: 0, U1: 0.5, V1: 0.5}, img: zone}})
	got := out.NRGBAAt(5, 5)
	if got.R < 120 || got.R > 135 || got.B < 120 || got.B > 135 || got.A != 255 {
		t.Errorf("half-transparent red over blue = %v, want about (128,0,127,255)", got)
	}
	if got := out.NRGBAAt(30, 30); got != (color.NRGBA{B: 255, A: 255}) {
		t.Errorf("base outside the zone changed: %v", got)
	}
}
