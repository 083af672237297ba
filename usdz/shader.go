package usdz

import (
	"encoding/json"
	"math"
	"path"
	"slices"

	"github.com/luneo/luneo/gltf"
)

// slot is one UsdUVTexture of a material, with the primvar reader and the
// optional UsdTransform2d that feed it.
type slot struct {
	name         string // prefix of its shader prims, e.g. "BaseColor"
	file         string // path inside the package
	uvSet        int
	transform    *uvTransform // nil: no UsdTransform2d
	wrapS, wrapT string
	scale, bias  []float64 // nil: USD's defaults (1 and 0)
	srgb         bool
	outputs      []string // "rgb", "r", "a"… in order of first use
	// channel is the output a single-channel input reads: r, g or b of
	// the image, r of a split grayscale image.
	channel string
}

// channelOut is the output a single-channel input of t reads ("r" for no
// texture: the input then has no connection).
func (t *slot) channelOut() string {
	if t == nil || t.channel == "" {
		return "r"
	}
	return t.channel
}

func (t *slot) output(o string) {
	if !slices.Contains(t.outputs, o) {
		t.outputs = append(t.outputs, o)
	}
}

// texRef is the part of glTF's three texture reference types the
// conversion needs.
type texRef struct {
	index, texCoord int
	ext             map[string]json.RawMessage
}

func ref(ti *gltf.TextureInfo) texRef { return texRef{ti.Index, ti.TexCoord, ti.Extensions} }

// texture resolves a glTF texture reference into a slot of the material:
// the image file in the package (converted as kind says), the UV set, the
// KHR_texture_transform and the sampler's wrap modes. It returns nil, with
// a warning, when the texture cannot be used.
func (s *surface) texture(name string, r texRef, kind texKind) *slot {
	c := s.c
	tt, err := (&gltf.TextureInfo{Index: r.index, TexCoord: r.texCoord, Extensions: r.ext}).Transform()
	if err != nil {
		c.warnf("a texture transform could not be read and was ignored: %v", err)
		tt = nil
	}
	set := r.texCoord
	if tt != nil && tt.TexCoord != nil {
		set = *tt.TexCoord
	}
	if set < 0 || set >= maxUVSets {
		c.warnf("textures using TEXCOORD_%d were left out: only the first %d UV sets are exported", set, maxUVSets)
		return nil
	}
	// A channel is read from the image as it is (AR Quick Look and USD
	// select a UsdUVTexture output's channel), unless the caller asks for
	// grayscale copies; a grayscale image holds its value in r.
	fileKind, channel := kind, ""
	if kind != kindColor {
		channel = "r"
		if !c.opts.SplitChannels {
			fileKind, channel = kindColor, []string{"r", "g", "b"}[kind-kindR]
		}
	}
	file := c.tex.file(r.index, fileKind)
	if file == "" {
		return nil
	}
	if c.tex.gray[file] {
		channel = "r"
	}
	t := &slot{name: name, file: file, uvSet: set, wrapS: "repeat", wrapT: "repeat", channel: channel}
	if tt != nil && (tt.Offset != nil || tt.Rotation != nil || tt.Scale != nil) {
		t.transform = usdTransform(tt) // not only a texCoord override
	}
	if tex := &c.doc.Textures[r.index]; tex.Sampler != nil && *tex.Sampler >= 0 && *tex.Sampler < len(c.doc.Samplers) {
		sm := &c.doc.Samplers[*tex.Sampler]
		t.wrapS, t.wrapT = wrapMode(sm.WrapS), wrapMode(sm.WrapT)
	}
	s.slots = append(s.slots, t)
	return t
}

// wrapMode maps a glTF sampler wrap to UsdUVTexture's tokens.
func wrapMode(w *int) string {
	if w != nil {
		switch *w {
		case gltf.WrapClampToEdge:
			return "clamp"
		case gltf.WrapMirroredRepeat:
			return "mirror"
		}
	}
	return "repeat"
}

