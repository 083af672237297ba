package demo

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/luneo/luneo/gltf"
)

// part is one primitive of the model with its material: a colour factor
// (linear RGB) and, when textured, the document's one texture as its base
// colour.
type part struct {
	material string
	colour   [3]float64
	textured bool
	mesh     meshData
}

// roughness suits glazed ceramic: glossy highlights, no mirror.
const roughness = 0.35

// assemble builds a document with one node and one mesh named name whose
// primitives are parts, each with its own material. tex, when not nil, is
// the PNG that textured parts use as base colour, sampled with repeat
// along u so the seam filters across, and clamped along v.
func assemble(name string, parts []part, tex []byte) (*gltf.Document, error) {
	doc := &gltf.Document{
		Asset:  gltf.Asset{Version: "2.0", Generator: "Luneo demo generator"},
		Scene:  gltf.Ptr(0),
		Scenes: []gltf.Scene{{Name: "Scene", Nodes: []int{0}}},
		Nodes:  []gltf.Node{{Name: name, Mesh: gltf.Ptr(0)}},
		Meshes: []gltf.Mesh{{Name: name}},
	}
	if tex != nil {
		doc.Images = []gltf.Image{{Name: name + " base colour", MimeType: "image/png", Data: tex}}
		doc.Samplers = []gltf.Sampler{{
			MagFilter: gltf.FilterLinear, MinFilter: gltf.FilterLinearMipmapLinear,
			WrapS: gltf.Ptr(gltf.WrapRepeat), WrapT: gltf.Ptr(gltf.WrapClampToEdge),
		}}
		doc.Textures = []gltf.Texture{{Sampler: gltf.Ptr(0), Source: gltf.Ptr(0)}}
	}
	var bin []byte
	for i, p := range parts {
		if p.textured && tex == nil {
			return nil, fmt.Errorf("part %s wants a texture but there is none", p.material)
		}
		if len(p.mesh.idx) == 0 || len(p.mesh.idx)%3 != 0 {
			return nil, fmt.Errorf("part %s: %d indices is no set of triangles", p.material, len(p.mesh.idx))
		}
		pbr := &gltf.PBRMetallicRoughness{
			MetallicFactor:  gltf.Ptr(0.0),
			RoughnessFactor: gltf.Ptr(roughness),
		}
		if p.colour != [3]float64{1, 1, 1} {
			pbr.BaseColorFactor = &[4]float64{p.colour[0], p.colour[1], p.colour[2], 1}
		}
		if p.textured {
			pbr.BaseColorTexture = &gltf.TextureInfo{Index: 0}
		}
		doc.Materials = append(doc.Materials, gltf.Material{Name: p.material, PBRMetallicRoughness: pbr})
		prim := gltf.Primitive{Attributes: map[string]int{}, Material: gltf.Ptr(i)}
		bin, prim.Attributes["POSITION"] = addVec3(doc, bin, p.mesh.pos, true)
		bin, prim.Attributes["NORMAL"] = addVec3(doc, bin, p.mesh.nrm, false)
		bin, prim.Attributes["TEXCOORD_0"] = addVec2(doc, bin, p.mesh.uv)
		var idx int
		bin, idx = addIndices(doc, bin, p.mesh.idx, len(p.mesh.pos))
		prim.Indices = gltf.Ptr(idx)
		doc.Meshes[0].Primitives = append(doc.Meshes[0].Primitives, prim)
	}
	doc.Buffers = []gltf.Buffer{{ByteLength: len(bin), Data: bin}}
	return doc, nil
}

// addView appends data to bin at a 4-byte boundary as a new buffer view and
// returns the grown bin and the view's index.
func addView(doc *gltf.Document, bin, data []byte, target int) ([]byte, int) {
	for len(bin)%4 != 0 {
		bin = append(bin, 0)
	}
	doc.BufferViews = append(doc.BufferViews, gltf.BufferView{ByteOffset: len(bin), ByteLength: len(data), Target: target})
	return append(bin, data...), len(doc.BufferViews) - 1
}

// addVec3 stores vs as float32 VEC3 and returns its accessor, with the
// bounds (of the stored float32 values) when withBounds is set, as
// POSITION requires.
func addVec3(doc *gltf.Document, bin []byte, vs []vec3, withBounds bool) ([]byte, int) {
	data := make([]byte, 0, 12*len(vs))
	lo := []float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := []float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for _, v := range vs {
		for k := range 3 {
			f := float32(v[k])
			data = binary.LittleEndian.AppendUint32(data, math.Float32bits(f))
			lo[k], hi[k] = min(lo[k], float64(f)), max(hi[k], float64(f))
		}
	}
	bin, view := addView(doc, bin, data, gltf.TargetArrayBuffer)
	acc := gltf.Accessor{BufferView: gltf.Ptr(view), ComponentType: gltf.ComponentFloat, Count: len(vs), Type: gltf.TypeVec3}
	if withBounds {
		acc.Min, acc.Max = lo, hi
	}
	doc.Accessors = append(doc.Accessors, acc)
	return bin, len(doc.Accessors) - 1
}

// addVec2 stores uvs as float32 VEC2 and returns its accessor.
func addVec2(doc *gltf.Document, bin []byte, uvs [][2]float64) ([]byte, int) {
	data := make([]byte, 0, 8*len(uvs))
	for _, uv := range uvs {
		data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(uv[0])))
		data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(uv[1])))
	}
	bin, view := addView(doc, bin, data, gltf.TargetArrayBuffer)
	doc.Accessors = append(doc.Accessors, gltf.Accessor{BufferView: gltf.Ptr(view), ComponentType: gltf.ComponentFloat, Count: len(uvs), Type: gltf.TypeVec2})
	return bin, len(doc.Accessors) - 1
}

// addIndices stores idx as unsigned shorts when every vertex index fits
// (it does for the demo models) and as unsigned ints otherwise.
func addIndices(doc *gltf.Document, bin []byte, idx []uint32, vertices int) ([]byte, int) {
	ctype := gltf.ComponentUnsignedShort
	data := make([]byte, 0, 4*len(idx))
	for _, i := range idx {
		if vertices <= math.MaxUint16 {
			data = binary.LittleEndian.AppendUint16(data, uint16(i))
		} else {
			data = binary.LittleEndian.AppendUint32(data, i)
		}
	}
	if vertices > math.MaxUint16 {
		ctype = gltf.ComponentUnsignedInt
	}
	bin, view := addView(doc, bin, data, gltf.TargetElementArrayBuffer)
	doc.Accessors = append(doc.Accessors, gltf.Accessor{BufferView: gltf.Ptr(view), ComponentType: ctype, Count: len(idx), Type: gltf.TypeScalar})
	return bin, len(doc.Accessors) - 1
}
