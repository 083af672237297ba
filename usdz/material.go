package usdz

import (
	"strconv"

	"github.com/luneo/luneo/gltf"
)

// input is one input of the UsdPreviewSurface: a value, or a connection
// to a texture output (the value is then not written).
type input struct {
	decl    string // type and name, e.g. "color3f inputs:diffuseColor"
	value   string
	connect string // prim path and output, or ""
}

// surface collects the inputs and texture slots of one material.
type surface struct {
	c      *converter
	path   string
	inputs []input
	slots  []*slot

	// What Retexture needs to know of the glTF material, written as the
	// Material prim's customData (see writeMeta).
	index  int   // glTF material index, -1 for the default material
	uvSets uint8 // bit n: every mesh bound to the material has TEXCOORD_n
	unlit  bool  // the base colour feeds emissiveColor, not diffuseColor
}

// writeMaterials writes every material the meshes use, in order of first
// use, under /Root/Materials.
func (c *converter) writeMaterials() {
	var all []*surface
	for _, idx := range c.matOrder {
		m := &gltf.Material{} // the glTF default material
		if idx >= 0 {
			m = &c.doc.Materials[idx]
		}
		s := &surface{c: c, path: c.matPath[idx], index: idx, uvSets: c.matUVs[idx], unlit: m.IsUnlit()}
		s.build(m)
		all = append(all, s)
		c.stats.Materials++
	}
	writeMaterialScope(&c.u, all)
}

// writeMaterialScope writes the Materials scope holding surfaces (nothing
// when there are none). Retexture rewrites the scope with it too.
func writeMaterialScope(u *usda, all []*surface) {
	if len(all) == 0 {
		return
	}
	u.linef(`def Scope "`, materialsName, `"`)
	u.linef(`{`)
	u.indent++
	for _, s := range all {
		s.write(u)
	}
	u.close()
}

// build maps a glTF metallic-roughness material onto UsdPreviewSurface
// inputs (factors as values or as texture scales).
func (s *surface) build(m *gltf.Material) {
	pbr := m.PBRMetallicRoughness
	base := pbr.BaseColorFactorOrDefault()
	alpha := m.AlphaModeOrDefault()
	unlit := m.IsUnlit()

	var baseTex *slot
	if pbr != nil && pbr.BaseColorTexture != nil {
		if baseTex = s.texture("BaseColor", ref(pbr.BaseColorTexture), kindColor); baseTex != nil {
			baseTex.srgb = true
			baseTex.scale = base[:]
		}
	}
	colorInput := "diffuseColor"
	if unlit {
		// No lighting: the colour is emitted, and the lit part is black
		// and rough so that highlights do not show either.
		colorInput = "emissiveColor"
		s.add("color3f inputs:diffuseColor", vec(0, 0, 0), nil, "")
		s.add("float inputs:metallic", num(0), nil, "")
		s.add("float inputs:roughness", num(1), nil, "")
	}
	s.add("color3f inputs:"+colorInput, vec(base[:3]...), baseTex, "rgb")
	switch alpha {
	case gltf.AlphaBlend:
		s.add("float inputs:opacity", num(base[3]), baseTex, "a")
	case gltf.AlphaMask:
		s.add("float inputs:opacity", num(base[3]), baseTex, "a")
		s.add("float inputs:opacityThreshold", num(m.AlphaCutoffOrDefault()), nil, "")
	}
	if !unlit {
		s.buildLit(m)
	}
	s.add("int inputs:useSpecularWorkflow", "0", nil, "")
}

