package gltf

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// mapMaterialTextures calls f on every texture index material m refers to
// and stores what f returns: the core texture references and those inside
// material extensions, found by the convention every KHR material
// extension follows (a property named "…Texture" holding {"index": n}).
func mapMaterialTextures(m *Material, f func(int) int) {
	mapInfo := func(idx *int) { *idx = f(*idx) }
	if pbr := m.PBRMetallicRoughness; pbr != nil {
		if pbr.BaseColorTexture != nil {
			mapInfo(&pbr.BaseColorTexture.Index)
		}
		if pbr.MetallicRoughnessTexture != nil {
			mapInfo(&pbr.MetallicRoughnessTexture.Index)
		}
	}
	if m.NormalTexture != nil {
		mapInfo(&m.NormalTexture.Index)
	}
	if m.OcclusionTexture != nil {
		mapInfo(&m.OcclusionTexture.Index)
	}
	if m.EmissiveTexture != nil {
		mapInfo(&m.EmissiveTexture.Index)
	}
	for name, raw := range m.Extensions {
		if out, ok := mapJSONRefs(raw, textureRefs, f); ok {
			m.Extensions[name] = out
		}
	}
}

// mapTextureImages calls f on the image of texture t, core source and the
// "source" of extensions such as KHR_texture_basisu, storing the results.
func mapTextureImages(t *Texture, f func(int) int) {
	if t.Source != nil {
		t.Source = Ptr(f(*t.Source))
	}
	for name, raw := range t.Extensions {
		if out, ok := mapJSONRefs(raw, sourceRef, f); ok {
			t.Extensions[name] = out
		}
	}
}

// mapVariantMaterials calls f on the material of every
// KHR_materials_variants mapping of pr, storing the results.
func mapVariantMaterials(pr *Primitive, f func(int) int) {
	raw, ok := pr.Extensions[ExtMaterialsVariants]
	if !ok {
		return
	}
	if out, ok := mapJSONRefs(raw, variantRefs, f); ok {
		pr.Extensions[ExtMaterialsVariants] = out
	}
}

// A refFinder returns the index-holding objects of an extension's JSON
// tree and the key of the index in each.
type refFinder func(root any, visit func(obj map[string]any, key string))

// textureRefs finds {"index": n} under any key ending in "Texture", at any depth.
func textureRefs(root any, visit func(map[string]any, string)) {
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if o, ok := e.(map[string]any); ok && strings.HasSuffix(k, "Texture") {
					if _, ok := o["index"].(json.Number); ok {
						visit(o, "index")
					}
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(root)
}

// sourceRef finds the top-level "source" of a texture extension.
func sourceRef(root any, visit func(map[string]any, string)) {
	if o, ok := root.(map[string]any); ok {
		if _, ok := o["source"].(json.Number); ok {
			visit(o, "source")
		}
	}
}

// variantRefs finds the "material" of each KHR_materials_variants mapping.
func variantRefs(root any, visit func(map[string]any, string)) {
	o, _ := root.(map[string]any)
	maps, _ := o["mappings"].([]any)
	for _, m := range maps {
		if mo, ok := m.(map[string]any); ok {
			if _, ok := mo["material"].(json.Number); ok {
				visit(mo, "material")
			}
		}
	}
}

// mapJSONRefs applies f to the indices find locates in raw and returns the
// re-encoded JSON, with ok false when nothing changed (raw stays as is).
func mapJSONRefs(raw json.RawMessage, find refFinder, f func(int) int) (json.RawMessage, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var root any
	if dec.Decode(&root) != nil {
		return nil, false // validation has checked it; leave it alone
	}
	changed := false
	find(root, func(obj map[string]any, key string) {
		old, err := strconv.Atoi(string(obj[key].(json.Number)))
		if err != nil {
			return
		}
		if n := f(old); n != old {
			obj[key] = json.Number(strconv.Itoa(n))
			changed = true
		}
	})
	if !changed {
		return nil, false
	}
	out, err := json.Marshal(root)
	if err != nil {
		return nil, false
	}
	return out, true
}
