package demo

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/luneo/luneo/gltf"
)

func TestMugIsDeterministic(t *testing.T) {
	t.Parallel()
	for _, opt := range []MugOptions{{}, {NoTexture: true, Segments: 48}} {
		a, err := Mug(opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Mug(opt)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%+v: two calls give different bytes", opt)
		}
	}
}

func TestMugOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opt  MugOptions
		ok   bool
	}{
		{"defaults", MugOptions{}, true},
		{"fewest segments", MugOptions{Segments: 24}, true},
		{"too few segments", MugOptions{Segments: 20}, false},
		{"segments not a multiple of 4", MugOptions{Segments: 98}, false},
		{"most segments", MugOptions{Segments: 256}, true},
		{"too many segments", MugOptions{Segments: 260}, false},
		{"negative segments", MugOptions{Segments: -96}, false},
		{"texture not a power of two", MugOptions{TextureSize: 1000}, false},
		{"texture too large", MugOptions{TextureSize: 8192}, false},
		{"texture too small", MugOptions{TextureSize: 128}, false},
		{"colours", MugOptions{InsideColour: "#FF8800", HandleColour: "#000000"}, true},
		{"colour by name", MugOptions{InsideColour: "red"}, false},
		{"colour not hex", MugOptions{HandleColour: "#12345g"}, false},
		{"short colour", MugOptions{HandleColour: "#123"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			glb, err := Mug(tc.opt)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok = %v", err, tc.ok)
			}
			if !tc.ok {
				return
			}
			doc, err := gltf.Read(bytes.NewReader(glb), int64(len(glb)), gltf.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.opt.InsideColour == "" {
				return
			}
			// sRGB #ff8800 is linear (1, 0.2462, 0); black is black.
			want := map[string][4]float64{"Inside": {1, 0.2462, 0, 1}, "Handle": {0, 0, 0, 1}}
			for _, m := range doc.Materials[1:] {
				if got := m.PBRMetallicRoughness.BaseColorFactorOrDefault(); got != want[m.Name] {
					t.Errorf("%s: base colour %v, want %v", m.Name, got, want[m.Name])
				}
			}
		})
	}
}

func TestWhitePNG(t *testing.T) {
	t.Parallel()
	for _, size := range []int{256, 2048} {
		b := whitePNG(size)
		info, err := gltf.ReadImageInfo(b)
		if err != nil || info.Width != size || info.Height != size {
			t.Fatalf("%d: header %+v, %v", size, info, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%d: %v", size, err)
		}
		if img.Bounds() != image.Rect(0, 0, size, size) {
			t.Fatalf("%d: bounds %v", size, img.Bounds())
		}
		for y := 0; y < size; y += 7 {
			for x := 0; x < size; x += 5 {
				if r, g, b, a := img.At(x, y).RGBA(); r != 0xffff || g != 0xffff || b != 0xffff || a != 0xffff {
					t.Fatalf("%d: pixel (%d, %d) is not opaque white", size, x, y)
				}
			}
		}
		t.Logf("%d²: %d bytes", size, len(b))
	}
}

// BenchmarkMug measures generating the default mug (PNG included).
func BenchmarkMug(b *testing.B) {
	for b.Loop() {
		if _, err := Mug(MugOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