// buildLit adds what only lit materials have: metal and roughness (split
// out of glTF's packed texture), occlusion, normal map and emission.
func (s *surface) buildLit(m *gltf.Material) {
	pbr := m.PBRMetallicRoughness
	metal, rough := 1.0, 1.0
	var mrTex *gltf.TextureInfo
	if pbr != nil {
		if pbr.MetallicFactor != nil {
			metal = *pbr.MetallicFactor
		}
		if pbr.RoughnessFactor != nil {
			rough = *pbr.RoughnessFactor
		}
		mrTex = pbr.MetallicRoughnessTexture
	}
	// glTF packs roughness in G and metalness in B (occlusion often in R
	// of the same image): each input reads its channel of the unchanged
	// image, or of a grayscale copy when Options.SplitChannels asks.
	var metalTex, roughTex *slot
	if mrTex != nil {
		if metalTex = s.texture("Metallic", ref(mrTex), kindB); metalTex != nil {
			metalTex.scale = []float64{metal, metal, metal, 1}
		}
		if roughTex = s.texture("Roughness", ref(mrTex), kindG); roughTex != nil {
			roughTex.scale = []float64{rough, rough, rough, 1}
		}
	}
	s.add("float inputs:metallic", num(metal), metalTex, metalTex.channelOut())
	s.add("float inputs:roughness", num(rough), roughTex, roughTex.channelOut())

	if o := m.OcclusionTexture; o != nil {
		strength := 1.0
		if o.Strength != nil {
			strength = *o.Strength
		}
		// occlusion = 1 + strength × (texel − 1)
		if t := s.texture("Occlusion", texRef{o.Index, o.TexCoord, o.Extensions}, kindR); t != nil {
			t.scale = []float64{strength, strength, strength, 1}
			t.bias = []float64{1 - strength, 1 - strength, 1 - strength, 0}
			s.add("float inputs:occlusion", num(1), t, t.channelOut())
		}
	}
	if nt := m.NormalTexture; nt != nil {
		scale := 1.0
		if nt.Scale != nil {
			scale = *nt.Scale
		}
		// Texels in [0,1] become tangent-space vectors in [-1,1]; glTF's
		// scale multiplies X and Y.
		if t := s.texture("Normal", texRef{nt.Index, nt.TexCoord, nt.Extensions}, kindColor); t != nil {
			t.scale = []float64{2 * scale, 2 * scale, 2, 1}
			t.bias = []float64{-scale, -scale, -1, 0}
			s.add("normal3f inputs:normal", "", t, "rgb")
		}
	}
	s.buildEmissive(m)
}

// buildEmissive adds the emissive colour: factor × strength
// (KHR_materials_emissive_strength), times the texture when there is one.
func (s *surface) buildEmissive(m *gltf.Material) {
	var e [3]float64
	if m.EmissiveFactor != nil {
		e = *m.EmissiveFactor
	}
	strength, err := m.EmissiveStrength()
	if err != nil {
		s.c.warnf("material %q: %v; emissive strength 1 used", m.Name, err)
	}
	for k := range e {
		e[k] *= strength
	}
	if e == [3]float64{} {
		return // black whatever the texture says
	}
	var t *slot
	if m.EmissiveTexture != nil {
		if t = s.texture("Emissive", ref(m.EmissiveTexture), kindColor); t != nil {
			t.srgb = true
			t.scale = []float64{e[0], e[1], e[2], 1}
		}
	}
	s.add("color3f inputs:emissiveColor", vec(e[:]...), t, "rgb")
}

// add appends an input with a value and/or a connection to output out of
// texture t (nil for none), declaring that output on the texture.
func (s *surface) add(decl, value string, t *slot, out string) {
	in := input{decl: decl, value: value}
	if t != nil {
		in.connect = s.path + "/" + t.name + "Texture.outputs:" + out
		t.output(out)
	}
	s.inputs = append(s.inputs, in)
}

// num formats a float input value. Shader inputs are 32-bit floats, so
// values are written with float32 precision (0.3, not 0.30000001192…).
func num(v float64) string {
	var u usda
	u.f32(float32(v))
	return string(u.b)
}

// vec formats a tuple of float32 input values.
func vec(v ...float64) string {
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	var u usda
	u.vecs(f, len(f))
	s := string(u.b)
	return s[1 : len(s)-1] // one tuple, not an array of one
}

// uvSetName names the primvar reader of a UV set.
func uvReaderName(set int) string { return "PrimvarReader_" + uvName(set) }

// readerPath is the prim path of a UV set's primvar reader.
func (s *surface) readerPath(set int) string {
	return s.path + "/" + uvReaderName(set) + ".outputs:result"
}

// itoa is strconv.Itoa, short for the writers.
func itoa(i int) string { return strconv.Itoa(i) }
