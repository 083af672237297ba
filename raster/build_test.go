package raster

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// docBuilder makes small in-memory documents for unit tests: one buffer,
// one scene, a node per mesh.
type docBuilder struct {
	doc *gltf.Document
	buf []byte
}

func newDoc() *docBuilder {
	return &docBuilder{doc: &gltf.Document{Asset: gltf.Asset{Version: "2.0"}, Scene: gltf.Ptr(0), Scenes: []gltf.Scene{{}}}}
}

// view appends data as a buffer view and returns its index.
func (b *docBuilder) view(data []byte) int {
	for len(b.buf)%4 != 0 {
		b.buf = append(b.buf, 0)
	}
	b.doc.BufferViews = append(b.doc.BufferViews, gltf.BufferView{ByteOffset: len(b.buf), ByteLength: len(data)})
	b.buf = append(b.buf, data...)
	return len(b.doc.BufferViews) - 1
}

// accessor adds an accessor over raw little-endian data.
func (b *docBuilder) accessor(data []byte, ctype int, typ string, count int, normalized bool) int {
	v := b.view(data)
	b.doc.Accessors = append(b.doc.Accessors, gltf.Accessor{BufferView: &v, ComponentType: ctype, Type: typ, Count: count, Normalized: normalized})
	return len(b.doc.Accessors) - 1
}

func (b *docBuilder) floats(typ string, v ...float32) int {
	var w bytes.Buffer
	binary.Write(&w, binary.LittleEndian, v)
	return b.accessor(w.Bytes(), gltf.ComponentFloat, typ, len(v)/gltf.ComponentCount(typ), false)
}

// material adds a material; unlit ones give exact colours on screen.
func (b *docBuilder) material(m gltf.Material, unlit bool) int {
	if unlit {
		m.Extensions = map[string]json.RawMessage{gltf.ExtMaterialsUnlit: json.RawMessage(`{}`)}
	}
	b.doc.Materials = append(b.doc.Materials, m)
	return len(b.doc.Materials) - 1
}

// mesh adds a primitive with the given attributes and a node drawing it.
func (b *docBuilder) mesh(attrs map[string]int, indices *int, mat *int, mode *int) int {
	b.doc.Meshes = append(b.doc.Meshes, gltf.Mesh{Primitives: []gltf.Primitive{{Attributes: attrs, Indices: indices, Material: mat, Mode: mode}}})
	b.doc.Nodes = append(b.doc.Nodes, gltf.Node{Mesh: gltf.Ptr(len(b.doc.Meshes) - 1)})
	n := len(b.doc.Nodes) - 1
	b.doc.Scenes[0].Nodes = append(b.doc.Scenes[0].Nodes, n)
	return n
}

// quad adds a z = const square [x0,x1]×[y0,y1] facing +Z (counter-clockwise
// seen from +Z) with UVs (v down), or facing −Z when flipped.
func (b *docBuilder) quad(x0, y0, x1, y1, z float32, mat int, flipped bool) int {
	pos := b.floats(gltf.TypeVec3, x0, y0, z, x1, y0, z, x1, y1, z, x0, y1, z)
	uv := b.floats(gltf.TypeVec2, 0, 1, 1, 1, 1, 0, 0, 0)
	idx := []uint16{0, 1, 2, 0, 2, 3}
	if flipped {
		idx = []uint16{0, 2, 1, 0, 3, 2}
	}
	var w bytes.Buffer
	binary.Write(&w, binary.LittleEndian, idx)
	ia := b.accessor(w.Bytes(), gltf.ComponentUnsignedShort, gltf.TypeScalar, 6, false)
	return b.mesh(map[string]int{"POSITION": pos, "TEXCOORD_0": uv}, &ia, &mat, nil)
}

// image adds a PNG texture and returns the texture index.
func (b *docBuilder) image(img image.Image) int {
	var w bytes.Buffer
	png.Encode(&w, img)
	return b.imageBytes(w.Bytes())
}

func (b *docBuilder) imageBytes(data []byte) int {
	v := b.view(data)
	b.doc.Images = append(b.doc.Images, gltf.Image{BufferView: &v, MimeType: "image/png"})
	b.doc.Textures = append(b.doc.Textures, gltf.Texture{Source: gltf.Ptr(len(b.doc.Images) - 1)})
	return len(b.doc.Textures) - 1
}

// build finishes the buffer.
func (b *docBuilder) build() *gltf.Document {
	b.doc.Buffers = []gltf.Buffer{{ByteLength: len(b.buf), Data: b.buf}}
	return b.doc
}

func unlitColor(r, g, bl, a float64) gltf.Material {
	return gltf.Material{PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorFactor: &[4]float64{r, g, bl, a}}}
}

// draw loads and renders doc, failing the test on any error.
func draw(t *testing.T, doc *gltf.Document, opt Options) *image.NRGBA {
	t.Helper()
	m, err := Load(doc, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := m.Render(t.Context(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// near reports whether two colours differ by at most tol per channel.
func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return math.Abs(float64(x)-float64(y)) <= float64(tol) }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}
