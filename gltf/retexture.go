package gltf

import (
	"fmt"
	"slices"
)

// BaseColorSwap replaces the base-colour texture of one material by an
// already encoded image: how a shopper's design reaches a product's GLB.
type BaseColorSwap struct {
	Material int    // glTF material index
	Data     []byte // PNG or JPEG bytes, sRGB
	TexCoord int    // the TEXCOORD_n set the image is sampled with
	// FactorWhite sets the material's baseColorFactor to opaque white: the
	// image already holds the colour (made from the factor when the
	// material had no texture).
	FactorWhite bool
}

// WithBaseColors returns a copy of doc in which each swapped material
// samples its new image; doc is not modified and shares its geometry with
// the copy (no geometry work: per-design GLBs are built in milliseconds).
//
// When the old texture and its image serve only that material's base
// colour, the image is replaced in place, so the old bytes leave the file;
// otherwise (an image shared with other materials or other slots) a new
// image and texture are added for the swapped material alone, and the
// others keep the old one. The old texture's sampler and
// KHR_texture_transform are kept: the design texture lives in the same UV
// space as the image it replaces.
func WithBaseColors(doc *Document, swaps []BaseColorSwap) (*Document, error) {
	out := *doc
	out.Report = Report{}
	out.Materials = slices.Clone(doc.Materials)
	out.Textures = slices.Clone(doc.Textures)
	out.Images = slices.Clone(doc.Images)
	texRefs, imgRefs := textureUse(doc)
	dropViews := map[int]bool{}
	for _, s := range swaps {
		if s.Material < 0 || s.Material >= len(out.Materials) {
			return nil, fmt.Errorf("base colour swap: material %d does not exist (the model has %d)", s.Material, len(out.Materials))
		}
		mime := ImageMIME(s.Data)
		if mime != "image/png" && mime != "image/jpeg" {
			return nil, fmt.Errorf("base colour swap of material %d: the image is not PNG or JPEG", s.Material)
		}
		if s.TexCoord < 0 {
			return nil, fmt.Errorf("base colour swap of material %d: texCoord %d is negative", s.Material, s.TexCoord)
		}
		m := out.Materials[s.Material]
		pbr := PBRMetallicRoughness{}
		if m.PBRMetallicRoughness != nil {
			pbr = *m.PBRMetallicRoughness
		}
		info := TextureInfo{TexCoord: s.TexCoord}
		if old := pbr.BaseColorTexture; old != nil {
			info.Extensions, info.Extras = old.Extensions, old.Extras
		}
		if old := pbr.BaseColorTexture; old != nil && exclusive(doc, old.Index, texRefs, imgRefs) {
			src := *doc.Textures[old.Index].Source
			if bv := doc.Images[src].BufferView; bv != nil {
				dropViews[*bv] = true
			}
			out.Images[src] = Image{Name: doc.Images[src].Name, MimeType: mime, Data: s.Data}
			info.Index = old.Index
		} else {
			tex := Texture{Source: Ptr(len(out.Images))}
			if old != nil && old.Index >= 0 && old.Index < len(doc.Textures) {
				tex.Sampler = doc.Textures[old.Index].Sampler
			}
			out.Images = append(out.Images, Image{Name: fmt.Sprintf("design-material-%d", s.Material), MimeType: mime, Data: s.Data})
			out.Textures = append(out.Textures, tex)
			info.Index = len(out.Textures) - 1
		}
		pbr.BaseColorTexture = &info
		if s.FactorWhite {
			pbr.BaseColorFactor = nil
		}
		m.PBRMetallicRoughness = &pbr
		out.Materials[s.Material] = m
	}
	dropBufferViews(&out, dropViews)
	return &out, nil
}

// textureUse counts the references to each texture (from every material
// slot, extensions included) and to each image (from every texture).
func textureUse(doc *Document) (tex, img map[int]int) {
	tex, img = map[int]int{}, map[int]int{}
	for i := range doc.Materials {
		materialTextureRefs(&doc.Materials[i], func(t int) { tex[t]++ })
	}
	for i := range doc.Textures {
		t := doc.Textures[i]
		mapTextureImages(&t, func(im int) int { img[im]++; return im })
	}
	return tex, img
}

// materialTextureRefs calls visit on every texture index material m
// refers to, core slots and material extensions alike, without writing
// anything: the document may be read by other goroutines at the same time
// (a product's cached document serves every design on it).
func materialTextureRefs(m *Material, visit func(int)) {
	infos := []*TextureInfo{m.EmissiveTexture}
	if p := m.PBRMetallicRoughness; p != nil {
		infos = append(infos, p.BaseColorTexture, p.MetallicRoughnessTexture)
	}
	for _, ti := range infos {
		if ti != nil {
			visit(ti.Index)
		}
	}
	if m.NormalTexture != nil {
		visit(m.NormalTexture.Index)
	}
	if m.OcclusionTexture != nil {
		visit(m.OcclusionTexture.Index)
	}
	for _, raw := range m.Extensions {
		mapJSONRefs(raw, textureRefs, func(t int) int { visit(t); return t }) // returns a copy; raw is untouched
	}
}

// exclusive reports whether texture t and its image serve one material
// slot only, so that replacing the image changes nothing else.
func exclusive(doc *Document, t int, texRefs, imgRefs map[int]int) bool {
	if t < 0 || t >= len(doc.Textures) || texRefs[t] != 1 {
		return false
	}
	tx := doc.Textures[t]
	if tx.Source == nil || len(tx.Extensions) > 0 {
		return false
	}
	src := *tx.Source
	return src >= 0 && src < len(doc.Images) && imgRefs[src] == 1
}

// dropBufferViews removes the buffer views of replaced images so their
// bytes leave the file, renumbering the references to the others. Buffer
// views named inside extensions (meshopt, Draco) cannot be renumbered
// safely here, so with those extensions the views are only left unused.
func dropBufferViews(doc *Document, drop map[int]bool) {
	if len(drop) == 0 || len(doc.BufferViews) == 0 {
		return
	}
	for _, ext := range doc.ExtensionsUsed {
		if ext == "EXT_meshopt_compression" || ext == "KHR_draco_mesh_compression" {
			return
		}
	}
	// A view still read by an accessor or by an image that stays is kept
	// (never expected of an image's view, but the file decides).
	for _, a := range doc.Accessors {
		if a.BufferView != nil {
			delete(drop, *a.BufferView)
		}
		if a.Sparse != nil {
			delete(drop, a.Sparse.Indices.BufferView)
			delete(drop, a.Sparse.Values.BufferView)
		}
	}
	for _, im := range doc.Images {
		if im.BufferView != nil {
			delete(drop, *im.BufferView)
		}
	}
	if len(drop) == 0 {
		return
	}
	keep := make([]bool, len(doc.BufferViews))
	for i := range keep {
		keep[i] = !drop[i]
	}
	idx := newIndexMap(keep)
	doc.BufferViews = filterUsed(doc.BufferViews, keep)
	doc.Accessors = slices.Clone(doc.Accessors)
	for i := range doc.Accessors {
		a := &doc.Accessors[i]
		a.BufferView = idx.ptr(a.BufferView)
		if a.Sparse != nil {
			sp := *a.Sparse
			sp.Indices.BufferView = idx.to[sp.Indices.BufferView]
			sp.Values.BufferView = idx.to[sp.Values.BufferView]
			a.Sparse = &sp
		}
	}
	for i := range doc.Images {
		doc.Images[i].BufferView = idx.ptr(doc.Images[i].BufferView)
	}
}
