package catalog

import (
	"context"
	"fmt"
	"io"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
)

// What the design render pipeline reads of a product. Like modelref.go,
// these functions check no permission: a render job works on its own
// arguments, which a permission-checked request enqueued.

// RenderSource is a product's model and zones as a render job needs them.
type RenderSource struct {
	Model ModelRef
	Zones []Zone
	// Materials holds, by material name, what the design texture of a zone
	// on that material starts from; only the materials of the zones.
	Materials map[string]MaterialSource
}

// MaterialSource is the base colour of one model material.
type MaterialSource struct {
	Name  string
	Index int
	// TexCoord is the UV set the base colour texture is read with (and so
	// the one a zone's UV rect is drawn in); 0 when there is no texture.
	TexCoord int
	// Factor is the base colour factor (linear RGBA), which a material with
	// no texture is filled with.
	Factor [4]float64
	// Image is the encoded base colour texture, nil when there is none.
	Image    []byte
	MimeType string
	// Shared says other materials show the same image: the design texture
	// must then be a copy for this material only.
	Shared bool
	// Transformed says the texture carries KHR_texture_transform, which
	// moves its UVs: the zone rect is then drawn in the transformed space.
	Transformed bool
}

// ZoneMask returns the PNG bytes of a zone's mask (nil when it has none).
func (s *Service) ZoneMask(ctx context.Context, z Zone) ([]byte, error) {
	if z.Mask == nil || z.Mask.key == "" {
		return nil, nil
	}
	rc, _, err := s.blobs.Get(ctx, z.Mask.key, nil)
	if err != nil {
		return nil, fmt.Errorf("read zone mask: %w", err)
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, maxTextureImage))
}

// RenderSourceOf loads the product's model reference, its zones and the
// base colour of every material a zone covers. A product of another brand,
// or without a model, is not found.
func (s *Service) RenderSourceOf(ctx context.Context, brandID, productID string) (RenderSource, error) {
	ref, err := s.ProductModelRef(ctx, productID)
	if err != nil {
		return RenderSource{}, err
	}
	if ref.BrandID != brandID {
		return RenderSource{}, apperr.New(apperr.NotFound, "no such product with a 3D model")
	}
	zones, err := loadZones(ctx, s.db, brandID, productID, "")
	if err != nil {
		return RenderSource{}, err
	}
	doc, binStart, err := s.canonicalJSON(ctx, ref.GLBKey)
	if err != nil {
		return RenderSource{}, err
	}
	src := RenderSource{Model: ref, Zones: zones, Materials: map[string]MaterialSource{}}
	users := imageUsers(doc)
	for _, z := range zones {
		if _, done := src.Materials[z.Material]; done {
			continue
		}
		m, err := s.materialSource(ctx, ref.GLBKey, binStart, doc, z.Material, users)
		if err != nil {
			return RenderSource{}, err
		}
		src.Materials[z.Material] = m
	}
	return src, nil
}

// materialSource reads the base colour of the material named name.
func (s *Service) materialSource(ctx context.Context, key string, binStart int64, doc *gltf.Document, name string, users map[int]int) (MaterialSource, error) {
	idx := -1
	for i, mat := range doc.Materials {
		if mat.Name == name && name != "" {
			idx = i
			break
		}
	}
	if idx < 0 {
		return MaterialSource{}, apperr.New(apperr.Unprocessable, "the model has no material named %q any more: edit the zone", name)
	}
	mat := doc.Materials[idx]
	m := MaterialSource{Name: name, Index: idx, Factor: [4]float64{1, 1, 1, 1}}
	if mat.PBRMetallicRoughness != nil && mat.PBRMetallicRoughness.BaseColorFactor != nil {
		m.Factor = *mat.PBRMetallicRoughness.BaseColorFactor
	}
	t, ok := baseColorTexture(doc, mat)
	if !ok {
		return m, nil
	}
	info := mat.PBRMetallicRoughness.BaseColorTexture
	m.TexCoord = info.TexCoord
	_, m.Transformed = info.Extensions["KHR_texture_transform"]
	img := textureSource(doc.Textures[t])
	m.Shared = users[img] > 1
	data, err := s.textureImage(ctx, key, binStart, doc, img, name)
	if err != nil || data == nil {
		return m, err
	}
	m.Image, m.MimeType = data, imageType(data)
	return m, nil
}

// imageUsers counts, per image, the materials whose textures show it.
func imageUsers(doc *gltf.Document) map[int]int {
	users := map[int]int{}
	for _, mat := range doc.Materials {
		seen := map[int]bool{}
		for _, ti := range materialTextures(mat) {
			if ti < 0 || ti >= len(doc.Textures) {
				continue
			}
			if img := textureSource(doc.Textures[ti]); img >= 0 && !seen[img] {
				seen[img] = true
				users[img]++
			}
		}
	}
	return users
}

// materialTextures lists the texture indices a material uses.
func materialTextures(mat gltf.Material) []int {
	var out []int
	if p := mat.PBRMetallicRoughness; p != nil {
		if p.BaseColorTexture != nil {
			out = append(out, p.BaseColorTexture.Index)
		}
		if p.MetallicRoughnessTexture != nil {
			out = append(out, p.MetallicRoughnessTexture.Index)
		}
	}
	if mat.NormalTexture != nil {
		out = append(out, mat.NormalTexture.Index)
	}
	if mat.OcclusionTexture != nil {
		out = append(out, mat.OcclusionTexture.Index)
	}
	if mat.EmissiveTexture != nil {
		out = append(out, mat.EmissiveTexture.Index)
	}
	return out
}