// write writes the Material prim: its surface output, the
// UsdPreviewSurface, one primvar reader per UV set used, and each
// texture's transform and UsdUVTexture.
func (s *surface) write(u *usda) {
	u.linef(`def Material "`, path.Base(s.path), `" (`)
	u.indent++
	s.writeMeta(u)
	u.indent--
	u.linef(`)`)
	u.linef(`{`)
	u.indent++
	u.linef(`token outputs:surface.connect = <`, s.path, `/PreviewSurface.outputs:surface>`)
	u.open(`def Shader "PreviewSurface"`)
	u.linef(`uniform token info:id = "UsdPreviewSurface"`)
	for _, in := range s.inputs {
		// A connected input gets no value: USD would ignore it, but some
		// readers (tinyusdz) take the value and drop the connection. The
		// factor the value held is the texture's scale.
		switch {
		case in.connect != "":
			u.linef(in.decl, ".connect = <", in.connect, ">")
		case in.value != "":
			u.linef(in.decl, " = ", in.value)
		}
	}
	u.linef(`token outputs:surface`)
	u.close()
	var sets []int
	for _, t := range s.slots {
		if !slices.Contains(sets, t.uvSet) {
			sets = append(sets, t.uvSet)
		}
	}
	slices.Sort(sets)
	for _, set := range sets {
		u.open(`def Shader "`, uvReaderName(set), `"`)
		u.linef(`uniform token info:id = "UsdPrimvarReader_float2"`)
		u.linef(`string inputs:varname = "`, uvName(set), `"`)
		u.linef(`float2 outputs:result`)
		u.close()
	}
	for _, t := range s.slots {
		s.writeTexture(u, t)
	}
	u.close()
}

// writeTexture writes a slot's UsdTransform2d (when it has one) and its
// UsdUVTexture.
func (s *surface) writeTexture(u *usda, t *slot) {
	st := s.readerPath(t.uvSet)
	if tr := t.transform; tr != nil {
		u.open(`def Shader "`, t.name, `Transform"`)
		u.linef(`uniform token info:id = "UsdTransform2d"`)
		u.linef(`float2 inputs:in.connect = <`, st, `>`)
		u.linef(`float inputs:rotation = `, num(tr.rot))
		u.linef(`float2 inputs:scale = `, vec(tr.scale[:]...))
		u.linef(`float2 inputs:translation = `, vec(tr.trans[:]...))
		u.linef(`float2 outputs:result`)
		u.close()
		st = s.path + "/" + t.name + "Transform.outputs:result"
	}
	u.open(`def Shader "`, t.name, `Texture"`)
	u.linef(`uniform token info:id = "UsdUVTexture"`)
	if t.bias != nil && !slices.Equal(t.bias, []float64{0, 0, 0, 0}) {
		u.linef(`float4 inputs:bias = `, vec(t.bias...))
	}
	u.linef(`asset inputs:file = @`, t.file, `@`)
	if t.scale != nil && !slices.Equal(t.scale, []float64{1, 1, 1, 1}) {
		u.linef(`float4 inputs:scale = `, vec(t.scale...))
	}
	space := "raw"
	if t.srgb {
		space = "sRGB"
	}
	u.linef(`token inputs:sourceColorSpace = "`, space, `"`)
	u.linef(`float2 inputs:st.connect = <`, st, `>`)
	u.linef(`token inputs:wrapS = "`, t.wrapS, `"`)
	u.linef(`token inputs:wrapT = "`, t.wrapT, `"`)
	for _, o := range t.outputs {
		typ := "float"
		if o == "rgb" {
			typ = "float3"
		}
		u.linef(typ, ` outputs:`, o)
	}
	u.close()
}

// usdTransform expresses a KHR_texture_transform in USD's texture space.
//
// glTF samples at M·uv with M = T(offset)·R(rotation)·S(scale), in a space
// whose V runs down the image; USD's t runs up and the converter writes
// st = F(uv) with F(u, v) = (u, 1 − v). The USD transform is then F·M·F,
// which UsdTransform2d (scale, then counter-clockwise rotation in degrees,
// then translation) spells as: the same scale, the rotation negated, and
// translation = (offset.x − scale.y·sin r, 1 − offset.y − scale.y·cos r).
func usdTransform(tt *gltf.TextureTransform) *uvTransform {
	off, r, sc := [2]float64{}, 0.0, [2]float64{1, 1}
	if tt.Offset != nil {
		off = *tt.Offset
	}
	if tt.Rotation != nil {
		r = *tt.Rotation
	}
	if tt.Scale != nil {
		sc = *tt.Scale
	}
	sin, cos := math.Sincos(r)
	return &uvTransform{rot: -r * 180 / math.Pi, scale: sc, trans: [2]float64{off[0] - sc[1]*sin, 1 - off[1] - sc[1]*cos}}
}

// uvTransform is a UsdTransform2d's inputs: rotation in degrees, scale and
// translation. Kept in USD's terms so that Retexture, which reads a
// material back from the layer, writes it again exactly as Convert did.
type uvTransform struct {
	rot          float64
	scale, trans [2]float64
}
