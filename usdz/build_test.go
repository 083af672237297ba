package usdz

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// corpusModels lists the corpus GLB files (../shared/corpus/models from
// the repository root), skipping the test when the corpus is absent.
func corpusModels(t testing.TB) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "models")
	if _, err := os.Stat(dir); err != nil {
		corpusMissing(t, "the test corpus /work/shared/corpus (../shared/corpus from the repository root) is absent: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.glb"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no models in %s: %v", dir, err)
	}
	sort.Strings(files)
	return files
}

// docBuilder assembles a glTF document in code, one buffer view per
// accessor in a single buffer.
type docBuilder struct {
	doc gltf.Document
	bin []byte
}

func newBuilder() *docBuilder {
	return &docBuilder{doc: gltf.Document{Asset: gltf.Asset{Version: "2.0"}}}
}

// view appends data, 4-byte aligned, as a buffer view.
func (b *docBuilder) view(data []byte) int {
	for len(b.bin)%4 != 0 {
		b.bin = append(b.bin, 0)
	}
	b.doc.BufferViews = append(b.doc.BufferViews, gltf.BufferView{ByteOffset: len(b.bin), ByteLength: len(data)})
	b.bin = append(b.bin, data...)
	return len(b.doc.BufferViews) - 1
}

// accessor adds an accessor over values encoded little-endian.
func (b *docBuilder) accessor(typ string, ctype int, norm bool, values any) int {
	var raw bytes.Buffer
	if err := binary.Write(&raw, binary.LittleEndian, values); err != nil {
		panic(err)
	}
	count := raw.Len() / gltf.ElementSize(typ, ctype)
	a := gltf.Accessor{BufferView: gltf.Ptr(b.view(raw.Bytes())), ComponentType: ctype, Normalized: norm, Count: count, Type: typ}
	if f, ok := values.([]float32); ok && typ == gltf.TypeVec3 {
		a.Min, a.Max = bounds3(f)
	}
	b.doc.Accessors = append(b.doc.Accessors, a)
	return len(b.doc.Accessors) - 1
}

func (b *docBuilder) floats(typ string, v []float32) int {
	return b.accessor(typ, gltf.ComponentFloat, false, v)
}

func (b *docBuilder) indices(v []uint16) int {
	return b.accessor(gltf.TypeScalar, gltf.ComponentUnsignedShort, false, v)
}

// image adds a PNG image stored in a buffer view and a texture using it
// with sampler (nil for none); it returns the texture index.
func (b *docBuilder) image(data []byte, sampler *int) int {
	b.doc.Images = append(b.doc.Images, gltf.Image{BufferView: gltf.Ptr(b.view(data)), MimeType: "image/png"})
	b.doc.Textures = append(b.doc.Textures, gltf.Texture{Source: gltf.Ptr(len(b.doc.Images) - 1), Sampler: sampler})
	return len(b.doc.Textures) - 1
}

// node adds a node and returns its index.
func (b *docBuilder) node(n gltf.Node) int {
	b.doc.Nodes = append(b.doc.Nodes, n)
	return len(b.doc.Nodes) - 1
}

// finish sets the buffer and returns the document.
func (b *docBuilder) finish() *gltf.Document {
	b.doc.Buffers = []gltf.Buffer{{ByteLength: len(b.bin), Data: b.bin}}
	return &b.doc
}

func bounds3(v []float32) (lo, hi []float64) {
	lo = []float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi = []float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for i := 0; i+2 < len(v); i += 3 {
		for k := 0; k < 3; k++ {
			lo[k] = math.Min(lo[k], float64(v[i+k]))
			hi[k] = math.Max(hi[k], float64(v[i+k]))
		}
	}
	return lo, hi
}

