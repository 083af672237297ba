package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// ZoneType says what shoppers do in a zone.
type ZoneType string

// The zone types.
const (
	// PrintZone is an area shoppers fill with layers (text, images, colour).
	PrintZone ZoneType = "print"
	// ColourZone lets shoppers pick the colour of a whole material.
	ColourZone ZoneType = "colour"
)

// The layer types a print zone may allow.
const (
	LayerText   = "text"
	LayerImage  = "image"
	LayerColour = "colour"
)

// Rect is a rectangle of a material's UV space, 0..1 on both axes.
type Rect struct {
	U0 float64 `json:"u0"`
	V0 float64 `json:"v0"`
	U1 float64 `json:"u1"`
	V1 float64 `json:"v1"`
}

// ColourOption is one colour a shopper may pick in a colour zone.
type ColourOption struct {
	Name string `json:"name"`
	Hex  string `json:"hex"`
}

// ZoneSpec is what a brand sets on a zone: the body of a create, and the
// fields a Patch may change. Print zones use UVRect to LayerTypes to
// Colours; colour zones use ColourOptions; the others are cleared.
type ZoneSpec struct {
	Name string   `json:"name"`
	Type ZoneType `json:"type"`
	// Material is the name of the model material the zone covers.
	Material string `json:"material"`
	// UVRect restricts a print zone to part of the material; nil is all of it.
	UVRect *Rect `json:"uv_rect"`
	// WidthMM, HeightMM and DPI are the printed size and resolution; they fix
	// the pixel size of the zone's print texture.
	WidthMM  *float64 `json:"width_mm"`
	HeightMM *float64 `json:"height_mm"`
	DPI      *int     `json:"dpi"`
	// LayerTypes are the layers shoppers may add (all three by default).
	LayerTypes []string `json:"layer_types"`
	// MaxLayers (default 10) and MaxChars (per text layer, default 200) limit a design.
	MaxLayers int `json:"max_layers"`
	MaxChars  int `json:"max_chars"`
	// Fonts and Colours restrict the fonts (by name) and colours (hex) of
	// layers; empty allows all.
	Fonts   []string `json:"fonts"`
	Colours []string `json:"colours"`
	// BleedMM (default 0, at most 20) is printed beyond each edge of a print
	// zone, so a cut that drifts leaves no white line; SafeMM (default 0)
	// is the margin inside the edge that important content should keep.
	BleedMM float64 `json:"bleed_mm"`
	SafeMM  float64 `json:"safe_mm"`
	// MinImageDPI is the lowest effective resolution an image layer may
	// print at (default 100, from 36 to the zone's DPI); MinTextPt the
	// smallest text size in points (default 6).
	MinImageDPI int     `json:"min_image_dpi"`
	MinTextPt   float64 `json:"min_text_pt"`
	// ColourOptions are the choices of a colour zone.
	ColourOptions []ColourOption `json:"colour_options"`
	// Position orders the zones of a product (then creation order).
	Position int `json:"position"`
}

// Zone is a customizable zone of a product.
type Zone struct {
	ID        string `json:"id"`
	ProductID string `json:"product_id"`
	ZoneSpec
	// WidthPX and HeightPX are the pixel size of the print texture,
	// round(mm / 25.4 × dpi); nil for colour zones.
	WidthPX  *int `json:"width_px"`
	HeightPX *int `json:"height_px"`
	// Mask is the optional PNG that shapes a print zone.
	Mask *Mask `json:"mask"`
	// View is the 3D camera orbit facing a print zone's centre; only the
	// widget's product answer (ShopperView) fills it.
	View      *ZoneView `json:"view,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Mask describes a zone's mask image.
type Mask struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// URL lets anyone holding it download the PNG for URLTTL.
	URL string `json:"url,omitempty"`
	key string
}

// ListZones returns the zones of a product in display order.
func (s *Service) ListZones(ctx context.Context, p auth.Principal, productID string) ([]Zone, error) {
	if err := canRead(p); err != nil {
		return nil, err
	}
	if _, err := getProduct(ctx, s.db, p.BrandID, productID); err != nil {
		return nil, err
	}
	zones, err := loadZones(ctx, s.db, p.BrandID, productID, "")
	if err != nil {
		return nil, err
	}
	for i := range zones {
		if err := s.signMask(ctx, &zones[i]); err != nil {
			return nil, err
		}
	}
	return nonNil(zones), nil
}

// ProductZones returns a product of brandID with its zones in display
// order, for modules that check work against the zones (designs). It checks
// no principal: the caller has already decided that whoever it acts for
// (staff, an API key, a shopper session) may use brandID's products. A
// product of another brand is not found. Mask URLs are not signed.
func (s *Service) ProductZones(ctx context.Context, brandID, productID string) (Product, []Zone, error) {
	pr, err := getProduct(ctx, s.db, brandID, productID)
	if err != nil {
		return Product{}, nil, err
	}
	zones, err := loadZones(ctx, s.db, brandID, productID, "")
	return pr, nonNil(zones), err
}

// ProductOf returns a product of brandID with its variants, checking no
// principal (like ProductZones, for callers that decided the brand: the
// widget handshake, which runs on every widget load and needs no zones).
func (s *Service) ProductOf(ctx context.Context, brandID, productID string) (Product, error) {
	return getProduct(ctx, s.db, brandID, productID)
}

// GetZone returns one zone of a product.
func (s *Service) GetZone(ctx context.Context, p auth.Principal, productID, zoneID string) (Zone, error) {
	if err := canRead(p); err != nil {
		return Zone{}, err
	}
	z, err := loadZone(ctx, s.db, p.BrandID, productID, zoneID)
	if err != nil {
		return Zone{}, err
	}
	return z, s.signMask(ctx, &z)
}

// CreateZone adds a zone to a product. The product must have a model first
// (409 otherwise): a zone is checked against the model's materials.
func (s *Service) CreateZone(ctx context.Context, p auth.Principal, productID string, sp ZoneSpec) (Zone, error) {
	if err := canWrite(p); err != nil {
		return Zone{}, err
	}
	if sp.Type == "" {
		sp.Type = PrintZone
	}
	id, err := db.NewID()
	if err != nil {
		return Zone{}, err
	}
	now := s.stamp()
	var out Zone
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		mats, err := lockForZones(ctx, tx, p.BrandID, productID, now)
		if err != nil {
			return err
		}
		if err := sp.check(mats); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM product_zones WHERE product_id = $1 AND brand_id = $2`,
			productID, p.BrandID).Scan(&n); err != nil {
			return fmt.Errorf("count zones: %w", err)
		}
		if n >= maxZones {
			return apperr.New(apperr.Conflict, "a product has at most %d zones", maxZones)
		}
		if err := insertZone(ctx, tx, p.BrandID, productID, id, sp, now); err != nil {
			return err
		}
		out, err = loadZone(ctx, tx, p.BrandID, productID, id)
		return err
	})
	return out, zoneConflict(err, sp.Name)
}

