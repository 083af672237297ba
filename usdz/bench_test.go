package usdz

import (
	"context"
	"image/color"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// BenchmarkConvert converts each corpus model, and a generated grid of one
// million triangles (positions, normals, UVs, 32-bit indices, one
// textured material) for the cost of a heavy upload.
func BenchmarkConvert(b *testing.B) {
	for _, f := range corpusModels(b) {
		doc, err := gltf.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f), func(b *testing.B) { benchConvert(b, doc) })
	}
	b.Run("grid-1M-triangles", func(b *testing.B) { benchConvert(b, gridDoc(b, 1000, 500)) })
}

func benchConvert(b *testing.B, doc *gltf.Document) {
	b.ReportAllocs()
	var size int
	for b.Loop() {
		pkg, err := Convert(context.Background(), doc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(pkg.Bytes)
	}
	b.ReportMetric(float64(size), "usdz-bytes")
}

// gridDoc builds a w×h grid of quads (2·w·h triangles) in one primitive.
func gridDoc(tb testing.TB, w, h int) *gltf.Document {
	bd := newBuilder()
	nv := (w + 1) * (h + 1)
	pos := make([]float32, 0, 3*nv)
	nrm := make([]float32, 0, 3*nv)
	uv := make([]float32, 0, 2*nv)
	for y := 0; y <= h; y++ {
		for x := 0; x <= w; x++ {
			pos = append(pos, float32(x)/float32(w), float32(y)/float32(w), 0)
			nrm = append(nrm, 0, 0, 1)
			uv = append(uv, float32(x)/float32(w), 1-float32(y)/float32(h))
		}
	}
	idx := make([]uint32, 0, 6*w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint32(y*(w+1) + x)
			c := a + uint32(w+1)
			idx = append(idx, a, a+1, c, c, a+1, c+1)
		}
	}
	attrs := map[string]int{
		"POSITION":   bd.floats(gltf.TypeVec3, pos),
		"NORMAL":     bd.floats(gltf.TypeVec3, nrm),
		"TEXCOORD_0": bd.floats(gltf.TypeVec2, uv),
	}
	ind := bd.accessor(gltf.TypeScalar, gltf.ComponentUnsignedInt, false, idx)
	tex := bd.image(testPNG(tb, 64, 64, func(x, y int) color.NRGBA { return color.NRGBA{uint8(4 * x), uint8(4 * y), 128, 255} }), nil)
	bd.doc.Materials = []gltf.Material{{Name: "Grid", PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorTexture: &gltf.TextureInfo{Index: tex}}}}
	bd.doc.Meshes = []gltf.Mesh{{Name: "Grid", Primitives: []gltf.Primitive{{Attributes: attrs, Indices: gltf.Ptr(ind), Material: gltf.Ptr(0)}}}}
	bd.doc.Nodes = []gltf.Node{{Name: "Grid", Mesh: gltf.Ptr(0)}}
	bd.doc.Scenes = []gltf.Scene{{Nodes: []int{0}}}
	bd.doc.Scene = gltf.Ptr(0)
	return bd.finish()
}

// BenchmarkRetexture swaps a 2048² PNG into the first textured-or-not
// material of each corpus model that has UVs (models with only glTF's
// default material have nothing to swap: their package is rewritten
// without a swap, which is the same work but the image).
func BenchmarkRetexture(b *testing.B) {
	// Noise in every channel: about as large as a photo-like design (12 MB).
	rng := rand.New(rand.NewPCG(3, 4))
	img := testPNG(b, 2048, 2048, func(x, y int) color.NRGBA {
		v := rng.Uint32()
		return color.NRGBA{uint8(x) ^ uint8(v), uint8(y) ^ uint8(v>>8), uint8(v >> 16), 255}
	})
	for _, f := range corpusModels(b) {
		doc, err := gltf.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pkg, err := Convert(context.Background(), doc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		var swaps []Swap
		layer := pkg.Bytes[:0]
		if entries, err := readEntries(pkg.Bytes); err == nil {
			layer = entries[0].data
		}
		if _, _, _, scope, err := findScope(layer); err == nil && scope != nil {
			for _, m := range scope.children {
				if s, err := readSurface(m); err == nil && s.index >= 0 && s.uvSets&1 != 0 && swaps == nil {
					swaps = []Swap{{Material: s.index, Data: img}}
				}
			}
		}
		name := filepath.Base(f)
		if swaps == nil {
			name += "-noswap"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				out, err := Retexture(pkg.Bytes, swaps)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size), "usdz-bytes")
		})
	}
}