// testPNG encodes a w×h image whose pixels are f(x, y).
func testPNG(t testing.TB, w, h int, f func(x, y int) color.NRGBA) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, f(x, y))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tinyDoc is a small hand-built model that exercises most of the
// conversion: a node hierarchy with a mirrored subtree, two primitives
// with their own materials (masked, double-sided, texture transform;
// emissive with strength, packed metal-roughness-occlusion, normal map,
// clamped and mirrored wraps), a triangle strip, and a mesh without
// normals or material.
func tinyDoc(t testing.TB) *gltf.Document {
	b := newBuilder()
	d := &b.doc
	d.ExtensionsUsed = []string{gltf.ExtTextureTransform, gltf.ExtMaterialsEmissiveStrength}

	quadPos := b.floats(gltf.TypeVec3, []float32{0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0})
	quadNrm := b.floats(gltf.TypeVec3, []float32{0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1})
	quadUV := b.floats(gltf.TypeVec2, []float32{0, 1, 1, 1, 0, 0, 1, 0})
	quadIdx := b.indices([]uint16{0, 1, 2, 2, 1, 3})
	triPos := b.floats(gltf.TypeVec3, []float32{0, 0, 0, 1, 0, 0, 0, 0, 1})

	colorTex := b.image(testPNG(t, 4, 4, func(x, y int) color.NRGBA {
		return color.NRGBA{uint8(60 * x), uint8(60 * y), 200, uint8(255 - 60*x)}
	}), nil)
	d.Samplers = []gltf.Sampler{{WrapS: gltf.Ptr(gltf.WrapClampToEdge), WrapT: gltf.Ptr(gltf.WrapMirroredRepeat)}}
	orm := b.image(testPNG(t, 2, 2, func(x, y int) color.NRGBA {
		return color.NRGBA{200, uint8(100 + 50*x), uint8(50 * y), 255}
	}), gltf.Ptr(0))
	normal := b.image(testPNG(t, 2, 2, func(x, y int) color.NRGBA { return color.NRGBA{128, 128, 255, 255} }), nil)

	painted := gltf.Material{
		Name: "Painted", AlphaMode: gltf.AlphaMask, AlphaCutoff: gltf.Ptr(0.3), DoubleSided: true,
		PBRMetallicRoughness: &gltf.PBRMetallicRoughness{
			BaseColorFactor:  &[4]float64{1, 0.5, 0.25, 1},
			BaseColorTexture: &gltf.TextureInfo{Index: colorTex, Extensions: rawExt(gltf.ExtTextureTransform, `{"offset":[0.5,0],"rotation":1.5707963267948966,"scale":[2,2]}`)},
			MetallicFactor:   gltf.Ptr(0.0),
		},
	}
	glow := gltf.Material{
		Name: "Glow", EmissiveFactor: &[3]float64{1, 0.5, 0},
		Extensions: rawExt(gltf.ExtMaterialsEmissiveStrength, `{"emissiveStrength":2}`),
		PBRMetallicRoughness: &gltf.PBRMetallicRoughness{
			MetallicFactor: gltf.Ptr(0.5), RoughnessFactor: gltf.Ptr(0.25),
			MetallicRoughnessTexture: &gltf.TextureInfo{Index: orm},
		},
		OcclusionTexture: &gltf.OcclusionTextureInfo{Index: orm, Strength: gltf.Ptr(0.5)},
		NormalTexture:    &gltf.NormalTextureInfo{Index: normal, Scale: gltf.Ptr(0.5)},
	}
	d.Materials = []gltf.Material{painted, glow}
	d.Meshes = []gltf.Mesh{
		{Name: "Quad", Primitives: []gltf.Primitive{
			{Attributes: map[string]int{"POSITION": quadPos, "NORMAL": quadNrm, "TEXCOORD_0": quadUV}, Indices: gltf.Ptr(quadIdx), Material: gltf.Ptr(0)},
			{Attributes: map[string]int{"POSITION": quadPos, "NORMAL": quadNrm, "TEXCOORD_0": quadUV}, Material: gltf.Ptr(1), Mode: gltf.Ptr(gltf.ModeTriangleStrip)},
		}},
		{Name: "Tri", Primitives: []gltf.Primitive{{Attributes: map[string]int{"POSITION": triPos}}}},
	}
	child := b.node(gltf.Node{Name: "Child", Mesh: gltf.Ptr(1), Translation: &[3]float64{0, 1, 0}})
	mirror := b.node(gltf.Node{Name: "Mirror", Scale: &[3]float64{-1, 1, 1}, Mesh: gltf.Ptr(1), Children: []int{child}})
	base := b.node(gltf.Node{Name: "Base", Mesh: gltf.Ptr(0), Translation: &[3]float64{2, 0, 0}})
	d.Scenes = []gltf.Scene{{Nodes: []int{base, mirror}}}
	d.Scene = gltf.Ptr(0)
	return b.finish()
}

func rawExt(name, js string) map[string]json.RawMessage {
	return map[string]json.RawMessage{name: json.RawMessage(js)}
}

// mirroredDoc nests mirroring transforms (a negative scale under a rotation,
// a mirrored child of a mirrored node, a mirroring matrix with a
// non-uniform scale) over quads whose normals agree with their winding, one
// of them double-sided. (No shear: three.js decomposes USD matrices into
// translation, rotation and scale, so the reader test could not compare.)
func mirroredDoc(t testing.TB) *gltf.Document {
	b := newBuilder()
	d := &b.doc
	pos := b.floats(gltf.TypeVec3, []float32{0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0})
	nrm := b.floats(gltf.TypeVec3, []float32{0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1})
	idx := b.indices([]uint16{0, 1, 2, 2, 1, 3})
	d.Materials = []gltf.Material{{Name: "Front"}, {Name: "Both", DoubleSided: true}}
	quad := func(mat int) gltf.Primitive {
		return gltf.Primitive{Attributes: map[string]int{"POSITION": pos, "NORMAL": nrm}, Indices: gltf.Ptr(idx), Material: gltf.Ptr(mat)}
	}
	d.Meshes = []gltf.Mesh{{Name: "Quad", Primitives: []gltf.Primitive{quad(0)}}, {Name: "Card", Primitives: []gltf.Primitive{quad(1)}}}
	s := 0.7071067811865476
	turned := &[16]float64{0, 2, 0, 0, -1, 0, 0, 0, 0, 0, -1, 0, 3, 0, 1, 1} // det -2
	c := b.node(gltf.Node{Name: "Turned", Matrix: turned, Mesh: gltf.Ptr(0)})
	bn := b.node(gltf.Node{Name: "Flipped", Scale: &[3]float64{-1, 1, 1}, Translation: &[3]float64{0, 2, 0}, Mesh: gltf.Ptr(1), Children: []int{c}})
	a := b.node(gltf.Node{Name: "Upside", Rotation: &[4]float64{0, s, 0, s}, Scale: &[3]float64{1, -1, 1}, Mesh: gltf.Ptr(0), Children: []int{bn}})
	plain := b.node(gltf.Node{Name: "Plain", Translation: &[3]float64{-3, 0, 0}, Mesh: gltf.Ptr(0)})
	d.Scenes = []gltf.Scene{{Nodes: []int{a, plain}}}
	d.Scene = gltf.Ptr(0)
	return b.finish()
}

// corpusMissing skips the test when the shared corpus (../shared/corpus
// from the repository root) is absent, or fails it when LUNEO_TEST_CORPUS
// is set, as CI does: there a missing corpus must not quietly turn the
// real-world checks into skips.
func corpusMissing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("LUNEO_TEST_CORPUS") != "" {
		t.Fatalf("LUNEO_TEST_CORPUS is set but "+format, args...)
	}
	t.Skipf(format, args...)
}
