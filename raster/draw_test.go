package raster

import (
	"encoding/json"
	"image"
	"image/color"
	"testing"

	"github.com/luneo/luneo/gltf"
)

var (
	red   = color.NRGBA{255, 0, 0, 255}
	blue  = color.NRGBA{0, 0, 255, 255}
	clear = color.NRGBA{}
)

// TestDepthTest draws a small near red quad and a large far blue one in
// both orders: the near one wins at the centre whatever the order.
func TestDepthTest(t *testing.T) {
	for _, nearFirst := range []bool{true, false} {
		b := newDoc()
		r := b.material(unlitColor(1, 0, 0, 1), true)
		bl := b.material(unlitColor(0, 0, 1, 1), true)
		if nearFirst {
			b.quad(-0.5, -0.5, 0.5, 0.5, 0.5, r, false)
			b.quad(-1, -1, 1, 1, 0, bl, false)
		} else {
			b.quad(-1, -1, 1, 1, 0, bl, false)
			b.quad(-0.5, -0.5, 0.5, 0.5, 0.5, r, false)
		}
		img := draw(t, b.build(), Options{Size: 64, View: ViewFront})
		if c := img.NRGBAAt(32, 32); c != red {
			t.Errorf("near first %v: centre %v, want red", nearFirst, c)
		}
		if c := img.NRGBAAt(32, 14); c != blue {
			t.Errorf("near first %v: outside the near quad %v, want blue", nearFirst, c)
		}
		if c := img.NRGBAAt(1, 1); c != clear {
			t.Errorf("corner %v, want transparent", c)
		}
	}
}

// TestBlendOrder draws two half-transparent quads in both document orders:
// blending back to front gives the same picture, the near colour dominant.
func TestBlendOrder(t *testing.T) {
	var imgs []*image.NRGBA
	for _, nearFirst := range []bool{true, false} {
		b := newDoc()
		mr, mb := unlitColor(1, 0, 0, 0.5), unlitColor(0, 0, 1, 0.5)
		mr.AlphaMode, mb.AlphaMode = "BLEND", "BLEND"
		r, bl := b.material(mr, true), b.material(mb, true)
		if nearFirst {
			b.quad(-1, -1, 1, 1, 0.5, r, false)
			b.quad(-1, -1, 1, 1, 0, bl, false)
		} else {
			b.quad(-1, -1, 1, 1, 0, bl, false)
			b.quad(-1, -1, 1, 1, 0.5, r, false)
		}
		imgs = append(imgs, draw(t, b.build(), Options{Size: 64, View: ViewFront}))
	}
	c := imgs[0].NRGBAAt(32, 32)
	if c != imgs[1].NRGBAAt(32, 32) {
		t.Errorf("blend result depends on document order: %v vs %v", c, imgs[1].NRGBAAt(32, 32))
	}
	// Premultiplied: blue·0.5 then red·0.5 over it → (0.5, 0, 0.25), α 0.75.
	if !near(c, color.NRGBA{213, 0, 155, 191}, 2) {
		t.Errorf("centre %v, want about {213 0 155 191}", c)
	}
}

// TestMaskCutoff draws a quad of alpha 0.6 with two cutoffs.
func TestMaskCutoff(t *testing.T) {
	for _, tc := range []struct {
		cutoff float64
		want   color.NRGBA
	}{{0.5, red}, {0.7, clear}} {
		b := newDoc()
		m := unlitColor(1, 0, 0, 0.6)
		m.AlphaMode, m.AlphaCutoff = "MASK", gltf.Ptr(tc.cutoff)
		b.quad(-1, -1, 1, 1, 0, b.material(m, true), false)
		if c := draw(t, b.build(), Options{Size: 32, View: ViewFront}).NRGBAAt(16, 16); c != tc.want {
			t.Errorf("cutoff %v: %v, want %v", tc.cutoff, c, tc.want)
		}
	}
}

// TestDoubleSided draws a quad facing away from the camera: culled when
// single-sided, drawn (and lit from its visible side) when double-sided.
func TestDoubleSided(t *testing.T) {
	grey := gltf.Material{PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorFactor: &[4]float64{0.3, 0.3, 0.3, 1}, MetallicFactor: gltf.Ptr(0.0)}}
	b := newDoc()
	b.quad(-1, -1, 1, 1, 0, b.material(grey, false), false)
	front := draw(t, b.build(), Options{Size: 32, View: ViewFront}).NRGBAAt(16, 16)
	for _, ds := range []bool{false, true} {
		b := newDoc()
		m := grey
		m.DoubleSided = ds
		b.quad(-1, -1, 1, 1, 0, b.material(m, false), true)
		c := draw(t, b.build(), Options{Size: 32, View: ViewFront}).NRGBAAt(16, 16)
		switch {
		case !ds && c != clear:
			t.Errorf("single-sided back face drawn: %v", c)
		case ds && !near(c, front, 1):
			// Lit like the same quad facing the camera: the normal was
			// turned towards the viewer.
			t.Errorf("double-sided back face: %v, want %v as the front face", c, front)
		}
	}
	// Seen from the back, a front-facing single-sided quad disappears too.
	b = newDoc()
	b.quad(-1, -1, 1, 1, 0, b.material(unlitColor(1, 0, 0, 1), true), false)
	if c := draw(t, b.build(), Options{Size: 32, View: ViewBack}).NRGBAAt(16, 16); c != clear {
		t.Errorf("back view of a single-sided quad: %v", c)
	}
}

// halves is a 4×4 image, red on the left half and green on the right.
func halves() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			c := color.NRGBA{255, 0, 0, 255}
			if x >= 2 {
				c = color.NRGBA{0, 255, 0, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// TestTextureTransform offsets the UVs by half a texture: the left of the
// quad shows the right half of the image.
func TestTextureTransform(t *testing.T) {
	for _, tc := range []struct {
		ext  string
		want color.NRGBA
	}{
		{"", color.NRGBA{255, 0, 0, 255}},
		{`{"offset":[0.5,0]}`, color.NRGBA{0, 255, 0, 255}},
		{`{"scale":[-1,1],"offset":[1,0]}`, color.NRGBA{0, 255, 0, 255}}, // mirrored
	} {
		b := newDoc()
		tex := b.image(halves())
		info := &gltf.TextureInfo{Index: tex}
		m := gltf.Material{PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorTexture: info}}
		if tc.ext != "" {
			m.PBRMetallicRoughness.BaseColorTexture.Extensions = rawExt(gltf.ExtTextureTransform, tc.ext)
		}
		b.quad(-1, -1, 1, 1, 0, b.material(m, true), false)
		img := draw(t, b.build(), Options{Size: 64, View: ViewFront})
		// The quad spans about pixels 14…50; u = 0.25 is near x = 23.
		if c := img.NRGBAAt(23, 32); !near(c, tc.want, 3) {
			t.Errorf("transform %s: %v, want %v", tc.ext, c, tc.want)
		}
	}
}

func rawExt(name, v string) map[string]json.RawMessage {
	return map[string]json.RawMessage{name: json.RawMessage(v)}
}
