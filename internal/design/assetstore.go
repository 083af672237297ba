package design

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// Asset is an image a brand's designs may use, stored once per brand and
// content (its SHA256 is of the stored bytes, the name documents use).
type Asset struct {
	SHA256 string `json:"sha256"`
	Format string `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Size   int64  `json:"size"`
	// Filename is the uploaded file's name, for people.
	Filename  string    `json:"filename"`
	CreatedAt time.Time `json:"created_at"`
	// URL lets anyone holding it download the image for URLTTL.
	URL string `json:"url,omitempty"`
	key string
}

// URLTTL is how long the signed URLs of assets work.
const URLTTL = time.Hour

// Blob keys, one folder per brand so a brand's files can be listed and
// swept alone:
//
//	brands/<brand>/design-assets/<sha256>.<png|jpeg|webp>
//	brands/<brand>/fonts/<sha256>.<ttf|otf>
func assetKey(brandID, sha, format string) string {
	return "brands/" + brandID + "/design-assets/" + sha + "." + format
}

func fontKey(brandID, sha, format string) string {
	return "brands/" + brandID + "/fonts/" + sha + "." + format
}

const assetColumns = `sha256, format, width, height, size, filename, created_at, blob_key`

func scanAsset(row scanner) (Asset, error) {
	var a Asset
	if err := row.Scan(&a.SHA256, &a.Format, &a.Width, &a.Height, &a.Size, &a.Filename, &a.CreatedAt, &a.key); err != nil {
		return Asset{}, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return a, nil
}

// loadAssets reads the assets of brandID among shas, by SHA-256.
func loadAssets(ctx context.Context, q db.Querier, brandID string, shas []string) (map[string]Asset, error) {
	out := map[string]Asset{}
	for _, sha := range shas {
		a, err := scanAsset(q.QueryRowContext(ctx, `SELECT `+assetColumns+` FROM design_assets
			WHERE brand_id = $1 AND sha256 = $2`, brandID, sha))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("load design assets: %w", err)
		}
		out[sha] = a
	}
	return out, nil
}

// touchAssets marks assets as used at now: collection waits AssetGrace
// after the last use, so an asset a save is about to reference is not
// collected under it.
func touchAssets(ctx context.Context, tx *sql.Tx, brandID string, shas []string, now time.Time) error {
	for _, sha := range shas {
		if _, err := tx.ExecContext(ctx, `UPDATE design_assets SET used_at = $3 WHERE brand_id = $1 AND sha256 = $2`,
			brandID, sha, now); err != nil {
			return fmt.Errorf("touch design assets: %w", err)
		}
	}
	return nil
}

// OpenAsset opens the stored image of an asset of brandID, for workers
// (the render pipeline) that act for no one: it checks no actor. The
// caller closes the reader.
func (s *Service) OpenAsset(ctx context.Context, brandID, sha string) (io.ReadCloser, Asset, error) {
	as, err := loadAssets(ctx, s.db, brandID, []string{sha})
	if err != nil {
		return nil, Asset{}, err
	}
	a, ok := as[sha]
	if !ok {
		return nil, Asset{}, apperr.New(apperr.NotFound, "no such image")
	}
	rc, _, err := s.blobs.Get(ctx, a.key, nil)
	if err != nil {
		return nil, Asset{}, fmt.Errorf("open design asset %s: %w", sha, err)
	}
	return rc, a, nil
}

// sign fills in the download URL of an asset.
func (s *Service) sign(ctx context.Context, a *Asset) error {
	u, err := s.blobs.SignedURL(ctx, a.key, URLTTL, blob.URLOptions{})
	if err != nil {
		return fmt.Errorf("sign design asset: %w", err)
	}
	a.URL = u
	return nil
}
