package gltf

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Names of the extensions this package understands: a file may require them.
const (
	ExtMaterialsVariants         = "KHR_materials_variants"
	ExtTextureTransform          = "KHR_texture_transform"
	ExtMaterialsEmissiveStrength = "KHR_materials_emissive_strength"
	ExtMeshQuantization          = "KHR_mesh_quantization"
	ExtMaterialsUnlit            = "KHR_materials_unlit"
)

// Understood reports whether a file that lists ext in extensionsRequired can
// be read: the extension either needs no decoding or is decoded here.
func Understood(ext string) bool {
	switch ext {
	case ExtMaterialsVariants, ExtTextureTransform, ExtMaterialsEmissiveStrength, ExtMeshQuantization, ExtMaterialsUnlit:
		return true
	}
	return false
}

// unsupportedHelp describes extensions that files commonly require, so the
// refusal tells the user what the feature is and how to export without it.
var unsupportedHelp = map[string][2]string{
	"KHR_draco_mesh_compression":          {"Draco mesh compression", "export the model without Draco compression"},
	"EXT_meshopt_compression":             {"meshoptimizer compression", "export the model without meshopt compression"},
	"KHR_meshopt_compression":             {"meshoptimizer compression", "export the model without meshopt compression"},
	"KHR_texture_basisu":                  {"KTX2/Basis Universal textures", "export the textures as PNG or JPEG"},
	"EXT_texture_webp":                    {"WebP textures", "export the textures as PNG or JPEG"},
	"EXT_texture_avif":                    {"AVIF textures", "export the textures as PNG or JPEG"},
	"KHR_materials_pbrSpecularGlossiness": {"specular-glossiness materials", "export the materials as metallic-roughness (the glTF 2.0 default)"},
	"KHR_mesh_gpu_instancing":             {"GPU instancing", "export the model with instancing turned off"},
	"EXT_mesh_gpu_instancing":             {"GPU instancing", "export the model with instancing turned off"},
}

// UnsupportedExtensionError is returned by the readers when a file requires
// extensions this package cannot decode. The file itself may be valid.
type UnsupportedExtensionError struct {
	Extensions []string // every required extension that is not understood
}

// Error names each extension, says what it is and how to fix the file, e.g.
// "this file requires KHR_draco_mesh_compression (Draco mesh compression),
// which Luneo does not decode yet: export the model without Draco compression".
func (e *UnsupportedExtensionError) Error() string {
	parts := make([]string, 0, len(e.Extensions))
	for _, ext := range e.Extensions {
		what, fix := "an extension Luneo does not support", "export the model without it"
		if h, ok := unsupportedHelp[ext]; ok {
			what, fix = h[0], h[1]
		}
		parts = append(parts, fmt.Sprintf("%s (%s), which Luneo does not decode yet: %s", ext, what, fix))
	}
	return "this file requires " + strings.Join(parts, "; it also requires ")
}

