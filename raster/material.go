package raster

import (
	"fmt"
	"math"

	"github.com/luneo/luneo/gltf"
)

// Alpha modes.
const (
	alphaOpaque = iota
	alphaMask
	alphaBlend
)

// texRef is a material's use of a texture: which pyramid, which UV set,
// how it wraps and its KHR_texture_transform as a 2×3 affine matrix.
type texRef struct {
	mip      *mipmap
	texCoord int
	ws, wt   int
	xf       [6]float64 // u' = xf0·u + xf1·v + xf2, v' = xf3·u + xf4·v + xf5
	hasXf    bool
}

// uv applies the texture transform.
func (r *texRef) uv(u, v float64) (float64, float64) {
	if !r.hasXf {
		return u, v
	}
	x := &r.xf
	return x[0]*u + x[1]*v + x[2], x[3]*u + x[4]*v + x[5]
}

// material is a glTF material reduced to what the shader reads, factors
// in linear space as glTF stores them.
type material struct {
	base        [4]float32
	baseTex     *texRef
	metal       float32
	rough       float32
	mrTex       *texRef
	normTex     *texRef
	normScale   float32
	occTex      *texRef
	occStrength float32
	emissive    [3]float32
	emisTex     *texRef
	alpha       int
	cutoff      float32
	doubleSided bool
	unlit       bool
}

// defaultMaterial is the spec's material for primitives without one.
func defaultMaterial() material {
	return material{base: [4]float32{1, 1, 1, 1}, metal: 1, rough: 1, normScale: 1, occStrength: 1, cutoff: 0.5}
}

// textureCache decodes each (image, colour space) once per Load.
type textureCache struct {
	doc    *gltf.Document
	maxTex int
	tables *srgbTables
	mips   map[[2]int]*mipmap
}

// ref resolves a texture reference; a reference to nothing usable is an
// error, except a texture without a source, which is drawn as absent.
func (c *textureCache) ref(index, texCoord int, exts *gltf.TextureInfo, srgb bool) (*texRef, error) {
	d := c.doc
	if index < 0 || index >= len(d.Textures) {
		return nil, fmt.Errorf("texture %d does not exist", index)
	}
	tex := &d.Textures[index]
	if tex.Source == nil {
		return nil, nil
	}
	img := *tex.Source
	key := [2]int{img, 0}
	if srgb {
		key[1] = 1
	}
	m := c.mips[key] // decoded by prepare
	if m == nil {
		return nil, fmt.Errorf("image %d was not decoded", img)
	}
	r := &texRef{mip: m, texCoord: texCoord, ws: wrapRepeat, wt: wrapRepeat}
	if tex.Sampler != nil && *tex.Sampler >= 0 && *tex.Sampler < len(d.Samplers) {
		s := &d.Samplers[*tex.Sampler]
		if s.WrapS != nil {
			r.ws = *s.WrapS
		}
		if s.WrapT != nil {
			r.wt = *s.WrapT
		}
	}
	if exts != nil {
		tt, err := exts.Transform()
		if err != nil {
			return nil, fmt.Errorf("texture %d: %w", index, err)
		}
		if tt != nil {
			r.setTransform(tt)
		}
	}
	return r, nil
}

// setTransform stores offset · rotation · scale (KHR_texture_transform).
func (r *texRef) setTransform(tt *gltf.TextureTransform) {
	off, rot, sc := [2]float64{}, 0.0, [2]float64{1, 1}
	if tt.Offset != nil {
		off = *tt.Offset
	}
	if tt.Rotation != nil {
		rot = *tt.Rotation
	}
	if tt.Scale != nil {
		sc = *tt.Scale
	}
	cs, sn := math.Cos(rot), math.Sin(rot)
	r.xf = [6]float64{cs * sc[0], sn * sc[1], off[0], -sn * sc[0], cs * sc[1], off[1]}
	r.hasXf = true
	if tt.TexCoord != nil {
		r.texCoord = *tt.TexCoord
	}
}

// newMaterial converts glTF material m, decoding its textures through c.
func newMaterial(m *gltf.Material, c *textureCache) (material, error) {
	out := defaultMaterial()
	var err error
	info := func(t *gltf.TextureInfo, srgb bool) *texRef {
		if t == nil || err != nil {
			return nil
		}
		var r *texRef
		r, err = c.ref(t.Index, t.TexCoord, t, srgb)
		return r
	}
	if p := m.PBRMetallicRoughness; p != nil {
		f := p.BaseColorFactorOrDefault()
		out.base = [4]float32{float32(f[0]), float32(f[1]), float32(f[2]), float32(f[3])}
		if p.MetallicFactor != nil {
			out.metal = float32(*p.MetallicFactor)
		}
		if p.RoughnessFactor != nil {
			out.rough = float32(*p.RoughnessFactor)
		}
		out.baseTex = info(p.BaseColorTexture, true)
		out.mrTex = info(p.MetallicRoughnessTexture, false)
	}
	if n := m.NormalTexture; n != nil {
		out.normTex = info(&gltf.TextureInfo{Index: n.Index, TexCoord: n.TexCoord, Extensions: n.Extensions}, false)
		if n.Scale != nil {
			out.normScale = float32(*n.Scale)
		}
	}
	if o := m.OcclusionTexture; o != nil {
		out.occTex = info(&gltf.TextureInfo{Index: o.Index, TexCoord: o.TexCoord, Extensions: o.Extensions}, false)
		if o.Strength != nil {
			out.occStrength = float32(*o.Strength)
		}
	}
	out.emisTex = info(m.EmissiveTexture, true)
	if err != nil {
		return out, err
	}
	strength, err := m.EmissiveStrength()
	if err != nil {
		return out, err
	}
	if e := m.EmissiveFactor; e != nil {
		for k := 0; k < 3; k++ {
			out.emissive[k] = float32(e[k] * strength)
		}
	}
	switch m.AlphaModeOrDefault() {
	case "MASK":
		out.alpha = alphaMask
		out.cutoff = float32(m.AlphaCutoffOrDefault())
	case "BLEND":
		out.alpha = alphaBlend
	}
	out.doubleSided = m.DoubleSided
	out.unlit = m.IsUnlit()
	return out, nil
}