// UpdateZone applies patch to a zone. Turning a print zone into a colour
// zone drops its mask.
func (s *Service) UpdateZone(ctx context.Context, p auth.Principal, productID, zoneID string, patch Patch) (Zone, error) {
	if err := canWrite(p); err != nil {
		return Zone{}, err
	}
	var out Zone
	var dropped string
	var sp ZoneSpec
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		now := s.stamp()
		mats, err := lockForZones(ctx, tx, p.BrandID, productID, now)
		if err != nil {
			return err
		}
		cur, err := loadZone(ctx, tx, p.BrandID, productID, zoneID)
		if err != nil {
			return err
		}
		if sp, err = apply(cur.ZoneSpec, patch); err != nil {
			return err
		}
		if err := sp.check(mats); err != nil {
			return err
		}
		if sp.Type != PrintZone && cur.Mask != nil {
			dropped = cur.Mask.key
		}
		if err := updateZone(ctx, tx, p.BrandID, productID, zoneID, sp, now); err != nil {
			return err
		}
		if dropped != "" {
			if err := setMask(ctx, tx, p.BrandID, productID, zoneID, nil, now); err != nil {
				return err
			}
		}
		out, err = loadZone(ctx, tx, p.BrandID, productID, zoneID)
		return err
	})
	if err != nil {
		return Zone{}, zoneConflict(err, sp.Name)
	}
	s.deleteBlobs(ctx, dropped)
	return out, s.signMask(ctx, &out)
}

// DeleteZone deletes a zone and then its mask.
func (s *Service) DeleteZone(ctx context.Context, p auth.Principal, productID, zoneID string) error {
	if err := canWrite(p); err != nil {
		return err
	}
	var mask string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := lockProduct(ctx, tx, p.BrandID, productID, s.stamp()); err != nil {
			return err
		}
		z, err := loadZone(ctx, tx, p.BrandID, productID, zoneID)
		if err != nil {
			return err
		}
		if z.Mask != nil {
			mask = z.Mask.key
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM product_zones WHERE id = $1 AND product_id = $2 AND brand_id = $3`,
			zoneID, productID, p.BrandID)
		return err
	})
	if err != nil {
		return err
	}
	s.deleteBlobs(ctx, mask)
	return nil
}

// lockForZones locks the product and returns its model's materials; a
// product without a model cannot have zones yet.
func lockForZones(ctx context.Context, tx *sql.Tx, brandID, productID string, now time.Time) ([]ModelMaterial, error) {
	if err := lockProduct(ctx, tx, brandID, productID, now); err != nil {
		return nil, err
	}
	m, err := loadModel(ctx, tx, brandID, productID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.Conflict, "upload the product's 3D model first: zones are checked against its materials")
	}
	return m.Materials, err
}

// zoneConflict explains a unique-name failure.
func zoneConflict(err error, name string) error {
	if db.IsUniqueViolation(err) {
		return apperr.Wrap(apperr.Conflict, err, "the product already has a zone named %q", name)
	}
	return err
}

// signMask fills in the download URL of a zone's mask.
func (s *Service) signMask(ctx context.Context, z *Zone) error {
	if z.Mask == nil {
		return nil
	}
	u, err := s.blobs.SignedURL(ctx, z.Mask.key, URLTTL, blob.URLOptions{})
	if err != nil {
		return fmt.Errorf("sign mask of zone %s: %w", z.ID, err)
	}
	z.Mask.URL = u
	return nil
}
