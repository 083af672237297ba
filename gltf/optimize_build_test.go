package gltf

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// docBuilder assembles a Document in code, every accessor in its own
// buffer view of a single buffer, for tests.
type docBuilder struct {
	doc *Document
	bin []byte
}

// view appends data (4-byte aligned) as a buffer view and returns its index.
func (b *docBuilder) view(data []byte, stride, target int) int {
	for len(b.bin)%4 != 0 {
		b.bin = append(b.bin, 0)
	}
	b.doc.BufferViews = append(b.doc.BufferViews, BufferView{ByteOffset: len(b.bin), ByteLength: len(data), ByteStride: stride, Target: target})
	b.bin = append(b.bin, data...)
	return len(b.doc.BufferViews) - 1
}

// accessor adds an accessor over values (little-endian encoded as the Go
// type of the slice) with its own buffer view; stride pads each element.
func (b *docBuilder) accessor(typ string, ctype int, norm bool, values any, stride, target int, bounds bool) int {
	var raw bytes.Buffer
	binary.Write(&raw, binary.LittleEndian, values)
	data := raw.Bytes()
	elem := ElementSize(typ, ctype)
	count := len(data) / elem
	if stride > elem {
		padded := make([]byte, 0, count*stride)
		for i := 0; i < count; i++ {
			padded = append(padded, data[i*elem:(i+1)*elem]...)
			padded = append(padded, make([]byte, stride-elem)...)
		}
		data = padded
	} else {
		stride = 0
	}
	a := Accessor{BufferView: Ptr(b.view(data, stride, target)), ComponentType: ctype, Normalized: norm, Count: count, Type: typ}
	if bounds {
		a.Min, a.Max = elementBounds(&a, raw.Bytes())
	}
	b.doc.Accessors = append(b.doc.Accessors, a)
	return len(b.doc.Accessors) - 1
}

func (b *docBuilder) floats(typ string, v []float32, bounds bool) int {
	return b.accessor(typ, ComponentFloat, false, v, 0, TargetArrayBuffer, bounds)
}

func (b *docBuilder) image(data []byte, mime string) int {
	b.doc.Images = append(b.doc.Images, Image{BufferView: Ptr(b.view(data, 0, 0)), MimeType: mime})
	return len(b.doc.Images) - 1
}

// done installs the buffer.
func (b *docBuilder) done() *Document {
	b.doc.Buffers = []Buffer{{ByteLength: len(b.bin), Data: b.bin}}
	return b.doc
}

// testPNG encodes a w×h NRGBA gradient whose right quarter is transparent.
func testPNG(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255)
			if x >= 3*w/4 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, a})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testJPEG encodes a w×h colour gradient.
func testJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), 90, uint8(y * 255 / h), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// syntheticDocument builds a small asset with every case Optimize handles:
// duplicate and degenerate geometry, morph targets with a sparse accessor,
// quantized attributes, a skin, an animation, variants, duplicate images,
// samplers and accessors, and used, unused, named and unnamed objects.
func syntheticDocument(t testing.TB) *Document {
	b := &docBuilder{doc: &Document{Asset: Asset{Version: "2.0"}}}
	d := b.doc
	d.ExtensionsUsed = []string{ExtMaterialsVariants, ExtMeshQuantization, "KHR_materials_clearcoat"}
	d.ExtensionsRequired = []string{ExtMeshQuantization}
	d.Extensions = map[string]json.RawMessage{ExtMaterialsVariants: json.RawMessage(`{"variants":[{"name":"Red"}]}`)}

	// Mesh 0 "Body": 3 non-indexed triangles. v3 repeats v2 in every
	// attribute (welded); v4 repeats v1 except for its morph target delta
	// (kept apart); v7 repeats v6, so the last triangle is degenerate.
	A, B, C, D, E, F := [3]float32{0, 0, 0}, [3]float32{1, 0, 0}, [3]float32{1, 1, 0}, [3]float32{0, 1, 0}, [3]float32{2, 2, 0}, [3]float32{3, 2, 0}
	var pos, nrm, uv []float32
	for _, p := range [][3]float32{A, B, C, C, B, D, E, E, F} {
		pos = append(pos, p[:]...)
		nrm = append(nrm, 0, 0, 1)
		uv = append(uv, p[0]/3, p[1]/2)
	}
	posAcc := b.floats(TypeVec3, pos, true)
	nrmAcc := b.floats(TypeVec3, nrm, false)
	uvAcc := b.floats(TypeVec2, uv, false)
	// Morph target: sparse, no buffer view, moves vertex 1 only.
	sparseIdx := b.view([]byte{1, 0}, 0, 0)
	var sv bytes.Buffer
	binary.Write(&sv, binary.LittleEndian, []float32{0, 0, 1})
	sparseVal := b.view(sv.Bytes(), 0, 0)
	d.Accessors = append(d.Accessors, Accessor{ComponentType: ComponentFloat, Count: 9, Type: TypeVec3, Min: []float64{0, 0, 0}, Max: []float64{0, 0, 1},
		Sparse: &Sparse{Count: 1, Indices: SparseIndices{BufferView: sparseIdx, ComponentType: ComponentUnsignedShort}, Values: SparseValues{BufferView: sparseVal}}})
	morph := len(d.Accessors) - 1

	// Mesh 1 (unnamed): quantized positions (VEC3 SHORT normalized, stride 8)
	// and normals (VEC3 BYTE normalized, stride 4), UNSIGNED_BYTE indices
	// that skip vertex 4; and a LINES primitive with no duplicates.
	qpos := b.accessor(TypeVec3, ComponentShort, true, []int16{0, 0, 0, 32767, 0, 0, 0, 32767, 0, 32767, 32767, 0, -32767, -32767, 0}, 8, TargetArrayBuffer, true)
	qnrm := b.accessor(TypeVec3, ComponentByte, true, []int8{0, 0, 127, 0, 0, 127, 0, 0, 127, 0, 0, 127, 0, 0, 127}, 4, TargetArrayBuffer, false)
	qidx := b.accessor(TypeScalar, ComponentUnsignedByte, false, []uint8{0, 1, 2, 2, 1, 3}, 0, TargetElementArrayBuffer, false)
	lpos := b.floats(TypeVec3, []float32{0, 0, 0, 1, 1, 1, 2, 0, 2, 3, 3, 3}, true)
	// Mesh 4 "Spare" (named, unused) holds copies of mesh 1's accessors.
	qpos2 := b.accessor(TypeVec3, ComponentShort, true, []int16{0, 0, 0, 32767, 0, 0, 0, 32767, 0, 32767, 32767, 0, -32767, -32767, 0}, 8, TargetArrayBuffer, true)
	qnrm2 := b.accessor(TypeVec3, ComponentByte, true, []int8{0, 0, 127, 0, 0, 127, 0, 0, 127, 0, 0, 127, 0, 0, 127}, 4, TargetArrayBuffer, false)
	qidx2 := b.accessor(TypeScalar, ComponentUnsignedByte, false, []uint8{0, 1, 2, 2, 1, 3}, 0, TargetElementArrayBuffer, false)

	// Mesh 3: skinned; vertices 2 and 3 differ only by their weights.
	spos := b.floats(TypeVec3, []float32{0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0}, true)
	joints := b.accessor(TypeVec4, ComponentUnsignedByte, false, []uint8{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0}, 0, TargetArrayBuffer, false)
	weights := b.floats(TypeVec4, []float32{1, 0, 0, 0, 1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.25, 0.75, 0, 0}, false)
	sidx := b.accessor(TypeScalar, ComponentUnsignedInt, false, []uint32{0, 1, 2, 0, 1, 3}, 0, TargetElementArrayBuffer, false)
	ibm := b.accessor(TypeMat4, ComponentFloat, false, []float32{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 0, 0, false)

	// Mesh 2 (unnamed, only on an unused unnamed node): removed.
	upos := b.floats(TypeVec3, []float32{5, 5, 5, 6, 5, 5, 5, 6, 5}, true)
	uuv := b.floats(TypeVec2, []float32{0, 0, 1, 0, 0, 1}, false)
	// An accessor nothing uses, and an animation.
	b.floats(TypeVec3, []float32{9, 9, 9}, false)
	tIn := b.accessor(TypeScalar, ComponentFloat, false, []float32{0, 1}, 0, 0, true)
	tOut := b.accessor(TypeVec3, ComponentFloat, false, []float32{0, 0, 0, 0, 1, 0}, 0, 0, false)

	png1 := testPNG(t, 300, 150)
	img0 := b.image(png1, "image/png")
	img1 := b.image(png1, "image/png") // same bytes: merged
	img2 := b.image(testJPEG(t, 40, 40), "image/jpeg")
	img3 := b.image(testJPEG(t, 100, 200), "image/jpeg")
	d.Samplers = []Sampler{{MagFilter: FilterLinear}, {MagFilter: FilterLinear, WrapS: Ptr(WrapRepeat)}, {MinFilter: FilterNearest}}
	d.Textures = []Texture{{Source: Ptr(img0), Sampler: Ptr(0)}, {Source: Ptr(img1), Sampler: Ptr(1)}, {Source: Ptr(img2), Sampler: Ptr(2)}, {Source: Ptr(img3)}}
	d.Materials = []Material{
		{Name: "Paint", PBRMetallicRoughness: &PBRMetallicRoughness{BaseColorTexture: &TextureInfo{Index: 0}}},
		{PBRMetallicRoughness: &PBRMetallicRoughness{BaseColorTexture: &TextureInfo{Index: 1}}}, // only in a variant mapping
		{Name: "Unused", EmissiveTexture: &TextureInfo{Index: 3}, EmissiveFactor: &[3]float64{1, 1, 1},
			Extensions: map[string]json.RawMessage{"KHR_materials_clearcoat": json.RawMessage(`{"clearcoatFactor":1,"clearcoatTexture":{"index":3}}`)}},
		{PBRMetallicRoughness: &PBRMetallicRoughness{BaseColorTexture: &TextureInfo{Index: 2}}}, // only on the removed mesh
	}
	body := Primitive{Attributes: map[string]int{"POSITION": posAcc, "NORMAL": nrmAcc, "TEXCOORD_0": uvAcc}, Material: Ptr(0),
		Targets:    []map[string]int{{"POSITION": morph}},
		Extensions: map[string]json.RawMessage{ExtMaterialsVariants: json.RawMessage(`{"mappings":[{"variants":[0],"material":1}]}`)}}
	d.Meshes = []Mesh{
		{Name: "Body", Primitives: []Primitive{body}, Weights: []float64{0}},
		{Primitives: []Primitive{
			{Attributes: map[string]int{"POSITION": qpos, "NORMAL": qnrm}, Indices: Ptr(qidx)},
			{Attributes: map[string]int{"POSITION": lpos}, Mode: Ptr(ModeLines)},
		}},
		{Primitives: []Primitive{{Attributes: map[string]int{"POSITION": upos, "TEXCOORD_0": uuv}, Material: Ptr(3)}}},
		{Primitives: []Primitive{{Attributes: map[string]int{"POSITION": spos, "JOINTS_0": joints, "WEIGHTS_0": weights}, Indices: Ptr(sidx)}}},
		{Name: "Spare", Primitives: []Primitive{{Attributes: map[string]int{"POSITION": qpos2, "NORMAL": qnrm2}, Indices: Ptr(qidx2)}}},
	}
	d.Skins = []Skin{{InverseBindMatrices: Ptr(ibm), Joints: []int{6, 9}}}
	d.Nodes = []Node{
		{Name: "Root", Children: []int{1, 2, 6, 7, 9}}, // 0
		{Mesh: Ptr(0)}, // 1
		{Mesh: Ptr(1), Translation: &[3]float64{2, 0, 0}}, // 2
		{Mesh: Ptr(2)},                       // 3: unnamed, in no scene: removed with mesh 2
		{Name: "Handle", Children: []int{5}}, // 4: named orphan: kept with its child
		{Translation: &[3]float64{0, 1, 0}},  // 5
		{},                                   // 6: joint
		{Mesh: Ptr(3), Skin: Ptr(0)},         // 7
		{},                                   // 8: unnamed orphan, animated: kept
		{Translation: &[3]float64{0, 1, 0}, Children: nil}, // 9: joint
		{}, // 10: unnamed orphan: removed
	}
	d.Scenes = []Scene{{Name: "Scene", Nodes: []int{0}}}
	d.Scene = Ptr(0)
	d.Animations = []Animation{{Name: "Bounce",
		Samplers: []AnimationSampler{{Input: tIn, Output: tOut}},
		Channels: []Channel{{Sampler: 0, Target: ChannelTarget{Node: Ptr(8), Path: "translation"}}, {Sampler: 0, Target: ChannelTarget{Node: Ptr(2), Path: "translation"}}}}}
	return b.done()
}
