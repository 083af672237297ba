package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

const zoneColumns = `id, product_id, name, type, material, u0, v0, u1, v1, width_mm, height_mm, dpi,
	layer_types, max_layers, max_chars, fonts, colours, colour_options,
	mask_key, mask_width, mask_height, mask_size, mask_sha256, position, created_at, updated_at,
	bleed_mm, safe_mm, min_image_dpi, min_text_pt`

// loadZones reads the zones of a product in display order, or only the zone
// zoneID when it is not empty.
func loadZones(ctx context.Context, q db.Querier, brandID, productID, zoneID string) ([]Zone, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+zoneColumns+` FROM product_zones
		WHERE product_id = $1 AND brand_id = $2 AND ($3 = '' OR id = $3) ORDER BY position, id`, productID, brandID, zoneID)
	if err != nil {
		return nil, fmt.Errorf("load zones: %w", err)
	}
	defer rows.Close()
	var out []Zone
	for rows.Next() {
		z, err := scanZone(rows)
		if err != nil {
			return nil, fmt.Errorf("load zones: %w", err)
		}
		out = append(out, z)
	}
	return out, rows.Err()
}

// loadZone reads one zone; another product's or brand's zone is not found.
func loadZone(ctx context.Context, q db.Querier, brandID, productID, zoneID string) (Zone, error) {
	if zoneID == "" {
		return Zone{}, errZoneNotFound
	}
	zs, err := loadZones(ctx, q, brandID, productID, zoneID)
	if err != nil {
		return Zone{}, err
	}
	if len(zs) == 0 {
		return Zone{}, errZoneNotFound
	}
	return zs[0], nil
}

var errZoneNotFound = apperr.New(apperr.NotFound, "no such zone on this product")

func scanZone(row scanner) (Zone, error) {
	var z Zone
	var u0, v0, u1, v1, w, h sql.NullFloat64
	var dpi, mw, mh, msize sql.NullInt64
	var mkey, msha sql.NullString
	var layers, fonts, colours, options string
	if err := row.Scan(&z.ID, &z.ProductID, &z.Name, &z.Type, &z.Material, &u0, &v0, &u1, &v1, &w, &h, &dpi,
		&layers, &z.MaxLayers, &z.MaxChars, &fonts, &colours, &options,
		&mkey, &mw, &mh, &msize, &msha, &z.Position, &z.CreatedAt, &z.UpdatedAt,
		&z.BleedMM, &z.SafeMM, &z.MinImageDPI, &z.MinTextPt); err != nil {
		return Zone{}, err
	}
	z.CreatedAt, z.UpdatedAt = z.CreatedAt.UTC(), z.UpdatedAt.UTC()
	if z.Type != PrintZone {
		// Rows of colour zones older than these settings hold the column defaults.
		z.BleedMM, z.SafeMM, z.MinImageDPI, z.MinTextPt = 0, 0, 0, 0
	}
	if u0.Valid && v0.Valid && u1.Valid && v1.Valid {
		z.UVRect = &Rect{U0: u0.Float64, V0: v0.Float64, U1: u1.Float64, V1: v1.Float64}
	}
	if w.Valid && h.Valid && dpi.Valid {
		width, height, d := w.Float64, h.Float64, int(dpi.Int64)
		wpx, hpx := pixels(width, d), pixels(height, d)
		z.WidthMM, z.HeightMM, z.DPI, z.WidthPX, z.HeightPX = &width, &height, &d, &wpx, &hpx
	}
	if err := errors.Join(json.Unmarshal([]byte(layers), &z.LayerTypes), json.Unmarshal([]byte(fonts), &z.Fonts),
		json.Unmarshal([]byte(colours), &z.Colours), json.Unmarshal([]byte(options), &z.ColourOptions)); err != nil {
		return Zone{}, fmt.Errorf("zone %s: %w", z.ID, err)
	}
	z.LayerTypes, z.Fonts, z.Colours, z.ColourOptions = nonNil(z.LayerTypes), nonNil(z.Fonts), nonNil(z.Colours), nonNil(z.ColourOptions)
	if mkey.Valid {
		z.Mask = &Mask{Width: int(mw.Int64), Height: int(mh.Int64), Size: msize.Int64, SHA256: msha.String, key: mkey.String}
	}
	return z, nil
}

