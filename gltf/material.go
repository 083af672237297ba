package gltf

import "encoding/json"

// Material describes a surface with the metallic-roughness PBR model.
// Nil pointers mean the spec defaults (see the *OrDefault methods).
type Material struct {
	Name                 string                     `json:"name,omitempty"`
	PBRMetallicRoughness *PBRMetallicRoughness      `json:"pbrMetallicRoughness,omitempty"`
	NormalTexture        *NormalTextureInfo         `json:"normalTexture,omitempty"`
	OcclusionTexture     *OcclusionTextureInfo      `json:"occlusionTexture,omitempty"`
	EmissiveTexture      *TextureInfo               `json:"emissiveTexture,omitempty"`
	EmissiveFactor       *[3]float64                `json:"emissiveFactor,omitempty"`
	AlphaMode            string                     `json:"alphaMode,omitempty"`
	AlphaCutoff          *float64                   `json:"alphaCutoff,omitempty"`
	DoubleSided          bool                       `json:"doubleSided,omitempty"`
	Extensions           map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras               json.RawMessage            `json:"extras,omitempty"`
}

// AlphaModeOrDefault returns the alpha mode, AlphaOpaque when unset.
func (m *Material) AlphaModeOrDefault() string {
	if m.AlphaMode == "" {
		return AlphaOpaque
	}
	return m.AlphaMode
}

// AlphaCutoffOrDefault returns the alpha cutoff, 0.5 when unset.
func (m *Material) AlphaCutoffOrDefault() float64 {
	if m.AlphaCutoff == nil {
		return 0.5
	}
	return *m.AlphaCutoff
}

// PBRMetallicRoughness holds the base colour and metal/roughness inputs.
type PBRMetallicRoughness struct {
	BaseColorFactor          *[4]float64                `json:"baseColorFactor,omitempty"`
	BaseColorTexture         *TextureInfo               `json:"baseColorTexture,omitempty"`
	MetallicFactor           *float64                   `json:"metallicFactor,omitempty"`
	RoughnessFactor          *float64                   `json:"roughnessFactor,omitempty"`
	MetallicRoughnessTexture *TextureInfo               `json:"metallicRoughnessTexture,omitempty"`
	Extensions               map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras                   json.RawMessage            `json:"extras,omitempty"`
}

// BaseColorFactorOrDefault returns the base colour factor, opaque white when unset.
func (p *PBRMetallicRoughness) BaseColorFactorOrDefault() [4]float64 {
	if p == nil || p.BaseColorFactor == nil {
		return [4]float64{1, 1, 1, 1}
	}
	return *p.BaseColorFactor
}

// TextureInfo references a texture and the TEXCOORD_n set it is sampled with.
type TextureInfo struct {
	Index      int                        `json:"index"`
	TexCoord   int                        `json:"texCoord,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// NormalTextureInfo is a normal map reference; nil Scale means 1.
type NormalTextureInfo struct {
	Index      int                        `json:"index"`
	TexCoord   int                        `json:"texCoord,omitempty"`
	Scale      *float64                   `json:"scale,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// OcclusionTextureInfo is an ambient occlusion map reference; nil Strength means 1.
type OcclusionTextureInfo struct {
	Index      int                        `json:"index"`
	TexCoord   int                        `json:"texCoord,omitempty"`
	Strength   *float64                   `json:"strength,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// Texture pairs an image (Source) with a sampler.
type Texture struct {
	Name       string                     `json:"name,omitempty"`
	Sampler    *int                       `json:"sampler,omitempty"`
	Source     *int                       `json:"source,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// Sampler holds texture filtering and wrapping. Zero filters mean "not
// given"; nil wraps mean WrapRepeat.
type Sampler struct {
	Name       string                     `json:"name,omitempty"`
	MagFilter  int                        `json:"magFilter,omitempty"`
	MinFilter  int                        `json:"minFilter,omitempty"`
	WrapS      *int                       `json:"wrapS,omitempty"`
	WrapT      *int                       `json:"wrapT,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`
}

// Image is a texture image stored either in a buffer view (BufferView and
// MimeType set) or behind a URI. Data holds the bytes of a URI image once
// read (data URI or zip entry); use Document.ImageData to get the bytes of
// any image whichever way it is stored.
type Image struct {
	Name       string                     `json:"name,omitempty"`
	URI        string                     `json:"uri,omitempty"`
	MimeType   string                     `json:"mimeType,omitempty"`
	BufferView *int                       `json:"bufferView,omitempty"`
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
	Extras     json.RawMessage            `json:"extras,omitempty"`

	Data []byte `json:"-"`
}