// checkRequired returns an *UnsupportedExtensionError when doc requires
// extensions that are not understood.
func checkRequired(doc *Document) error {
	var missing []string
	for _, ext := range doc.ExtensionsRequired {
		if !Understood(ext) {
			missing = append(missing, ext)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return &UnsupportedExtensionError{Extensions: missing}
}

// DecodeExtension unmarshals the extension called name from exts into v.
// It reports false when the extension is absent.
func DecodeExtension(exts map[string]json.RawMessage, name string, v any) (bool, error) {
	raw, ok := exts[name]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("decode %s: %w", name, err)
	}
	return true, nil
}

// EncodeExtension stores v as the extension called name in *exts, creating
// the map when needed. Callers also add name to Document.ExtensionsUsed
// (see Document.UseExtension).
func EncodeExtension(exts *map[string]json.RawMessage, name string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	if *exts == nil {
		*exts = make(map[string]json.RawMessage)
	}
	(*exts)[name] = raw
	return nil
}

// UseExtension adds ext to ExtensionsUsed (once), and to ExtensionsRequired
// too when required is set.
func (d *Document) UseExtension(ext string, required bool) {
	if !containsStr(d.ExtensionsUsed, ext) {
		d.ExtensionsUsed = append(d.ExtensionsUsed, ext)
	}
	if required && !containsStr(d.ExtensionsRequired, ext) {
		d.ExtensionsRequired = append(d.ExtensionsRequired, ext)
	}
}

// TextureTransform is KHR_texture_transform on a texture reference: UV
// offset, rotation (radians, counter-clockwise) and scale, and an optional
// TEXCOORD set that replaces the reference's own.
type TextureTransform struct {
	Offset   *[2]float64     `json:"offset,omitempty"`
	Rotation *float64        `json:"rotation,omitempty"`
	Scale    *[2]float64     `json:"scale,omitempty"`
	TexCoord *int            `json:"texCoord,omitempty"`
	Extras   json.RawMessage `json:"extras,omitempty"`
}

// Transform returns the KHR_texture_transform of the reference, or nil.
func (t *TextureInfo) Transform() (*TextureTransform, error) {
	var tt TextureTransform
	ok, err := DecodeExtension(t.Extensions, ExtTextureTransform, &tt)
	if !ok || err != nil {
		return nil, err
	}
	return &tt, nil
}

// EmissiveStrength returns the KHR_materials_emissive_strength multiplier
// of the material, 1 when the extension is absent.
func (m *Material) EmissiveStrength() (float64, error) {
	var es struct {
		EmissiveStrength *float64 `json:"emissiveStrength"`
	}
	ok, err := DecodeExtension(m.Extensions, ExtMaterialsEmissiveStrength, &es)
	if !ok || err != nil || es.EmissiveStrength == nil {
		return 1, err
	}
	return *es.EmissiveStrength, nil
}

// IsUnlit reports whether the material uses KHR_materials_unlit (shaded
// with its base colour only, no lighting).
func (m *Material) IsUnlit() bool {
	_, ok := m.Extensions[ExtMaterialsUnlit]
	return ok
}

// Variant is a named material variant of KHR_materials_variants (for
// example a colour of a product).
type Variant struct {
	Name   string          `json:"name"`
	Extras json.RawMessage `json:"extras,omitempty"`
}

// VariantMapping says which material a primitive uses for some variants.
type VariantMapping struct {
	Variants []int           `json:"variants"`
	Material int             `json:"material"`
	Name     string          `json:"name,omitempty"`
	Extras   json.RawMessage `json:"extras,omitempty"`
}

// Variants returns the document's KHR_materials_variants list, or nil.
func (d *Document) Variants() ([]Variant, error) {
	var v struct {
		Variants []Variant `json:"variants"`
	}
	_, err := DecodeExtension(d.Extensions, ExtMaterialsVariants, &v)
	return v.Variants, err
}

// VariantMappings returns the primitive's KHR_materials_variants mappings, or nil.
func (p *Primitive) VariantMappings() ([]VariantMapping, error) {
	var v struct {
		Mappings []VariantMapping `json:"mappings"`
	}
	_, err := DecodeExtension(p.Extensions, ExtMaterialsVariants, &v)
	return v.Mappings, err
}

// Quantized reports whether the document uses KHR_mesh_quantization, which
// allows integer vertex attributes (positions, normals, UVs).
func (d *Document) Quantized() bool { return containsStr(d.ExtensionsUsed, ExtMeshQuantization) }

// Checker specs for the understood extensions, by extension then by the
// kind of object that may hold it.
var extSpecs = map[string]map[string]*objSpec{
	ExtTextureTransform: {"textureInfo": spec(ExtTextureTransform, "", nil,
		fNumVec("offset", 2), fNum("rotation"), fNumVec("scale", 2), fInt("texCoord", 0))},
	ExtMaterialsEmissiveStrength: {"material": spec(ExtMaterialsEmissiveStrength, "", nil,
		fInt0Num("emissiveStrength"))},
	ExtMaterialsUnlit: {"material": spec(ExtMaterialsUnlit, "", nil)},
	ExtMaterialsVariants: {
		"root": spec(ExtMaterialsVariants, "", nil,
			fObjArr("variants", spec("variant", "", nil, fStr("name").required())).required()),
		"primitive": spec(ExtMaterialsVariants, "", nil,
			fObjArr("mappings", spec("variant mapping", "", nil,
				fIdxSet("variants").required(), fIndex("material").required(), fStr("name"))).required()),
	},
}

// extensions checks an "extensions" object held by an object of kind owner.
func (c *checker) extensions(owner, p string, v any) {
	o, ok := v.(map[string]any)
	if !ok {
		c.mismatch(p, v, "an object")
		return
	}
	for name, ev := range o {
		ep := p + "/" + escapeKey(name)
		if !c.used[name] {
			c.rep.addf(SeverityError, "UNDECLARED_EXTENSION", ep, "extension %s is used here but not declared in extensionsUsed", name)
		}
		specs, known := extSpecs[name]
		if !known {
			if _, isObj := ev.(map[string]any); !isObj {
				c.mismatch(ep, ev, "an object")
			}
			continue
		}
		s, ok := specs[owner]
		if !ok {
			c.rep.addf(SeverityError, "UNEXPECTED_EXTENSION_OBJECT", ep, "extension %s cannot be used on a %s", name, owner)
			continue
		}
		c.object(s, ep, ev)
	}
}