// zoneValues are the stored values of sp, in the order of the columns
// name … position, then bleed_mm … min_text_pt.
func zoneValues(sp ZoneSpec) ([]any, error) {
	var u0, v0, u1, v1 any
	if r := sp.UVRect; r != nil {
		u0, v0, u1, v1 = r.U0, r.V0, r.U1, r.V1
	}
	var lists [4]string
	for i, v := range []any{nonNil(sp.LayerTypes), nonNil(sp.Fonts), nonNil(sp.Colours), nonNil(sp.ColourOptions)} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("zone lists: %w", err)
		}
		lists[i] = string(b)
	}
	return []any{sp.Name, sp.Type, sp.Material, u0, v0, u1, v1, nullable(sp.WidthMM), nullable(sp.HeightMM),
		nullable(sp.DPI), lists[0], sp.MaxLayers, sp.MaxChars, lists[1], lists[2], lists[3], sp.Position,
		sp.BleedMM, sp.SafeMM, sp.MinImageDPI, sp.MinTextPt}, nil
}

// nullable turns a nil pointer into SQL NULL and any other into its value.
func nullable[T any](v *T) any {
	if v == nil {
		return nil
	}
	return *v
}

func insertZone(ctx context.Context, tx *sql.Tx, brandID, productID, id string, sp ZoneSpec, now time.Time) error {
	vals, err := zoneValues(sp)
	if err != nil {
		return err
	}
	args := append([]any{id, brandID, productID}, vals...)
	args = append(args, now)
	_, err = tx.ExecContext(ctx, `INSERT INTO product_zones (id, brand_id, product_id, name, type, material,
		u0, v0, u1, v1, width_mm, height_mm, dpi, layer_types, max_layers, max_chars, fonts, colours,
		colour_options, position, bleed_mm, safe_mm, min_image_dpi, min_text_pt, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
		$21, $22, $23, $24, $25, $25)`, args...)
	if err != nil {
		return fmt.Errorf("insert zone: %w", err)
	}
	return nil
}

// updateZone writes sp over a zone.
func updateZone(ctx context.Context, tx *sql.Tx, brandID, productID, id string, sp ZoneSpec, now time.Time) error {
	vals, err := zoneValues(sp)
	if err != nil {
		return err
	}
	args := append([]any{id, brandID, productID}, vals...)
	args = append(args, now)
	_, err = tx.ExecContext(ctx, `UPDATE product_zones SET name = $4, type = $5, material = $6,
		u0 = $7, v0 = $8, u1 = $9, v1 = $10, width_mm = $11, height_mm = $12, dpi = $13, layer_types = $14,
		max_layers = $15, max_chars = $16, fonts = $17, colours = $18, colour_options = $19, position = $20,
		bleed_mm = $21, safe_mm = $22, min_image_dpi = $23, min_text_pt = $24, updated_at = $25
		WHERE id = $1 AND brand_id = $2 AND product_id = $3`, args...)
	if err != nil {
		return fmt.Errorf("update zone: %w", err)
	}
	return nil
}

// setMask records a zone's mask, or clears it when m is nil.
func setMask(ctx context.Context, tx *sql.Tx, brandID, productID, id string, m *Mask, now time.Time) error {
	var key, w, h, size, sha any
	if m != nil {
		key, w, h, size, sha = m.key, m.Width, m.Height, m.Size, m.SHA256
	}
	_, err := tx.ExecContext(ctx, `UPDATE product_zones SET mask_key = $4, mask_width = $5, mask_height = $6,
		mask_size = $7, mask_sha256 = $8, updated_at = $9 WHERE id = $1 AND brand_id = $2 AND product_id = $3`,
		id, brandID, productID, key, w, h, size, sha, now)
	if err != nil {
		return fmt.Errorf("set zone mask: %w", err)
	}
	return nil
}
