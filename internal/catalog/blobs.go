package catalog

import (
	"context"
	"fmt"
	"path"
	"strings"
	"unicode"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// Blob keys. Everything of a product lives under its own prefix, so deleting
// a product can also sweep files that a crashed upload left behind:
//
//	brands/<brand>/products/<product>/models/<model>/original.glb|gltf|zip
//	brands/<brand>/products/<product>/models/<model>/canonical.glb
//	brands/<brand>/products/<product>/zones/<zone>/mask-<id>.png
func productPrefix(brandID, productID string) string {
	return "brands/" + brandID + "/products/" + productID + "/"
}

func modelKey(brandID, productID, modelID, name string) string {
	return productPrefix(brandID, productID) + "models/" + modelID + "/" + name
}

func maskKey(brandID, productID, zoneID, id string) string {
	return productPrefix(brandID, productID) + "zones/" + zoneID + "/mask-" + id + ".png"
}

// productBlobKeys lists the blobs the rows of a product point at.
func productBlobKeys(ctx context.Context, q db.Querier, brandID, productID string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT original_key FROM product_models WHERE product_id = $1 AND brand_id = $2
		UNION ALL SELECT canonical_key FROM product_models WHERE product_id = $1 AND brand_id = $2
		UNION ALL SELECT mask_key FROM product_zones WHERE product_id = $1 AND brand_id = $2 AND mask_key IS NOT NULL`,
		productID, brandID)
	if err != nil {
		return nil, fmt.Errorf("list product files: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("list product files: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// sweepPrefix deletes every blob under prefix: after a product is deleted,
// nothing may point there any more.
func (s *Service) sweepPrefix(ctx context.Context, prefix string) {
	ctx = context.WithoutCancel(ctx)
	var keys []string
	err := s.blobs.List(ctx, prefix, func(i blob.Info) bool {
		keys = append(keys, i.Key)
		return true
	})
	if err != nil {
		s.logger.WarnContext(ctx, "catalog: could not list leftover blobs", "prefix", prefix, "error", err)
		return
	}
	s.deleteBlobs(ctx, keys...)
}

// downloadName makes an uploaded file's name safe to offer as a download
// name: its base name, without control characters, never empty.
func downloadName(name, fallback string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == "/" || len(name) > 200 {
		return fallback
	}
	if _, err := blob.AttachmentDisposition(name); err != nil {
		return fallback
	}
	return name
}
