package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/platform/blob"
)

// What the widget's customizer shows of a product. Like ProductZones, it
// checks no principal: the widget handshake fixed the brand, and only an
// active product is shown. Every URL is signed for URLTTL, so the iframe
// loads the model, textures and masks straight from the blob store.

// ShopperProduct is an active product as a shopper customizes it.
type ShopperProduct struct {
	Product Product
	// Model is nil while the product has no 3D model.
	Model *ShopperModel
	// Materials are the model's materials in glTF order.
	Materials []ShopperMaterial
	// Zones are in display order, with signed mask URLs.
	Zones []Zone
	// Rules are its customization prices.
	Rules []PriceRule
}

// ShopperModel is the product's viewer model.
type ShopperModel struct {
	ID     string
	GLBURL string
}

// ShopperMaterial is a material of the model as the zone editor draws it.
type ShopperMaterial struct {
	Name string `json:"name"`
	// TextureURL is the base colour texture's image (nil when the material
	// has none); Width and Height its size in pixels.
	TextureURL *string `json:"texture_url"`
	Width      int     `json:"width"`
	Height     int     `json:"height"`
	// BaseColor is the base colour factor as sRGB "#rrggbb".
	BaseColor string `json:"base_color"`
}

// ShopperView returns brandID's active product productID with its model,
// materials and zones; any other product (draft, archived, another
// brand's, unknown) is not found.
func (s *Service) ShopperView(ctx context.Context, brandID, productID string) (ShopperProduct, error) {
	pr, err := getProduct(ctx, s.db, brandID, productID)
	if err != nil {
		return ShopperProduct{}, err
	}
	if pr.Status != Active {
		return ShopperProduct{}, errProductNotFound
	}
	out := ShopperProduct{Product: pr, Materials: []ShopperMaterial{}}
	if out.Zones, err = loadZones(ctx, s.db, brandID, productID, ""); err != nil {
		return ShopperProduct{}, err
	}
	out.Zones = nonNil(out.Zones)
	if out.Rules, err = priceRules(ctx, s.db, brandID, productID); err != nil {
		return ShopperProduct{}, err
	}
	for i := range out.Zones {
		if err := s.signMask(ctx, &out.Zones[i]); err != nil {
			return ShopperProduct{}, err
		}
	}
	m, err := loadModel(ctx, s.db, brandID, productID)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return ShopperProduct{}, err
	}
	glb, err := s.blobs.SignedURL(ctx, m.Canonical.key, URLTTL, blob.URLOptions{ContentType: glbType})
	if err != nil {
		return ShopperProduct{}, fmt.Errorf("sign model %s: %w", m.ID, err)
	}
	out.Model = &ShopperModel{ID: m.ID, GLBURL: glb}
	if err := s.zoneViews(ctx, brandID, m, out.Zones); err != nil {
		// The view only turns the camera: the customizer works without it.
		s.logger.WarnContext(ctx, "zone views not found", "product", productID, "error", err)
	}
	if out.Materials, err = s.shopperMaterials(ctx, brandID, m); err != nil {
		return ShopperProduct{}, err
	}
	return out, nil
}

// shopperMaterials describes the model's materials, with signed URLs of
// their base colour textures.
func (s *Service) shopperMaterials(ctx context.Context, brandID string, m Model) ([]ShopperMaterial, error) {
	doc, binStart, err := s.canonicalJSON(ctx, m.Canonical.key)
	if err != nil {
		return nil, err
	}
	out := make([]ShopperMaterial, 0, len(doc.Materials))
	for _, mat := range doc.Materials {
		sm := ShopperMaterial{Name: mat.Name, BaseColor: "#ffffff"}
		if pbr := mat.PBRMetallicRoughness; pbr != nil && pbr.BaseColorFactor != nil {
			sm.BaseColor = srgbHex(*pbr.BaseColorFactor)
		}
		if t, ok := baseColorTexture(doc, mat); ok {
			if img := textureSource(doc.Textures[t]); img >= 0 {
				u, err := s.textureURL(ctx, brandID, m, binStart, doc, img, mat.Name)
				if err != nil {
					return nil, err
				}
				sm.TextureURL = u
			}
			if t < len(m.Stats.Textures) {
				sm.Width, sm.Height = m.Stats.Textures[t].Width, m.Stats.Textures[t].Height
			}
		}
		out = append(out, sm)
	}
	return out, nil
}

// textureURL signs the URL of image img of the model, which is copied out
// of the canonical GLB into a blob of its own the first time it is asked
// for (beside the model's files, so replacing or deleting the model sweeps
// it). nil when the image has no bytes in the GLB.
func (s *Service) textureURL(ctx context.Context, brandID string, m Model, binStart int64, doc *gltf.Document, img int, material string) (*string, error) {
	key := modelKey(brandID, m.ProductID, m.ID, "textures/image-"+strconv.Itoa(img))
	info, err := s.blobs.Stat(ctx, key)
	if errors.Is(err, blob.ErrNotFound) {
		data, err := s.textureImage(ctx, m.Canonical.key, binStart, doc, img, material)
		if err != nil || data == nil {
			return nil, err
		}
		info.ContentType = imageType(data)
		if _, err := s.blobs.Put(ctx, key, bytes.NewReader(data), blob.PutOptions{ContentType: info.ContentType, MaxSize: int64(len(data))}); err != nil {
			return nil, fmt.Errorf("store texture of %q: %w", material, err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("texture of %q: %w", material, err)
	}
	u, err := s.blobs.SignedURL(ctx, key, URLTTL, blob.URLOptions{ContentType: info.ContentType})
	if err != nil {
		return nil, fmt.Errorf("sign texture of %q: %w", material, err)
	}
	return &u, nil
}

// srgbHex writes a linear RGBA colour factor as sRGB "#rrggbb".
func srgbHex(c [4]float64) string {
	enc := func(v float64) int {
		v = math.Max(0, math.Min(1, v))
		if v <= 0.0031308 {
			v *= 12.92
		} else {
			v = 1.055*math.Pow(v, 1/2.4) - 0.055
		}
		return int(math.Round(v * 255))
	}
	return fmt.Sprintf("#%02x%02x%02x", enc(c[0]), enc(c[1]), enc(c[2]))
}
