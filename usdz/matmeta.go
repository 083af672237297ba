package usdz

// The converter marks what Retexture needs in the root layer itself, so
// that a cached package can be retextured without its glTF:
//
//   - the layer's customLayerData holds the converter version (in
//     creator), the glTF document's material count (luneoMaterials) and
//     the MaxTextureSize the package was made with (luneoMaxTextureSize,
//     negative for no limit);
//   - each Material prim's customData holds its glTF material index
//     (luneoMaterial, -1 for the default material), the UV sets every mesh
//     bound to it has (luneoUVSets, glTF TEXCOORD_n numbers) and the
//     UsdPreviewSurface input its base colour feeds (luneoBaseColorInput:
//     diffuseColor, or emissiveColor for unlit materials).
//
// Prim names are not used for this: they come from glTF names, made unique.

// creatorPrefix starts the creator string of the layer; the Version follows.
const creatorPrefix = "Luneo glTF to USDZ converter "

// Keys of the markers.
const (
	metaMaterials      = "luneoMaterials"
	metaMaxTextureSize = "luneoMaxTextureSize"
	metaMaterial       = "luneoMaterial"
	metaUVSets         = "luneoUVSets"
	metaBaseColorInput = "luneoBaseColorInput"
)

// writeMeta writes the customData of a Material prim.
func (s *surface) writeMeta(u *usda) {
	u.linef(`customData = {`)
	u.indent++
	u.linef(`int `, metaMaterial, ` = `, itoa(s.index))
	u.linef(`int[] `, metaUVSets, ` = [`)
	first := true
	for set := 0; set < maxUVSets; set++ {
		if s.uvSets&(1<<set) != 0 {
			if !first {
				u.b = append(u.b, ", "...)
			}
			u.b = append(u.b, itoa(set)...)
			first = false
		}
	}
	u.b = append(u.b, ']')
	u.linef(`string `, metaBaseColorInput, ` = "`, s.baseColorInput(), `"`)
	u.indent--
	u.linef(`}`)
}

// baseColorInput is the UsdPreviewSurface input the base colour feeds.
func (s *surface) baseColorInput() string {
	if s.unlit {
		return "emissiveColor"
	}
	return "diffuseColor"
}
